import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { importPaths } from '../../../analyzers/importers/importRun';
import { parseHunt } from '../../../analyzers/hunts/huntFile';
import { HuntRunError, runHuntSandboxed } from '../../../analyzers/hunts/runHunt';
import { HuntLibrary } from '../../../analyzers/hunts/library';
import { listHuntRuns, recordHuntRun } from '../../../analyzers/hunts/history';
import { tempDir, writeFiles } from '../../helpers/tempCase';

const ev = (i: number, name: string) => ({ eventVersion: '1.08', eventTime: `2024-03-01T10:00:${String(i).padStart(2, '0')}Z`, eventSource: 'iam.amazonaws.com', eventName: name, awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.23', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333' }, eventID: `e${i}` });

async function makeCase(): Promise<string> {
  const dir = tempDir();
  writeFiles(dir, { 'logs/ct.json': JSON.stringify({ Records: [ev(1, 'CreateUser'), ev(2, 'CreateAccessKey'), ev(3, 'CreateUser')] }) });
  const casePath = path.join(dir, 'case.duckdb');
  const store = await CaseStore.open(casePath);
  await importPaths(store, [path.join(dir, 'logs')]);
  await store.close();
  return casePath;
}

const hunt = (sql: string, params = '') => parseHunt(`-- @id: t\n-- @title: t\n${params}${sql}`);
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

test('runs a parameterized hunt with bound values and defaults', async () => {
  const casePath = await makeCase();
  const h = hunt(`SELECT event_name, count(*) AS n FROM cloudtrail WHERE event_time >= $since AND list_contains($names, event_name) GROUP BY 1 ORDER BY 1`, `-- @param since timestamptz = 2024-01-01T00:00:00Z\n-- @param names varchar[] = ["CreateUser"]\n`);
  const r = await runHuntSandboxed(casePath, h, {});
  assert.deepEqual(r.rows, [['CreateUser', '2']]);
  const r2 = await runHuntSandboxed(casePath, h, { names: 'CreateUser,CreateAccessKey', since: '2024-03-01T10:00:02Z' });
  assert.deepEqual(r2.rows, [['CreateAccessKey', '1'], ['CreateUser', '1']]);
  await assert.rejects(runHuntSandboxed(casePath, h, { nope: '1' }), /has no parameter 'nope'/);
  await assert.rejects(runHuntSandboxed(casePath, h, { since: 'yesterday' }), /not an ISO 8601 time/);
});

test('the sandbox refuses every write and every file, and leaves the case unchanged', async () => {
  const casePath = await makeCase();
  const before = sha(casePath);
  const forbidden: [string, RegExp][] = [
    ['DROP TABLE cloudtrail', /not allowed|cannot change/],
    ['DELETE FROM cloudtrail', /not allowed|cannot change/],
    ['UPDATE cloudtrail SET event_name = 1', /not allowed|cannot change/],
    ["COPY cloudtrail TO '/tmp/leak.csv'", /not allowed|cannot/],
    ["ATTACH '/tmp/other.duckdb' AS o", /not allowed|cannot/],
    ['INSTALL httpfs', /not allowed|cannot/],
    ['LOAD httpfs', /not allowed|cannot/],
    ["SET enable_external_access = true", /not allowed|cannot/],
    ["SELECT * FROM read_csv('/etc/passwd')", /cannot read or write files/],
    ["SELECT * FROM read_text('/etc/passwd')", /cannot read or write files/],
    ["SELECT * FROM glob('/etc/*')", /cannot read or write files/],
    ["SELECT * FROM read_json('https://example.com/x.json')", /cannot read or write files/],
    ["SELECT * FROM '/etc/passwd'", /cannot read or write files|does not exist/],
    ['SELECT 1; DROP TABLE cloudtrail', /one SELECT statement/],
  ];
  for (const [sql, re] of forbidden) {
    await assert.rejects(runHuntSandboxed(casePath, hunt(sql), {}), (e: unknown) => e instanceof HuntRunError && re.test(e.message), sql);
  }
  assert.equal(sha(casePath), before, 'case file unchanged');
  assert.ok(!fs.existsSync('/tmp/leak.csv'));
});

