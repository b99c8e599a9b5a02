import type { EntityKind, Filter, FindingEntitiesInfo } from '../../api/contract';

export type EntityGroup = keyof FindingEntitiesInfo;

/** Where an entity of a finding can be looked up in the explorer: a table and the filter that finds it there. */
export interface ExplorerTarget {
  table: string;
  filters: Filter[];
}

export const GROUPS: { group: EntityGroup; label: string; profile: EntityKind | null }[] = [
  { group: 'principals', label: 'Principals', profile: 'principal' },
  { group: 'access_keys', label: 'Access keys', profile: 'access_key' },
  { group: 'ips', label: 'IP addresses', profile: 'ip' },
  { group: 'instances', label: 'Instances', profile: 'instance' },
  // Resources are of many kinds (trails, buckets, URLs, secrets): no one profile fits them.
  { group: 'resources', label: 'Resources', profile: null },
];

const eq = (table: string, column: string, value: string): ExplorerTarget => ({ table, filters: [{ column, op: 'eq', value }] });
const inRaw = (table: string, value: string): ExplorerTarget => ({ table, filters: [{ column: 'raw', op: 'contains', value }] });

/** Every column (see analyzers/store/schema.ts) that can hold a value of the group, in a sensible default order. */
function allTargets(group: EntityGroup, value: string): ExplorerTarget[] {
  switch (group) {
    case 'ips':
      return [
        eq('cloudtrail', 'source_ip', value),
        eq('elb', 'client_ip', value),
        eq('vpc_flow', 'srcaddr', value),
        eq('s3_access', 'remote_ip', value),
        eq('vpc_flow', 'dstaddr', value),
        eq('elb', 'target_ip', value),
      ];
    case 'principals':
      // S3 access logs write an anonymous requester as '-', which the importer stores as null.
      return value === 'anonymous'
        ? [{ table: 's3_access', filters: [{ column: 'requester', op: 'isNull' }] }]
        : [eq('cloudtrail', 'user_arn', value), eq('s3_access', 'requester', value)];
    case 'access_keys':
      return [eq('cloudtrail', 'access_key_id', value)];
    case 'instances':
      return [eq('vpc_flow', 'instance_id', value), inRaw('cloudtrail', value)];
    case 'resources':
      return [inRaw('cloudtrail', value), inRaw('s3_access', value), inRaw('elb', value), inRaw('vpc_flow', value)];
  }
}

/**
 * The places to look, those in the tables the finding's evidence lives in
 * first (most evidence first), so that the explorer opens on the records the
 * finding is about.
 */
export function explorerTargets(group: EntityGroup, value: string, evidenceTables: string[]): ExplorerTarget[] {
  const order = (t: ExplorerTarget) => {
    const i = evidenceTables.indexOf(t.table);
    return i < 0 ? evidenceTables.length : i;
  };
  return allTargets(group, value)
    .map((t, i) => ({ t, i }))
    .sort((a, b) => order(a.t) - order(b.t) || a.i - b.i)
    .map(({ t }) => t);
}
