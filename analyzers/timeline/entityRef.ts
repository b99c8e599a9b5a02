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
 * path segment), so "alice" finds arn:aws:iam::1:user/alice. Values are
 * matched as text, never as LIKE patterns ('_' is common in IAM names).
 */
export function unifiedEntityCondition(kind: EntityKind): string {
  const branches = unifiedEntityBranches(kind);
  return branches.length === 1 ? branches[0] : `(${branches.map((b) => `(${b})`).join(' OR ')})`;
}

/**
 * The same condition as disjoint parts that each test one column (or a
 * conjunction): DuckDB applies such a test inside the scan, on the column's
 * dictionary, but an OR across two columns only after reading every row. A
 * page query runs one scan per part and merges them.
 */
export function unifiedEntityBranches(kind: EntityKind): string[] {
  switch (kind) {
    case 'ip':
      return ['src_ip = $entity', 'dst_ip = $entity AND src_ip IS DISTINCT FROM $entity'];
    case 'principal':
      return [`(actor = $entity OR ends_with(actor, '/' || $entity))`];
    case 'access_key':
      return ['access_key = $entity'];
    case 'session':
      return [`tbl = 'cloudtrail' AND ends_with(actor, '/' || $entity)`];
    case 'instance':
      return ['instance = $entity', 'target = $entity AND instance IS DISTINCT FROM $entity'];
    case 'eni':
      return ['eni = $entity'];
    case 'bucket':
      return [`tbl = 's3_access' AND (target = $entity OR starts_with(target, $entity || '/'))`, `tbl = 'cloudtrail' AND target = $entity`];
  }
}
