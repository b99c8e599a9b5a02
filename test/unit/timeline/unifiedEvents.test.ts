import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPaths } from '../../../analyzers/importers/importRun';
import { buildEventsTable, ensureEventsTable, EVENTS_TABLE, IP_ACTIVITY_TABLE, UNIFIED_SELECT } from '../../../analyzers/timeline/eventsTable';
import { queryEvents, type EventFilter } from '../../../analyzers/timeline/eventsQuery';
import { unifiedEntityCondition, type EntityRef } from '../../../analyzers/timeline/entityRef';
import { entityProfile } from '../../../analyzers/entities/entityProfile';
import { withCase } from '../../helpers/tempCase';
import type { CaseStore } from '../../../analyzers/store/caseStore';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ORDER = 'ORDER BY time, tbl, source_file_id, record_index';
const ENTITIES: EntityRef[] = [
  { kind: 'ip', value: '198.51.100.23' },
  { kind: 'ip', value: '10.0.1.10' },
  { kind: 'principal', value: 'svc-backup-sync' },
  { kind: 'session', value: 'i-0a3f7c2e9b1d4e856' },
  { kind: 'instance', value: 'i-0a3f7c2e9b1d4e856' },
  { kind: 'bucket', value: 'acme-customer-data' },
  { kind: 'access_key', value: 'AKIANOSUCHKEY0000000' },
];

async function allPages(store: CaseStore, filter: EventFilter, limit: number): Promise<string[]> {
  const keys: string[] = [];
  let cursor: number | null = 0;
  while (cursor !== null) {
    const page: Awaited<ReturnType<typeof queryEvents>> = await queryEvents(store, filter, { cursor, limit });
    keys.push(...page.rows.map((r) => `${r.pos}`));
    cursor = page.nextCursor;
  }
  return keys;
}

test('the unified table built slice by slice holds the rows of one sort, in its order; entity pages and profiles match one scan', async () => {
  await withCase(async (store) => {
    await importPaths(store, [path.join(root, 'sample-logs')]);
    await ensureEventsTable(store);
    const reference = JSON.stringify((await store.conn.runAndReadAll(`SELECT * FROM (${UNIFIED_SELECT}) ${ORDER}`)).getRowsJson());
    const inTable = async () => JSON.stringify((await store.conn.runAndReadAll(`SELECT * FROM ${EVENTS_TABLE} ORDER BY rowid`)).getRowsJson());
    assert.equal(await inTable(), reference);
    await buildEventsTable(store, 'TABLE', 700);
    assert.equal(await inTable(), reference, 'slices of 700 rows');
    const activity = await store.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${IP_ACTIVITY_TABLE}`);
    assert.ok(Number(activity[0].n) > 0);

    let matched = 0;
    for (const e of ENTITIES) {
      const cond = unifiedEntityCondition(e.kind);
      const expected = (await store.all<{ pos: bigint }>(`SELECT rowid AS pos FROM ${EVENTS_TABLE} WHERE ${cond} ORDER BY rowid`, { entity: e.value })).map((r) => `${r.pos}`);
      assert.deepEqual(await allPages(store, { entities: [e] }, 37), expected, `${e.kind}:${e.value} pages`);
      if (expected.length > 37) matched++;

      const p = await entityProfile(store, e);
      assert.equal(p.total, expected.length, `${e.kind}:${e.value} total`);
      const bySource = await store.all<{ source: string; n: bigint }>(`SELECT source, count(*) AS n FROM ${EVENTS_TABLE} WHERE ${cond} GROUP BY 1 ORDER BY 1`, { entity: e.value });
      assert.deepEqual(
        [...p.bySource].sort((a, b) => a.source.localeCompare(b.source)).map((s) => [s.source, s.count]),
        bySource.map((r) => [r.source, Number(r.n)]),
      );
      const ips = await store.all<{ value: string; n: bigint }>(
        `SELECT ip AS value, count(*) AS n FROM (SELECT src_ip AS ip FROM ${EVENTS_TABLE} WHERE ${cond} UNION ALL SELECT dst_ip FROM ${EVENTS_TABLE} WHERE ${cond})
          WHERE ip IS NOT NULL AND ip <> $entity GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25`,
        { entity: e.value },
      );
      assert.deepEqual(p.related.ips, ips.map((r) => ({ value: r.value, count: Number(r.n) })));
      for (const a of p.ipActivity) {
        const n = await store.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${EVENTS_TABLE} WHERE src_ip = $ip OR dst_ip = $ip`, { ip: a.ip });
        assert.equal(a.cloudtrail + a.elb + a.vpc_flow + a.s3_access, Number(n[0].n), `activity of ${a.ip}`);
      }
    }
    assert.ok(matched >= 5, `only ${matched} entities span several pages`);
    const two: EventFilter = { entities: [ENTITIES[0], ENTITIES[4]] };
    const both = `${unifiedEntityCondition('ip').replaceAll('$entity', '$a')} AND ${unifiedEntityCondition('instance').replaceAll('$entity', '$b')}`;
    const expected = (await store.all<{ pos: bigint }>(`SELECT rowid AS pos FROM ${EVENTS_TABLE} WHERE ${both} ORDER BY rowid`, { a: ENTITIES[0].value, b: ENTITIES[4].value })).map((r) => `${r.pos}`);
    assert.deepEqual(await allPages(store, two, 5), expected, 'two entities');
  });
});
