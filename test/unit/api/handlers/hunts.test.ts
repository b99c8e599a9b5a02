import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CaseStore } from '../../../../analyzers/store/caseStore';
import { importPaths } from '../../../../analyzers/importers/importRun';
import { createApiContext, type ApiContext } from '../../../../analyzers/api/context';
import { call } from '../../../../analyzers/api/dispatch';
import type { HuntJob } from '../../../../analyzers/api/contract';
import { tempDir } from '../../../helpers/tempCase';

const CLOUDTRAIL = path.resolve('sample-logs/AWSLogs/123456789012/CloudTrail');
const ATTACKER = '198.51.100.23';

let dir: string;
let huntsDir: string;
let store: CaseStore;
let ctx: ApiContext;

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

const BY_IP = `-- @id: my-calls-by-ip
-- @title: Calls by source IP
-- @attack: T1078
-- @param ip varchar = 203.0.113.1  -- the source address
SELECT event_name, count(*) AS n, min(event_time) AS first_seen
FROM cloudtrail WHERE source_ip = $ip GROUP BY 1 ORDER BY n DESC, event_name
`;

async function finished(jobId: string, timeoutMs = 60_000): Promise<HuntJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(ctx, 'jobs/get', { jobId });
    assert.ok(r.ok);
    if (r.value.state !== 'running') return r.value as HuntJob;
    if (Date.now() > until) throw new Error(`job ${jobId} still running`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

async function run(req: Parameters<typeof call<'hunts/run'>>[2]): Promise<HuntJob> {
  const r = await call(ctx, 'hunts/run', req);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.kind, 'hunt');
  return finished(r.value.jobId);
}

before(async () => {
  dir = tempDir('cloudsift-hunts-api-');
  huntsDir = path.join(dir, 'my-hunts');
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await importPaths(store, [CLOUDTRAIL]);
  ctx = await createApiContext(store, { huntsDir });
});

after(async () => {
  await ctx.close();
  await store.close();
});

test('hunts/list has the 41 built-in hunts with their ATT&CK ids and parameters', async () => {
  const r = await call(ctx, 'hunts/list', {});
  assert.ok(r.ok);
  const builtin = r.value.filter((h) => h.origin === 'builtin');
  assert.equal(builtin.length, 41);
  const first = builtin.find((h) => h.id === 'CS-H-001');
  assert.ok(first);
  assert.ok(first.attack.includes('T1087'));
  assert.deepEqual(first.params.find((p) => p.name === 'baseline_days'), { name: 'baseline_days', type: 'integer', default: 7, description: 'days from the first CloudTrail event that count as normal activity' });
  const got = await call(ctx, 'hunts/get', { id: 'CS-H-001' });
  assert.ok(got.ok);
  assert.match(got.value.text, /^-- @id: CS-H-001/);
  assert.match(got.value.sql, /^WITH ct AS/);
});

test('a user hunt is saved, read, renamed through previousId and deleted in the user folder', async () => {
  const saved = await call(ctx, 'hunts/save', { text: BY_IP });
  assert.ok(saved.ok, saved.ok ? '' : saved.error.message);
  assert.equal(saved.value.origin, 'user');
  assert.deepEqual(saved.value.params, [{ name: 'ip', type: 'varchar', default: '203.0.113.1', description: 'the source address' }]);
  assert.ok(fs.existsSync(path.join(huntsDir, 'my-calls-by-ip.sql')));

  const again = await call(ctx, 'hunts/save', { text: BY_IP });
  assert.equal(!again.ok && again.error.code, 'FILE_EXISTS');

  const edited = BY_IP.replace('Calls by source IP', 'Calls from one address');
  const updated = await call(ctx, 'hunts/save', { text: edited, previousId: 'my-calls-by-ip' });
  assert.ok(updated.ok);
  const got = await call(ctx, 'hunts/get', { id: 'my-calls-by-ip' });
  assert.equal(got.ok && got.value.title, 'Calls from one address');

  const renamed = await call(ctx, 'hunts/save', { text: edited.replace('@id: my-calls-by-ip', '@id: my-calls-from-ip'), previousId: 'my-calls-by-ip' });
  assert.ok(renamed.ok);
  assert.deepEqual(fs.readdirSync(huntsDir), ['my-calls-from-ip.sql']);
  const list = await call(ctx, 'hunts/list', {});
  assert.ok(list.ok);
  assert.deepEqual(list.value.filter((h) => h.origin === 'user').map((h) => h.id), ['my-calls-from-ip']);
  assert.equal((await call(ctx, 'hunts/get', { id: 'my-calls-by-ip' })).ok, false);

  const del = await call(ctx, 'hunts/delete', { id: 'my-calls-from-ip' });
  assert.deepEqual(del.ok && del.value, { deleted: 'my-calls-from-ip' });
  assert.deepEqual(fs.readdirSync(huntsDir), []);
});

