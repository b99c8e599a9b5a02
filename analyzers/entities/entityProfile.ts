import { listValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { ensureEventsTable, EVENTS_TABLE } from '../timeline/eventsTable';
import { unifiedEntityCondition, type EntityRef } from '../timeline/entityRef';

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

/**
 * Everything the case knows about one entity across every source, and the
 * entities around it: access key → principal → source IPs → the ELB
 * requests and flows of those IPs → instances and ENIs.
 */
export async function entityProfile(store: CaseStore, entity: EntityRef): Promise<EntityProfile> {
  await ensureEventsTable(store);
  const cond = unifiedEntityCondition(entity.kind);
  const p = { entity: entity.value };
  await store.run(`CREATE OR REPLACE TEMP TABLE entity_rows AS SELECT * FROM ${EVENTS_TABLE} WHERE ${cond}`, p);
  const head = await store.one<{ n: bigint; lo: string | null; hi: string | null; failed: bigint }>(
    `SELECT count(*) AS n, iso(min(time)) AS lo, iso(max(time)) AS hi, count(*) FILTER (WHERE outcome <> 'success') AS failed FROM entity_rows`,
  );
  const bySource = await store.all<Record<string, unknown>>(
    `SELECT source, count(*) AS count, iso(min(time)) AS first, iso(max(time)) AS last FROM entity_rows GROUP BY 1 ORDER BY 2 DESC`,
  );
  const actions = await store.all<Record<string, unknown>>(
    `SELECT action, count(*) AS count, count(*) FILTER (WHERE outcome <> 'success') AS failed FROM entity_rows GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 200`,
  );
  const top = async (col: string, extra = 'true'): Promise<Counted[]> =>
    (await store.all<{ value: string; count: bigint }>(
      `SELECT ${col} AS value, count(*) AS count FROM entity_rows WHERE ${col} IS NOT NULL AND ${extra} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP}`,
    )).map((r) => ({ value: r.value, count: Number(r.count) }));
  const ips = await store.all<{ value: string; count: bigint }>(
    `SELECT ip AS value, count(*) AS count FROM (SELECT src_ip AS ip FROM entity_rows UNION ALL SELECT dst_ip FROM entity_rows)
     WHERE ip IS NOT NULL AND ip <> $entity GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP}`,
    p,
  );
  const hopIps = entity.kind === 'ip' ? [entity.value, ...ips.map((r) => r.value)] : ips.map((r) => r.value);
  const ipActivity = hopIps.length === 0 ? [] : await store.all<Record<string, unknown>>(
    `SELECT ip, count(*) FILTER (WHERE source = 'cloudtrail') AS cloudtrail, count(*) FILTER (WHERE source = 'elb') AS elb,
            count(*) FILTER (WHERE source = 'vpc_flow') AS vpc_flow, count(*) FILTER (WHERE source = 's3_access') AS s3_access,
            iso(min(time)) AS first, iso(max(time)) AS last
     FROM (SELECT unnest($ips::VARCHAR[]) AS ip) i JOIN ${EVENTS_TABLE} e ON e.src_ip = i.ip OR e.dst_ip = i.ip
     GROUP BY ip ORDER BY count(*) DESC`,
    { ips: listValue(hopIps) },
  );
  const total = Number(head?.n ?? 0);
  return {
    entity,
    firstSeen: head?.lo ?? null,
    lastSeen: head?.hi ?? null,
    total,
    bySource: bySource.map((r) => ({ source: String(r.source), count: Number(r.count), first: String(r.first), last: String(r.last) })),
    actions: actions.map((r) => ({ action: String(r.action), count: Number(r.count), failed: Number(r.failed) })),
    errorRate: total === 0 ? 0 : Number(head!.failed) / total,
    related: {
      principals: await top('actor', `tbl = 'cloudtrail'`),
      access_keys: await top('access_key'),
      ips: ips.map((r) => ({ value: r.value, count: Number(r.count) })),
      instances: await top('instance'),
      enis: await top('eni'),
      targets: await top('target'),
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
