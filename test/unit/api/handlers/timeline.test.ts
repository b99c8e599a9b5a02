import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CaseStore } from '../../../../analyzers/store/caseStore';
import { importPaths } from '../../../../analyzers/importers/importRun';
import { runInvestigations } from '../../../../analyzers/investigations/runInvestigations';
import { createApiContext, type ApiContext } from '../../../../analyzers/api/context';
import { call, dispatch } from '../../../../analyzers/api/dispatch';
import type { ApiResult, EventFilterSpec, EventsPageResponse, UnifiedEventRow } from '../../../../analyzers/api/contract';
import { tempDir } from '../../../helpers/tempCase';

/** The demo incident of sample-logs: one attacker address in every source, and a trail stopped for 79 minutes. */
const ATTACKER = '198.51.100.23';
const STOLEN_SESSION_INSTANCE = 'i-0a3f7c2e9b1d4e856';
const BACKDOOR_KEY = 'AKIA4RXQ2B7YQ7M3ZC5V';

let casePath: string;

async function withContext<T>(readOnly: boolean, fn: (ctx: ApiContext, store: CaseStore) => Promise<T>): Promise<T> {
  const store = await CaseStore.open(casePath, { readOnly });
  const ctx = await createApiContext(store);
  try {
    return await fn(ctx, store);
  } finally {
    await ctx.close();
    await store.close();
  }
}

async function unifiedTablePresent(store: CaseStore): Promise<boolean> {
  return (await store.one(`SELECT 1 AS x FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'unified_events'`)) !== undefined;
}

async function errorCode(ctx: ApiContext, channel: string, request: unknown): Promise<string> {
  const r = await dispatch(ctx, channel, request);
  assert.equal(r.ok, false, `${channel} ${JSON.stringify(request)} should fail`);
  return r.ok ? '' : r.error.code;
}

async function allEvents(ctx: ApiContext, filter: EventFilterSpec, limit: number): Promise<UnifiedEventRow[]> {
  const rows: UnifiedEventRow[] = [];
  let cursor: number | null = null;
  do {
    const r: ApiResult<EventsPageResponse> = await call(ctx, 'events/page', { filter, cursor, limit });
    assert.ok(r.ok, JSON.stringify(r));
    rows.push(...r.value.rows);
    cursor = r.value.nextCursor;
  } while (cursor !== null);
  return rows;
}

before(async () => {
  casePath = path.join(tempDir('cloudsift-timeline-api-'), 'case.duckdb');
  const store = await CaseStore.open(casePath);
  try {
    await importPaths(store, [path.resolve('sample-logs')]);
    await runInvestigations(store, { ids: ['CS-X-001'] });
  } finally {
    await store.close();
  }
});

describe('a read-only case', () => {
  test('reads the unified events from an in-memory copy, and leaves the case file as it was', async () => {
    await withContext(true, async (ctx, store) => {
      assert.equal(await unifiedTablePresent(store), false);
      const page = await call(ctx, 'events/page', { filter: { entities: [{ kind: 'ip', value: ATTACKER }] }, limit: 5 });
      assert.ok(page.ok, JSON.stringify(page));
      assert.equal(page.value.rows.length, 5);
      assert.equal(page.value.rows[0].time, '2025-03-19T08:57:00Z');
      const count = await call(ctx, 'events/count', { filter: { entities: [{ kind: 'ip', value: ATTACKER }] } });
      assert.ok(count.ok);
      assert.equal(count.value.count, 1111);
      const profile = await call(ctx, 'entity/profile', { kind: 'ip', value: ATTACKER });
      assert.ok(profile.ok);
      assert.equal(profile.value.total, 1111);
      const cov = await call(ctx, 'coverage/get', { bucketMinutes: 15 });
      assert.ok(cov.ok);
      assert.ok(cov.value.series.length > 0);
      const items = await call(ctx, 'timeline/list', {});
      assert.deepEqual(items.ok && items.value, []);
    });
    await withContext(true, async (_ctx, store) => assert.equal(await unifiedTablePresent(store), false));
  });

  test('refuses every change to the incident timeline', async () => {
    await withContext(true, async (ctx) => {
      assert.equal(await errorCode(ctx, 'timeline/pin', { event: { tbl: 'cloudtrail', source_file_id: 1, record_index: 0 } }), 'CASE_READ_ONLY');
      assert.equal(await errorCode(ctx, 'timeline/pin', { findingId: 1 }), 'CASE_READ_ONLY');
      assert.equal(await errorCode(ctx, 'timeline/note', { time: '2025-03-19T09:00:00Z', title: 'x' }), 'CASE_READ_ONLY');
      assert.equal(await errorCode(ctx, 'timeline/update', { itemId: 1, note: 'x' }), 'CASE_READ_ONLY');
      assert.equal(await errorCode(ctx, 'timeline/remove', { itemId: 1 }), 'CASE_READ_ONLY');
      assert.equal(await errorCode(ctx, 'timeline/draft', {}), 'CASE_READ_ONLY');
    });
  });
});

