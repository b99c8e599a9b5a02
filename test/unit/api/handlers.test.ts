import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { createApiContext, type ApiContext } from '../../../analyzers/api/context';
import { call, dispatch } from '../../../analyzers/api/dispatch';
import { HANDLERS } from '../../../analyzers/api/handlers/index';
import { CHANNEL_NAMES } from '../../../analyzers/api/contract';
import { bucketWidth } from '../../../analyzers/api/handlers/histogram';

let dir: string;
let store: CaseStore;
let ctx: ApiContext;

const UA = `<script>alert('ua')</script>`;
const RAW = JSON.stringify({ eventVersion: '1.08', eventName: 'GetObject', userAgent: UA });

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-api-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await store.run(`INSERT INTO sources (source_file_id, path, kind, container, size, sha256, status, records_imported, records_duplicate, records_rejected, imported_at)
    VALUES (1, 'AWSLogs/1/CloudTrail/a.json', 'cloudtrail', 'plain', 10, repeat('a', 64), 'imported', 2, 0, 0, now()),
           (2, 'flow.log', 'vpc_flow', 'gzip', 20, repeat('b', 64), 'partial', 3, 0, 1, now())`);
  await store.run(`INSERT INTO cloudtrail (source_file_id, record_index, event_time, event_name, aws_region, recipient_account_id, user_agent, raw) VALUES
    (1, 0, '2024-03-01 12:00:00+00', 'GetObject', 'us-east-1', '123456789012', $ua, $raw),
    (1, 1, '2024-03-01 13:30:00+00', 'PutObject', 'eu-west-1', '123456789012', 'aws-cli', '{"eventName":"PutObject"}')`, { ua: UA, raw: RAW });
  await store.run(`INSERT INTO vpc_flow (source_file_id, record_index, event_time, account_id, srcaddr, raw) VALUES
    (2, 2, '2024-03-01 12:10:00+00', '210987654321', '10.0.0.1', '2 210987654321 eni-1 10.0.0.1 ...'),
    (2, 3, '2024-03-01 12:20:00+00', '210987654321', '10.0.0.2', '2 210987654321 eni-1 10.0.0.2 ...'),
    (2, 5, '2024-03-01 12:40:00+00', '210987654321', '10.0.0.3', '2 210987654321 eni-1 10.0.0.3 ...')`);
  await store.run(`INSERT INTO rejects VALUES (2, 4, 'line', 'wrong field count: 5, expected 14', '2 210987654321 eni-1 10.0.0.9 cut')`);
  await store.run(`INSERT INTO record_links VALUES ('cloudtrail', 'e1', 2, 9, 1, 0)`);
  ctx = await createApiContext(store);
});

after(async () => {
  await ctx.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('every channel of the contract has a handler and no handler is off the contract', () => {
  assert.deepEqual(Object.keys(HANDLERS).sort(), [...CHANNEL_NAMES].sort());
});

test('unknown channels and bad requests come back as error data', async () => {
  assert.deepEqual(await dispatch(ctx, 'case/drop', {}), { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'No API channel "case/drop"' } });
  assert.equal((await dispatch(ctx, '__proto__', {})).ok, false);
  const r = await call(ctx, 'table/page', { table: 'cloudtrail', columns: ['nope'], offset: 0, limit: 10 });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, 'UNKNOWN_COLUMN');
  const bad = await dispatch(ctx, 'rejects/list', 'not an object');
  assert.equal(!bad.ok && bad.error.code, 'BAD_REQUEST');
});

test('case/info lists every table with its row count', async () => {
  const r = await call(ctx, 'case/info', {});
  assert.ok(r.ok);
  assert.equal(r.value.path, store.file);
  assert.equal(r.value.tables.find((t) => t.name === 'cloudtrail')?.rows, 2);
  assert.equal(r.value.tables.find((t) => t.name === 'vpc_flow')?.rows, 3);
  assert.ok(r.value.caseId.length > 10);
});

test('table/schema describes columns; table/page returns Arrow; table/count counts the view', async () => {
  const s = await call(ctx, 'table/schema', { table: 'cloudtrail' });
  assert.ok(s.ok);
  assert.equal(s.value.columns.find((c) => c.name === 'raw')?.large, true);
  assert.equal(s.value.columns.find((c) => c.name === 'event_time')?.type, 'TIMESTAMPTZ');
  const p = await call(ctx, 'table/page', { table: 'cloudtrail', columns: ['event_name', 'user_agent'], sort: [{ column: 'event_time', dir: 'desc' }], offset: 0, limit: 10 });
  assert.ok(p.ok);
  const t = tableFromIPC(p.value);
  assert.deepEqual(t.toArray().map((r) => r.toJSON()), [
    { event_name: 'PutObject', user_agent: 'aws-cli' },
    { event_name: 'GetObject', user_agent: UA },
  ]);
  const c = await call(ctx, 'table/count', { table: 'vpc_flow', filters: [{ column: 'srcaddr', op: 'neq', value: '10.0.0.2' }] });
  assert.deepEqual(c, { ok: true, value: { count: 2 } });
});