test('long queries stop at the time limit and can be cancelled', async () => {
  const casePath = await makeCase();
  const slow = hunt('SELECT count(*) FROM range(100000000000) a, range(10) b WHERE a.range % 7 = b.range');
  await assert.rejects(runHuntSandboxed(casePath, slow, {}, { timeoutMs: 300 }), (e: unknown) => e instanceof HuntRunError && e.code === 'HUNT_TIMEOUT');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  await assert.rejects(runHuntSandboxed(casePath, slow, {}, { signal: ac.signal }), (e: unknown) => e instanceof HuntRunError && e.code === 'HUNT_CANCELLED');
});

test('history records what was run, with the SQL and the values', async () => {
  const casePath = await makeCase();
  const store = await CaseStore.open(casePath);
  const h = hunt('SELECT count(*) FROM cloudtrail WHERE event_name = $n', '-- @param n varchar = CreateUser\n');
  await recordHuntRun(store, { hunt: h, params: { n: 'CreateUser' }, status: 'ok', rowCount: 1, durationMs: 5, startedAt: new Date('2026-01-01T00:00:00Z') });
  const runs = await listHuntRuns(store);
  await store.close();
  assert.equal(runs.length, 1);
  assert.equal(runs[0].sql_text, h.sql);
  assert.deepEqual(runs[0].parameters, { n: 'CreateUser' });
  assert.equal(runs[0].started_at, '2026-01-01T00:00:00Z');
});

test('library: create, edit, rename, delete, export and import a pack', async () => {
  const dir = tempDir();
  const lib = new HuntLibrary(path.join(dir, 'mine'), path.join(dir, 'builtin'));
  writeFiles(dir, { 'builtin/b.sql': '-- @id: builtin-1\n-- @title: B\nSELECT 1' });
  lib.create('-- @id: h1\n-- @title: First\nSELECT 1');
  assert.throws(() => lib.create('-- @id: h1\n-- @title: Again\nSELECT 1'), /already exists/);
  assert.throws(() => lib.create('-- @id: builtin-1\n-- @title: Shadow\nSELECT 1'), /built-in/);
  lib.update('h1', '-- @id: h1\n-- @title: Edited\nSELECT 2');
  assert.equal(lib.get('h1').title, 'Edited');
  lib.rename('h1', 'h2');
  assert.deepEqual(lib.list().map((h) => [h.id, h.origin]), [['builtin-1', 'builtin'], ['h2', 'user']]);
  assert.throws(() => lib.delete('builtin-1'), /built-in/);
  const pack = path.join(dir, 'pack.zip');
  lib.exportPack(pack);
  lib.delete('h2');
  const other = new HuntLibrary(path.join(dir, 'other'), path.join(dir, 'none'));
  const r = await other.importPack(pack);
  assert.deepEqual(r.imported.sort(), ['builtin-1', 'h2']);
  assert.equal(other.get('h2').sql, 'SELECT 2');
});

test('an empty list parameter binds', async () => {
  const casePath = await makeCase();
  const h = hunt('SELECT count(*) AS n FROM cloudtrail WHERE NOT list_contains($skip, event_name)', '-- @param skip varchar[] = ["x"]\n');
  const r = await runHuntSandboxed(casePath, h, { skip: [] });
  assert.deepEqual(r.rows, [['3']]);
});

test('parameters bind with their declared type: a whole-number double stays a double', async () => {
  const casePath = await makeCase();
  const h = hunt('SELECT typeof($ratio) AS t, $ratio / 4 AS q, typeof($n) AS tn FROM cloudtrail LIMIT 1', '-- @param ratio double = 2\n-- @param n bigint = 3\n');
  const r = await runHuntSandboxed(casePath, h, {});
  assert.deepEqual(r.rows, [['DOUBLE', 0.5, 'BIGINT']]);
});

test('a user hunt file that does not read is skipped and reported, not hiding the library', () => {
  const dir = tempDir();
  writeFiles(dir, { 'user/good.sql': '-- @id: good\n-- @title: Good\nSELECT 1', 'user/bad.sql': '-- @title: no id\nSELECT 1' });
  const lib = new HuntLibrary(path.join(dir, 'user'), path.join(dir, 'none'));
  assert.deepEqual(lib.list().map((h) => h.id), ['good']);
  assert.deepEqual(lib.unreadable().map((p) => [path.basename(p.file), /missing '-- @id:'/.test(p.error)]), [['bad.sql', true]]);
});

test('timestamps in results are ISO 8601 UTC', async () => {
  const casePath = await makeCase();
  const r = await runHuntSandboxed(casePath, hunt('SELECT min(event_time) AS t FROM cloudtrail'), {});
  assert.deepEqual(r.rows, [['2024-03-01T10:00:01Z']]);
});