test('built-in hunts are read-only, and bad files and ids are refused with the reason', async () => {
  const builtin = await call(ctx, 'hunts/get', { id: 'CS-H-001' });
  assert.ok(builtin.ok);
  const overwrite = await call(ctx, 'hunts/save', { text: builtin.value.text, replace: true });
  assert.equal(!overwrite.ok && overwrite.error.code, 'BAD_REQUEST');
  assert.match(!overwrite.ok ? overwrite.error.message : '', /built-in hunt and is read-only/);
  const edit = await call(ctx, 'hunts/save', { text: BY_IP, previousId: 'CS-H-001' });
  assert.match(!edit.ok ? edit.error.message : '', /read-only/);
  const del = await call(ctx, 'hunts/delete', { id: 'CS-H-001' });
  assert.match(!del.ok ? del.error.message : '', /read-only/);
  const noHeader = await call(ctx, 'hunts/save', { text: 'SELECT 1' });
  assert.equal(!noHeader.ok && noHeader.error.code, 'BAD_REQUEST');
  assert.match(!noHeader.ok ? noHeader.error.message : '', /missing '-- @id:' header/);
  const traversal = await call(ctx, 'hunts/get', { id: '../../etc/passwd' });
  assert.equal(!traversal.ok && traversal.error.code, 'BAD_REQUEST');
  const parse = await call(ctx, 'hunts/parse', { text: BY_IP });
  assert.equal(parse.ok && parse.value.params[0].name, 'ip');
  const undeclared = await call(ctx, 'hunts/parse', { text: '-- @id: x\n-- @title: x\nSELECT $nope' });
  assert.match(!undeclared.ok ? undeclared.error.message : '', /\$nope is used but not declared/);
});

