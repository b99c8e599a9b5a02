import { listValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { ensureEventsTable, EVENTS_TABLE, IP_ACTIVITY_SELECT, IP_ACTIVITY_TABLE } from '../timeline/eventsTable';
import { unifiedEntityBranches, type EntityRef } from '../timeline/entityRef';

export interface Counted {
  value: string;
  count: number;
}

export interface EntityProfile {
  entity: EntityRef;
  firstSeen: string | null;
  lastSeen: string | null;
  total: number;
  bySource: { source: string; count: number; first: string; last: string }[];
  actions: { action: string; count: number; failed: number }[];
  /** Share of events that were denied, errors or rejected. */
  errorRate: number;
  related: {
    principals: Counted[];
    access_keys: Counted[];
    ips: Counted[];
    instances: Counted[];
    enis: Counted[];
    targets: Counted[];
  };
  /** For each related IP: what it did on the load balancer, the network and S3 (the second hop). */
  ipActivity: { ip: string; cloudtrail: number; elb: number; vpc_flow: number; s3_access: number; first: string; last: string }[];
}

const TOP = 25;
const TOP_ACTIONS = 200;
/** The unified columns a profile reads: materialising whole rows of a busy address (millions) cost seconds. */
const PROFILE_COLUMNS = 'time, source, outcome, action, actor, tbl, access_key, instance, eni, target, src_ip, dst_ip';
/** Grouped in one pass over the entity's rows: name → the column counted (null: every row, for the totals). */
const GROUPS: { name: string; col: string | null; top: number; skipNull: boolean }[] = [
  { name: 'total', col: null, top: 1, skipNull: false },
  { name: 'source', col: 'source', top: Number.MAX_SAFE_INTEGER, skipNull: false },
  { name: 'action', col: 'action', top: TOP_ACTIONS, skipNull: false },
  { name: 'principals', col: 'ct_actor', top: TOP, skipNull: true },
  { name: 'access_keys', col: 'access_key', top: TOP, skipNull: true },
  { name: 'instances', col: 'instance', top: TOP, skipNull: true },
  { name: 'enis', col: 'eni', top: TOP, skipNull: true },
  { name: 'targets', col: 'target', top: TOP, skipNull: true },
  // Not ranked here: an address's count is the sum of both ends (below).
  { name: 'src', col: 'src_ip', top: Number.MAX_SAFE_INTEGER, skipNull: true },
  { name: 'dst', col: 'dst_ip', top: Number.MAX_SAFE_INTEGER, skipNull: true },
];

interface GroupRow {
  g: string;
  k: string | null;
  n: bigint;
  failed: bigint;
  lo: string;
  hi: string;
}

/**
 * Everything the case knows about one entity across every source, and the
 * entities around it: access key → principal → source IPs → the ELB
 * requests and flows of those IPs → instances and ENIs.
 *
 * The entity's rows are read by scans that each test one column (see
 * unifiedEntityBranches) and counted in one grouped pass, not copied out.
 */
export async function entityProfile(store: CaseStore, entity: EntityRef): Promise<EntityProfile> {
  await ensureEventsTable(store);
  const p = { entity: entity.value };
  const rows = `(${unifiedEntityBranches(entity.kind)
    .map((b) => `SELECT ${PROFILE_COLUMNS} FROM ${EVENTS_TABLE} WHERE ${b}`)
    .join(' UNION ALL ')})`;
  const grouped = GROUPS.filter((g) => g.col);
  const groupName = `CASE ${grouped.map((g) => `WHEN GROUPING(${g.col}) = 0 THEN '${g.name}'`).join(' ')} ELSE 'total' END`;
  const key = `coalesce(${grouped.map((g) => g.col).join(', ')})`;
  const limit = `CASE g ${GROUPS.map((g) => `WHEN '${g.name}' THEN ${g.top}`).join(' ')} END`;
  const skipNull = GROUPS.filter((g) => g.skipNull).map((g) => `'${g.name}'`).join(', ');
  const groups = await store.all<GroupRow>(
    `WITH gs AS MATERIALIZED (
       SELECT ${groupName} AS g, ${key} AS k, count(*) AS n, count(*) FILTER (WHERE outcome <> 'success') AS failed,
              min(time) AS lo, max(time) AS hi
         FROM (SELECT *, CASE WHEN tbl = 'cloudtrail' THEN actor END AS ct_actor FROM ${rows})
        GROUP BY GROUPING SETS ((), ${grouped.map((g) => `(${g.col})`).join(', ')})
     )
     SELECT g, k, n, failed, iso(lo) AS lo, iso(hi) AS hi FROM gs
      WHERE NOT list_contains(['src', 'dst'], g) AND NOT (k IS NULL AND list_contains([${skipNull}], g))
     QUALIFY row_number() OVER (PARTITION BY g ORDER BY n DESC, k) <= ${limit}
     UNION ALL
     (SELECT 'ips', k, sum(n)::BIGINT, 0, NULL, NULL FROM gs
       WHERE list_contains(['src', 'dst'], g) AND k IS NOT NULL AND k <> $entity
       GROUP BY k ORDER BY 3 DESC, 2 LIMIT ${TOP})
     ORDER BY g, n DESC, k`,
    p,
  );
  const of = (name: string): GroupRow[] => groups.filter((r) => r.g === name);
  const counted = (name: string): Counted[] => of(name).map((r) => ({ value: String(r.k), count: Number(r.n) }));
  const head = of('total')[0];
  const ips = counted('ips');
  const hopIps = entity.kind === 'ip' ? [entity.value, ...ips.map((r) => r.value)] : ips.map((r) => r.value);
  const built = await store.one(`SELECT 1 AS x FROM duckdb_tables() WHERE table_name = $1 AND (temporary OR database_name = current_database())`, [IP_ACTIVITY_TABLE]);
  const activity = built ? IP_ACTIVITY_TABLE : `(${IP_ACTIVITY_SELECT(EVENTS_TABLE, (c) => `list_contains($ips::VARCHAR[], ${c})`)})`;
  const ipActivity = hopIps.length === 0 ? [] : await store.all<Record<string, unknown>>(
    `SELECT ip, cloudtrail, elb, vpc_flow, s3_access, iso(first) AS first, iso(last) AS last FROM ${activity}
     WHERE list_contains($ips::VARCHAR[], ip) ORDER BY cloudtrail + elb + vpc_flow + s3_access DESC, ip`,
    { ips: listValue(hopIps) },
  );
  const total = Number(head?.n ?? 0);
  return {
    entity,
    firstSeen: total === 0 ? null : head.lo,
    lastSeen: total === 0 ? null : head.hi,
    total,
    bySource: of('source').map((r) => ({ source: String(r.k), count: Number(r.n), first: r.lo, last: r.hi })),
    actions: of('action').map((r) => ({ action: String(r.k), count: Number(r.n), failed: Number(r.failed) })),
    errorRate: total === 0 ? 0 : Number(head.failed) / total,
    related: {
      principals: counted('principals'),
      access_keys: counted('access_keys'),
      ips,
      instances: counted('instances'),
      enis: counted('enis'),
      targets: counted('targets'),
    },
    ipActivity: ipActivity.map((r) => ({
      ip: String(r.ip),
      cloudtrail: Number(r.cloudtrail),
      elb: Number(r.elb),
      vpc_flow: Number(r.vpc_flow),
      s3_access: Number(r.s3_access),
      first: String(r.first),
      last: String(r.last),
    })),
  };
}