test('record/get returns the raw record byte for byte, its source and its other copies', async () => {
  const r = await call(ctx, 'record/get', { table: 'cloudtrail', sourceFileId: 1, recordIndex: 0 });
  assert.ok(r.ok);
  assert.equal(r.value.raw, RAW);
  assert.equal(r.value.rawFormat, 'json');
  assert.equal(r.value.source?.sha256, 'a'.repeat(64));
  assert.deepEqual(r.value.alsoIn, [{ sourceFileId: 2, recordIndex: 9, path: 'flow.log' }]);
  assert.equal(r.value.fields.event_time, '2024-03-01T12:00:00.000Z');
  assert.equal('raw' in r.value.fields, false);
  const v = await call(ctx, 'record/get', { table: 'vpc_flow', sourceFileId: 2, recordIndex: 3 });
  assert.ok(v.ok && v.value.rawFormat === 'text');
  const missing = await call(ctx, 'record/get', { table: 'vpc_flow', sourceFileId: 2, recordIndex: 4 });
  assert.equal(!missing.ok && missing.error.code, 'NOT_FOUND');
  const notEvents = await call(ctx, 'record/get', { table: 'sources', sourceFileId: 1, recordIndex: 0 });
  assert.equal(!notEvents.ok && notEvents.error.code, 'BAD_REQUEST');
});

test('sources/list and rejects/list page the chain of custody', async () => {
  const s = await call(ctx, 'sources/list', { limit: 1, offset: 1 });
  assert.ok(s.ok);
  assert.equal(s.value.total, 2);
  assert.deepEqual(
    { id: s.value.rows[0].sourceFileId, kind: s.value.rows[0].kind, rejected: s.value.rows[0].recordsRejected, sha: s.value.rows[0].sha256 },
    { id: 2, kind: 'vpc_flow', rejected: 1, sha: 'b'.repeat(64) },
  );
  const r = await call(ctx, 'rejects/list', { sourceFileId: 2 });
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    total: 1,
    rows: [{ sourceFileId: 2, sourcePath: 'flow.log', position: 4, positionKind: 'line', reason: 'wrong field count: 5, expected 14', excerpt: '2 210987654321 eni-1 10.0.0.9 cut' }],
  });
  assert.equal((await call(ctx, 'rejects/list', { sourceFileId: 1 })).ok && (await call(ctx, 'rejects/list', { sourceFileId: 1 })).ok, true);
  const tooMany = await call(ctx, 'sources/list', { limit: 1e9 });
  assert.equal(!tooMany.ok && tooMany.error.code, 'BAD_REQUEST');
});

test('overview/get summarises tables, time span, accounts and regions', async () => {
  const r = await call(ctx, 'overview/get', {});
  assert.ok(r.ok);
  assert.equal(r.value.timeSpan.first, '2024-03-01T12:00:00.000Z');
  assert.equal(r.value.timeSpan.last, '2024-03-01T13:30:00.000Z');
  assert.deepEqual(r.value.accounts, [
    { key: '210987654321', records: 3 },
    { key: '123456789012', records: 2 },
  ]);
  assert.deepEqual(r.value.regions.map((x) => x.key).sort(), ['eu-west-1', 'us-east-1']);
  assert.equal(r.value.sources.files, 2);
  assert.equal(r.value.sources.rejectedRecords, 1);
});

test('histogram/get buckets every event table on one calendar-friendly grid', async () => {
  const r = await call(ctx, 'histogram/get', { tables: ['cloudtrail', 'vpc_flow'], buckets: 10 });
  assert.ok(r.ok);
  assert.equal(r.value.bucketMs, 15 * 60_000);
  assert.equal(r.value.startMs, Date.parse('2024-03-01T12:00:00Z'));
  assert.equal(r.value.bucketCount, 7);
  assert.deepEqual(r.value.series.find((s) => s.table === 'cloudtrail')?.counts, [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(r.value.series.find((s) => s.table === 'vpc_flow')?.counts, [1, 1, 1, 0, 0, 0, 0]);
  const all = await call(ctx, 'histogram/get', {});
  assert.ok(all.ok && all.value.series.some((s) => s.table === 'elb'));
  const bad = await call(ctx, 'histogram/get', { tables: ['rejects'] });
  assert.equal(!bad.ok && bad.error.code, 'BAD_REQUEST');
  assert.equal(bucketWidth(3_600_000, 60), 60_000);
  assert.equal(bucketWidth(400 * 86_400_000, 1), Math.ceil(400 / 1) * 86_400_000);
});

test('fs/list lists folders and files with sizes, never contents, and refuses relative paths', async () => {
  fs.mkdirSync(path.join(dir, 'logs', 'AWSLogs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'logs', 'secret.txt'), 'do not show me');
  const r = await call(ctx, 'fs/list', { path: path.join(dir, 'logs') });
  assert.ok(r.ok);
  assert.deepEqual(r.value.entries, [
    { name: 'AWSLogs', path: path.join(dir, 'logs', 'AWSLogs'), kind: 'dir', size: null },
    { name: 'secret.txt', path: path.join(dir, 'logs', 'secret.txt'), kind: 'file', size: 14 },
  ]);
  assert.equal(r.value.parent, dir);
  assert.ok(!JSON.stringify(r).includes('do not show me'));
  const rel = await call(ctx, 'fs/list', { path: 'logs' });
  assert.equal(!rel.ok && rel.error.code, 'BAD_REQUEST');
  const none = await call(ctx, 'fs/list', { path: path.join(dir, 'nope') });
  assert.equal(!none.ok && none.error.code, 'NOT_FOUND');
});
