/** An entity as investigators name it: kind:value, e.g. ip:198.51.100.23. */
export const ENTITY_KINDS = ['ip', 'principal', 'access_key', 'session', 'instance', 'eni', 'bucket'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface EntityRef {
  kind: EntityKind;
  value: string;
}

export function parseEntityRef(text: string): EntityRef {
  const i = text.indexOf(':');
  const kind = (i > 0 ? text.slice(0, i) : '') as EntityKind;
  if (!ENTITY_KINDS.includes(kind)) throw new Error(`entity must be kind:value with kind one of ${ENTITY_KINDS.join(', ')}; got '${text}'`);
  const value = text.slice(i + 1);
  if (!value) throw new Error(`entity '${text}' has no value`);
  return { kind, value };
}

/**
 * The condition on the unified events table for one entity, with its value
 * bound as $entity. A principal matches its full ARN or its name (the last
 * path segment), so "alice" finds arn:aws:iam::1:user/alice.
 */
export function unifiedEntityCondition(kind: EntityKind): string {
  switch (kind) {
    case 'ip':
      return `(src_ip = $entity OR dst_ip = $entity)`;
    case 'principal':
      return `(actor = $entity OR actor LIKE '%/' || $entity)`;
    case 'access_key':
      return `access_key = $entity`;
    case 'session':
      return `(tbl = 'cloudtrail' AND actor LIKE '%/' || $entity)`;
    case 'instance':
      return `(instance = $entity OR target = $entity)`;
    case 'eni':
      return `eni = $entity`;
    case 'bucket':
      return `((tbl = 's3_access' AND (target = $entity OR target LIKE $entity || '/%')) OR (tbl = 'cloudtrail' AND target = $entity))`;
  }
}