describe('a writable case', () => {
  let ctx: ApiContext;
  let store: CaseStore;
  before(async () => {
    store = await CaseStore.open(casePath);
    ctx = await createApiContext(store);
  });
  after(async () => {
    await ctx.close();
    await store.close();
  });

  test('the attacker IP has one story across the four sources, in time order, and cursors page it exactly', async () => {
    const filter: EventFilterSpec = { entities: [{ kind: 'ip', value: ATTACKER }] };
    const rows = await allEvents(ctx, filter, 2000);
    assert.equal(rows.length, 1111);
    assert.equal(await unifiedTablePresent(store), true);
    assert.deepEqual(new Set(rows.map((r) => r.source)), new Set(['cloudtrail', 'elb', 'vpc_flow', 's3_access']));
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].time <= rows[i].time || Date.parse(rows[i - 1].time) <= Date.parse(rows[i].time), `row ${i} out of order`);
    assert.ok(rows.every((r) => r.src_ip === ATTACKER || r.dst_ip === ATTACKER));
    const stop = rows.find((r) => r.action === 'cloudtrail.amazonaws.com:StopLogging');
    assert.equal(stop?.time, '2025-03-19T09:33:47Z');
    assert.equal(stop?.tbl, 'cloudtrail');

    const paged = await allEvents(ctx, filter, 97);
    assert.deepEqual(paged.map((r) => r.pos), rows.map((r) => r.pos));

    // A jump: the row 500 matches after the first one, with no cursor for it.
    const jump = await call(ctx, 'events/page', { filter, cursor: rows[0].pos, offset: 500, limit: 3 });
    assert.ok(jump.ok);
    assert.deepEqual(jump.value.rows.map((r) => r.pos), rows.slice(500, 503).map((r) => r.pos));
    const past = await call(ctx, 'events/page', { filter, offset: 5000, limit: 3 });
    assert.deepEqual(past.ok && past.value, { rows: [], nextCursor: null });
  });

  test('events/count and events/histogram agree with the pages for each filter', async () => {
    const filter: EventFilterSpec = {
      from: '2025-03-19T09:00:00Z',
      to: '2025-03-19T10:00:00Z',
      sources: ['cloudtrail', 'elb'],
      entities: [{ kind: 'ip', value: ATTACKER }],
      outcomes: ['denied', 'error'],
    };
    const rows = await allEvents(ctx, filter, 2000);
    assert.ok(rows.length > 10);
    assert.ok(rows.every((r) => (r.source === 'cloudtrail' || r.source === 'elb') && (r.outcome === 'denied' || r.outcome === 'error')));
    assert.ok(rows.every((r) => r.time >= '2025-03-19T09:00:00Z' && r.time < '2025-03-19T10:00:00Z'));
    const count = await call(ctx, 'events/count', { filter });
    assert.equal(count.ok && count.value.count, rows.length);
    const h = await call(ctx, 'events/histogram', { filter, buckets: 60 });
    assert.ok(h.ok);
    assert.equal(h.value.total, rows.length);
    assert.equal(h.value.bucketSeconds, 60);
    assert.equal(h.value.from, '2025-03-19T09:00:00Z');
    assert.equal(h.value.buckets.length, 60);
    assert.deepEqual(Object.keys(h.value.series).sort(), ['cloudtrail', 'elb']);
    assert.equal(h.value.series.elb.reduce((a, b) => a + b, 0), rows.filter((r) => r.source === 'elb').length);

    const text = await allEvents(ctx, { text: 'svc-backup-sync', sources: ['cloudtrail'] }, 2000);
    assert.ok(text.length > 5);
    assert.ok(text.every((r) => `${r.summary} ${r.actor} ${r.target}`.includes('svc-backup-sync')));
    // Wildcards in the text are literal characters.
    assert.equal((await allEvents(ctx, { text: '%_%' }, 2000)).length, 0);
  });

  test('every part of the filter is checked', async () => {
    const bad: unknown[] = [
      { filter: { sources: ['cloudtrail', 'guardduty'] } },
      { filter: { sources: 'cloudtrail' } },
      { filter: { entities: [{ kind: 'hostname', value: 'x' }] } },
      { filter: { entities: [{ kind: 'ip', value: '' }] } },
      { filter: { entities: [{ kind: 'ip', value: 'x'.repeat(1025) }] } },
      { filter: { entities: Array.from({ length: 21 }, () => ({ kind: 'ip', value: ATTACKER })) } },
      { filter: { from: 'yesterday' } },
      { filter: { from: '2025-13-45T99:00:00Z' } },
      { filter: { from: '2025-03-19T10:00:00Z', to: '2025-03-19T09:00:00Z' } },
      { filter: { text: 'x'.repeat(501) } },
      { filter: { text: 42 } },
      { filter: { outcomes: ['maybe'] } },
      { filter: 'all' },
      { filter: {}, limit: 2001 },
      { filter: {}, limit: 0 },
      { filter: {}, cursor: -1 },
      { filter: {}, offset: 1.5 },
    ];
    for (const req of bad) assert.equal(await errorCode(ctx, 'events/page', req), 'BAD_REQUEST', JSON.stringify(req).slice(0, 120));
    assert.equal(await errorCode(ctx, 'events/count', { filter: { sources: ['nope'] } }), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'events/histogram', { filter: {}, buckets: 5000 }), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'entity/profile', { kind: 'user', value: 'alice' }), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'coverage/get', { bucketMinutes: 0 }), 'BAD_REQUEST');
    // A time without a zone is UTC.
    const a = await call(ctx, 'events/count', { filter: { from: '2025-03-19T09:00:00', to: '2025-03-19T10:00:00' } });
    const b = await call(ctx, 'events/count', { filter: { from: '2025-03-19T09:00:00Z', to: '2025-03-19T10:00:00+00:00' } });
    assert.ok(a.ok && b.ok);
    assert.equal(a.value.count, b.value.count);
  });

  test('the entity profile of the attacker IP: every source, the stolen session, the second hop, the findings that name it', async () => {
    const r = await call(ctx, 'entity/profile', { kind: 'ip', value: ATTACKER });
    assert.ok(r.ok);
    const p = r.value;
    assert.equal(p.firstSeen, '2025-03-19T08:57:00Z');
    assert.equal(p.lastSeen, '2025-03-19T11:46:04Z');
    assert.deepEqual(p.bySource.map((s) => s.source).sort(), ['cloudtrail', 'elb', 's3_access', 'vpc_flow']);
    assert.equal(p.bySource.reduce((a, s) => a + s.count, 0), p.total);
    assert.ok(p.errorRate > 0 && p.errorRate < 1);
    assert.ok(p.actions.some((a) => a.action === 'cloudtrail.amazonaws.com:StopLogging'));
    assert.ok(p.related.instances.some((i) => i.value === STOLEN_SESSION_INSTANCE));
    assert.ok(p.related.principals.some((x) => x.value.endsWith(`/acme-web-app-role/${STOLEN_SESSION_INSTANCE}`)));
    assert.ok(p.related.access_keys.some((x) => x.value === BACKDOOR_KEY));
    const hop = p.ipActivity.find((a) => a.ip === ATTACKER);
    assert.ok(hop && hop.cloudtrail > 0 && hop.elb > 0 && hop.vpc_flow > 0 && hop.s3_access > 0);
    assert.deepEqual(p.findings.map((f) => f.id), ['CS-X-001']);
    assert.equal(p.findings[0].severity, 'critical');

    const key = await call(ctx, 'entity/profile', { kind: 'access_key', value: BACKDOOR_KEY });
    assert.ok(key.ok);
    assert.ok(key.value.total > 0);
    assert.deepEqual(key.value.findings.map((f) => f.id), ['CS-X-001']);
    const session = await call(ctx, 'entity/profile', { kind: 'session', value: STOLEN_SESSION_INSTANCE });
    assert.ok(session.ok);
    assert.ok(session.value.total > 0);
    assert.deepEqual(session.value.findings.map((f) => f.id), ['CS-X-001']);
    const nobody = await call(ctx, 'entity/profile', { kind: 'ip', value: '192.0.2.254' });
    assert.ok(nobody.ok);
    assert.equal(nobody.value.total, 0);
    assert.deepEqual(nobody.value.findings, []);
    // A value with LIKE wildcards names nothing.
    const wild = await call(ctx, 'entity/profile', { kind: 'principal', value: '%' });
    assert.ok(wild.ok);
    assert.deepEqual(wild.value.findings, []);
  });

  test('coverage shows the CloudTrail gap of the StopLogging window, explained by StopLogging and StartLogging', async () => {
    const r = await call(ctx, 'coverage/get', { bucketMinutes: 15 });
    assert.ok(r.ok);
    assert.equal(r.value.bucketMinutes, 15);
    assert.deepEqual([...new Set(r.value.series.map((s) => s.source))].sort(), ['cloudtrail', 'elb', 's3_access', 'vpc_flow']);
    const gap = r.value.gaps.find((g) => g.source === 'cloudtrail' && g.region === 'us-east-1');
    assert.ok(gap);
    assert.equal(gap.from, '2025-03-19T09:45:00Z');
    assert.equal(gap.to, '2025-03-19T10:45:00Z');
    assert.equal(gap.minutes, 60);
    const stop = gap.explanations.find((e) => e.event === 'StopLogging');
    assert.equal(stop?.time, '2025-03-19T09:33:47Z');
    assert.equal(stop?.actor, 'arn:aws:iam::123456789012:user/svc-backup-sync');
    assert.ok(gap.explanations.some((e) => e.event === 'StartLogging' && e.time === '2025-03-19T10:52:30Z'));
  });

  test('the incident timeline: pin, note, edit, remove, in time order', async () => {
    const [stop] = await allEvents(ctx, { text: 'StopLogging', sources: ['cloudtrail'], entities: [{ kind: 'ip', value: ATTACKER }] }, 10);
    assert.ok(stop);
    const ref = { tbl: stop.tbl, source_file_id: stop.source_file_id, record_index: stop.record_index };
    const pinned = await call(ctx, 'timeline/pin', { event: ref, note: 'trail stopped', tags: ['defense-evasion', ' '] });
    assert.ok(pinned.ok, JSON.stringify(pinned));
    assert.equal(pinned.value.kind, 'event');
    assert.equal(pinned.value.origin, 'manual');
    assert.equal(pinned.value.time, '2025-03-19T09:33:47Z');
    assert.deepEqual(pinned.value.tags, ['defense-evasion']);
    // Pinning the same record again updates it rather than adding a second item.
    const again = await call(ctx, 'timeline/pin', { event: ref, note: 'trail stopped by the backdoor user' });
    assert.equal(again.ok && again.value.item_id, pinned.value.item_id);

    const n = await call(ctx, 'timeline/note', { time: '2025-03-19T09:00:00Z', title: 'Scan starts', note: '<b>not markup</b>' });
    assert.ok(n.ok);
    const edited = await call(ctx, 'timeline/update', { itemId: pinned.value.item_id, note: 'edited', tags: ['T1562.008'] });
    assert.ok(edited.ok);
    assert.equal(edited.value.note, 'edited');
    assert.deepEqual(edited.value.tags, ['T1562.008']);
    assert.equal(edited.value.title, pinned.value.title);

    const list = await call(ctx, 'timeline/list', {});
    assert.ok(list.ok);
    assert.deepEqual(list.value.map((i) => [i.kind, i.time]), [
      ['note', '2025-03-19T09:00:00Z'],
      ['event', '2025-03-19T09:33:47Z'],
    ]);
    assert.equal(list.value[0].note, '<b>not markup</b>');

    const removed = await call(ctx, 'timeline/remove', { itemId: n.value.item_id });
    assert.deepEqual(removed.ok && removed.value, { removed: n.value.item_id });
    const after = await call(ctx, 'timeline/list', {});
    assert.deepEqual(after.ok && after.value.map((i) => i.item_id), [pinned.value.item_id]);

    assert.equal(await errorCode(ctx, 'timeline/pin', { event: { ...ref, record_index: 999_999 } }), 'NOT_FOUND');
    assert.equal(await errorCode(ctx, 'timeline/pin', { event: { ...ref, tbl: 'digests' } }), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'timeline/pin', { event: ref, findingId: 1 }), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'timeline/pin', {}), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'timeline/pin', { findingId: 999_999 }), 'NOT_FOUND');
    assert.equal(await errorCode(ctx, 'timeline/update', { itemId: 999_999, note: 'x' }), 'NOT_FOUND');
    assert.equal(await errorCode(ctx, 'timeline/update', { itemId: pinned.value.item_id }), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'timeline/remove', { itemId: 999_999 }), 'NOT_FOUND');
    assert.equal(await errorCode(ctx, 'timeline/note', { time: 'soon', title: 'x' }), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'timeline/note', { time: '2025-03-19T09:00:00Z', title: '' }), 'BAD_REQUEST');
    assert.equal(await errorCode(ctx, 'timeline/note', { time: '2025-03-19T09:00:00Z', title: 'x', tags: 'one' }), 'BAD_REQUEST');
  });

  test('a draft from the findings pins each finding and its entities\' events around it, marked as draft', async () => {
    assert.equal(await errorCode(ctx, 'timeline/draft', { minSeverity: 'severe' }), 'BAD_REQUEST');
    const r = await call(ctx, 'timeline/draft', { windowMinutes: 5, minSeverity: 'critical' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.findings, 1);
    assert.ok(r.value.events > 10);
    const list = await call(ctx, 'timeline/list', {});
    assert.ok(list.ok);
    const finding = list.value.find((i) => i.kind === 'finding');
    assert.equal(finding?.rule_id, 'CS-X-001');
    assert.equal(finding?.origin, 'draft');
    assert.ok(list.value.filter((i) => i.origin === 'draft' && i.kind === 'event').length === r.value.events);
    // The event pinned by hand before stays manual.
    assert.ok(list.value.some((i) => i.origin === 'manual' && i.time === '2025-03-19T09:33:47Z'));
    const times = list.value.map((i) => Date.parse(i.time ?? ''));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    // A second draft adds nothing new.
    const twice = await call(ctx, 'timeline/draft', { windowMinutes: 5, minSeverity: 'critical' });
    assert.equal(twice.ok && twice.value.events, 0);
  });
});