test('hunts/run binds the parameters, returns JSON-safe rows and records the run', async () => {
  const job = await run({ text: BY_IP, params: { ip: ATTACKER } });
  assert.equal(job.state, 'done', job.error?.message);
  const res = job.result!;
  assert.deepEqual(res.columns, ['event_name', 'n', 'first_seen']);
  assert.ok(res.rowCount > 3);
  assert.equal(res.rows.length, res.rowCount);
  assert.equal(res.truncated, false);
  assert.deepEqual(res.params, { ip: ATTACKER });
  // BIGINT counts cross as strings, timestamps as ISO 8601 UTC.
  assert.equal(typeof res.rows[0][1], 'string');
  assert.match(String(res.rows[0][2]), /^2025-03-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.doesNotThrow(() => JSON.stringify(res));

  const capped = await run({ text: BY_IP, params: { ip: ATTACKER }, maxRows: 2 });
  assert.equal(capped.result!.rows.length, 2);
  assert.equal(capped.result!.rowCount, res.rowCount);
  assert.equal(capped.result!.truncated, true);

  const byId = await run({ id: 'CS-H-001', params: { baseline_days: 1, include_failed: false } });
  assert.equal(byId.state, 'done', byId.error?.message);
  assert.deepEqual(byId.result!.params.baseline_days, 1);

  const hist = await call(ctx, 'hunts/history', { limit: 3 });
  assert.ok(hist.ok);
  assert.deepEqual(hist.value.map((h) => [h.hunt_id, h.status]), [['CS-H-001', 'ok'], ['my-calls-by-ip', 'ok'], ['my-calls-by-ip', 'ok']]);
  const mine = hist.value[2];
  assert.deepEqual(mine.parameters, { ip: ATTACKER });
  assert.equal(mine.row_count, res.rowCount);
  assert.match(mine.sql_text, /WHERE source_ip = \$ip/);
  assert.match(mine.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

  const badParam = await call(ctx, 'hunts/run', { text: BY_IP, params: { nope: 'x' } });
  assert.equal(!badParam.ok && badParam.error.code, 'HUNT_PARAM');
  const badValue = await call(ctx, 'hunts/run', { id: 'CS-H-001', params: { baseline_days: 'soon' } });
  assert.equal(!badValue.ok && badValue.error.code, 'HUNT_PARAM');
  const tooMany = await call(ctx, 'hunts/run', { text: BY_IP, maxRows: 50_000 });
  assert.equal(!tooMany.ok && tooMany.error.code, 'BAD_REQUEST');
});

test('a hunt that writes, reads files or attaches is an error job, is recorded, and leaves the case as it was', async () => {
  const casePath = store.file;
  const before = sha(casePath);
  const leak = path.join(dir, 'leak.csv');
  const forbidden: [string, RegExp][] = [
    [`COPY (SELECT 1) TO '${leak}'`, /not allowed|cannot/],
    ["SELECT * FROM read_csv('/etc/passwd')", /cannot read or write files/],
    [`ATTACH '${path.join(dir, 'other.duckdb')}' AS o`, /not allowed|cannot/],
    ['DROP TABLE cloudtrail', /not allowed|cannot change/],
  ];
  for (const [sql, re] of forbidden) {
    const job = await run({ text: `-- @id: evil\n-- @title: Evil\n${sql}` });
    assert.equal(job.state, 'failed', sql);
    assert.ok(['HUNT_REFUSED', 'HUNT_FAILED'].includes(job.error!.code), `${sql}: ${job.error!.code}`);
    assert.match(job.error!.message, re, sql);
  }
  assert.ok(!fs.existsSync(leak));
  assert.ok(!fs.existsSync(path.join(dir, 'other.duckdb')));
  // The history rows are in the write-ahead log until the next checkpoint: the case file itself is untouched.
  assert.equal(sha(casePath), before, 'case file unchanged');
  const count = await store.one<{ n: bigint }>(`SELECT count(*) AS n FROM cloudtrail`);
  assert.ok(Number(count!.n) > 0);
  const hist = await call(ctx, 'hunts/history', { limit: forbidden.length });
  assert.ok(hist.ok);
  assert.ok(hist.value.every((h) => h.hunt_id === 'evil' && ['refused', 'failed'].includes(h.status) && h.error));
});

test('a slow hunt can be cancelled, and one past its time limit stops', async () => {
  const slow = '-- @id: slow\n-- @title: Slow\nSELECT count(*) FROM range(100000000000) a, range(10) b WHERE a.range % 7 = b.range';
  const started = await call(ctx, 'hunts/run', { text: slow });
  assert.ok(started.ok);
  await new Promise((r) => setTimeout(r, 300));
  const cancel = await call(ctx, 'jobs/cancel', { jobId: started.value.jobId });
  assert.ok(cancel.ok);
  const job = await finished(started.value.jobId, 10_000);
  assert.equal(job.state, 'cancelled');
  assert.equal(job.error?.code, 'HUNT_CANCELLED');

  const timed = await run({ text: slow, timeoutMs: 300 });
  assert.equal(timed.state, 'failed');
  assert.equal(timed.error?.code, 'HUNT_TIMEOUT');
  const hist = await call(ctx, 'hunts/history', { limit: 2 });
  assert.deepEqual(hist.ok && hist.value.map((h) => h.status), ['timeout', 'cancelled']);
});

test('hunts/catalog lists what a hunt can read, with docs, and the macros', async () => {
  const r = await call(ctx, 'hunts/catalog', {});
  assert.ok(r.ok);
  const names = r.value.tables.map((t) => t.name);
  for (const t of ['cloudtrail', 'vpc_flow', 'elb', 's3_access', 'sources', 'findings', 'timeline_items', 'hunt_runs']) assert.ok(names.includes(t), t);
  const ct = r.value.tables.find((t) => t.name === 'cloudtrail')!;
  assert.match(ct.doc, /CloudTrail/);
  const ip = ct.columns.find((c) => c.name === 'source_ip');
  assert.equal(ip?.type, 'VARCHAR');
  assert.ok(ct.columns.some((c) => c.doc));
  assert.ok(r.value.macros.includes('iso'));
});