describe('a case being imported into', () => {
  test('reads the table built before the import without rebuilding it, then rebuilds once the import has finished', async () => {
    const dir = tempDir('cloudsift-timeline-importing-');
    const store = await CaseStore.open(path.join(dir, 'case.duckdb'));
    const ctx = await createApiContext(store);
    try {
      const missing = ctx.imports.start([path.resolve('sample-logs/s3-access')]);
      assert.equal(missing.state, 'running');
      // Nothing to read yet, and building now would record the running import as included.
      assert.equal(await errorCode(ctx, 'events/count', {}), 'IMPORT_RUNNING');
      await ctx.imports.idle();
      const s3 = await call(ctx, 'events/count', { filter: { sources: ['s3_access'] } });
      assert.ok(s3.ok);
      assert.ok(s3.value.count > 800);

      ctx.imports.start([path.resolve('sample-logs/AWSLogs/123456789012/CloudTrail/us-east-1')]);
      const during = await call(ctx, 'events/count', { filter: { sources: ['cloudtrail'] } });
      assert.ok(during.ok, JSON.stringify(during));
      assert.equal(during.value.count, 0);
      await ctx.imports.idle();
      const afterImport = await call(ctx, 'events/count', { filter: { sources: ['cloudtrail'] } });
      assert.ok(afterImport.ok);
      assert.ok(afterImport.value.count > 1000);
      const meta = await store.one<{ built: string; latest: string }>(
        `SELECT (SELECT value FROM cloudsift_meta WHERE key = 'unified_events_import') AS built, (SELECT max(import_id)::VARCHAR FROM imports) AS latest`,
      );
      assert.equal(meta?.built, meta?.latest);
    } finally {
      await ctx.close();
      await store.close();
    }
  });
});
