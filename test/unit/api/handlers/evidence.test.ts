import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CaseStore } from '../../../../analyzers/store/caseStore';
import { createApiContext, type ApiContext } from '../../../../analyzers/api/context';
import { call } from '../../../../analyzers/api/dispatch';
import type { ExportJob, Job, ValidateJob } from '../../../../analyzers/api/contract';
import { importPaths } from '../../../../analyzers/importers/importRun';
import { generateSigningKeys } from '../../../../analyzers/evidence/bundleSigning';
import { readZipEntries } from '../../../../analyzers/evidence/zipReader';
import { buildZip } from '../../../../analyzers/evidence/zipWriter';
import { tempDir, writeFiles } from '../../../helpers/tempCase';

const SAMPLE = path.resolve('sample-logs');
const PUBLIC_KEYS = path.join(SAMPLE, 'keys/list-public-keys.json');
const SIGNATURES = path.join(SAMPLE, 'keys/signatures.json');
const HUNT_ID = 'evidence-test-stop-logging';

let dir: string;
let store: CaseStore;
let ctx: ApiContext;

async function finish<J extends Job>(job: J, on: ApiContext = ctx): Promise<J> {
  let j: Job = job;
  while (j.state === 'running') {
    await new Promise((r) => setTimeout(r, 50));
    const r = await call(on, 'jobs/get', { jobId: j.jobId });
    assert.ok(r.ok, JSON.stringify(r));
    j = r.value;
  }
  return j as J;
}

before(async () => {
  dir = tempDir('cloudsift-evidence-api-');
  // The hunt library the handlers open: the built-in pack and this folder.
  process.env.CLOUDSIFT_HUNTS = path.join(dir, 'hunts');
  writeFiles(dir, {
    [`hunts/${HUNT_ID}.sql`]: `-- @id: ${HUNT_ID}\n-- @title: Who stopped logging\nSELECT iso(event_time) AS t, user_arn FROM cloudtrail WHERE event_name = 'StopLogging' ORDER BY 1\n`,
  });
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await importPaths(store, [SAMPLE]);
  ctx = await createApiContext(store);
});

after(async () => {
  await ctx.close();
  await store.close();
});

test('validation/latest is null before any validation', async () => {
  assert.deepEqual(await call(ctx, 'validation/latest', {}), { ok: true, value: null });
});

test('validation/run refuses relative, missing and half-given key paths', async () => {
  const relative = await call(ctx, 'validation/run', { publicKeys: 'keys.json', signatures: SIGNATURES });
  assert.equal(!relative.ok && relative.error.code, 'BAD_REQUEST');
  assert.match(!relative.ok ? relative.error.message : '', /absolute/);
  const missing = await call(ctx, 'validation/run', { publicKeys: path.join(dir, 'nope.json'), signatures: SIGNATURES });
  assert.equal(!missing.ok && missing.error.code, 'NOT_FOUND');
  assert.match(!missing.ok ? missing.error.message : '', /public keys file .*nope\.json/);
  const half = await call(ctx, 'validation/run', { publicKeys: PUBLIC_KEYS });
  assert.equal(!half.ok && half.error.code, 'BAD_REQUEST');
  const swapped = await call(ctx, 'validation/run', { publicKeys: SIGNATURES, signatures: PUBLIC_KEYS });
  assert.equal(!swapped.ok && swapped.error.code, 'BAD_REQUEST');
  assert.match(!swapped.ok ? swapped.error.message : '', /list-public-keys/);
});

test('validation/run is a job that checks hashes, chain and signatures per trail and region; latest returns it', async () => {
  const started = await call(ctx, 'validation/run', { publicKeys: PUBLIC_KEYS, signatures: SIGNATURES });
  assert.ok(started.ok, JSON.stringify(started));
  assert.equal(started.value.kind, 'validate');
  const job = await finish<ValidateJob>(started.value);
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  const v = job.result!;
  const s = v.summary;
  // What sample-logs/README.md says: 96 signed digests, every log file intact, one gap per region after StopLogging.
  assert.equal(s.digests, 96);
  assert.ok(s.logs_valid > 300, String(s.logs_valid));
  assert.equal(s.logs_valid, s.logs_listed);
  assert.deepEqual([s.logs_tampered, s.logs_missing, s.logs_unlisted, s.chain_breaks, s.digests_missing], [0, 0, 0, 0, 0]);
  assert.equal(s.gaps, 2);
  assert.equal(s.signatures_checked, true);
  assert.deepEqual([s.signatures_valid, s.signatures_invalid], [96, 0]);
  assert.ok(s.run_id > 0);

  const regions = new Set(v.results.map((r) => r.region));
  assert.deepEqual([...regions].sort(), ['ap-southeast-1', 'us-east-1']);
  for (const region of regions) {
    const mine = v.results.filter((r) => r.region === region);
    assert.ok(mine.every((r) => r.trail === 'acme-management-trail' && r.account === '123456789012'));
    assert.equal(mine.filter((r) => r.status === 'gap').length, 1, String(region));
    assert.ok(mine.some((r) => r.kind === 'log' && r.status === 'valid'));
  }
  const log = v.results.find((r) => r.kind === 'log')!;
  assert.ok(log.path && log.expected && log.expected === log.actual && typeof log.source_file_id === 'number');
  const gap = v.results.find((r) => r.status === 'gap')!;
  assert.match(gap.detail, /StopLogging/);

  const latest = await call(ctx, 'validation/latest', {});
  assert.ok(latest.ok && latest.value);
  assert.deepEqual(latest.value, v);
});

test('without keys the signatures are reported as not checked', async () => {
  const started = await call(ctx, 'validation/run', {});
  assert.ok(started.ok);
  const job = await finish(started.value);
  assert.equal(job.state, 'done');
  const s = job.result!.summary;
  assert.equal(s.signatures_checked, false);
  assert.match(s.signature_note, /NOT checked/);
  // The signed run is what the export below should carry.
  const again = await finish((await call(ctx, 'validation/run', { publicKeys: PUBLIC_KEYS, signatures: SIGNATURES }) as { ok: true; value: ValidateJob }).value);
  assert.equal(again.result!.summary.signatures_checked, true);
});

test('evidence/export refuses paths it must not write', async () => {
  const exists = path.join(dir, 'exists.zip');
  fs.writeFileSync(exists, 'keep me');
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ out: 'bundle.zip' }, 'BAD_REQUEST', /absolute/],
    [{ out: path.join(dir, 'bundle.txt') }, 'BAD_REQUEST', /\.zip/],
    [{ out: path.join(dir, 'no-such-folder', 'b.zip') }, 'NOT_FOUND', /No folder/],
    [{ out: exists }, 'FILE_EXISTS', /exists already/],
    [{ out: path.join(dir, 'x.zip'), signKey: path.join(dir, 'missing.key') }, 'NOT_FOUND', /signing key/],
    [{ out: path.join(dir, 'x.zip'), signKey: PUBLIC_KEYS }, 'BAD_REQUEST', /private key/],
    [{ out: path.join(dir, 'x.zip'), hunts: ['no-such-hunt'] }, 'NOT_FOUND', /no-such-hunt/],
    [{ out: path.join(dir, 'x.zip'), hunts: [path.join(dir, 'hunts', `${HUNT_ID}.sql`)] }, 'NOT_FOUND', /library/],
    [{ out: path.join(dir, 'x.zip'), findings: 'all' }, 'BAD_REQUEST', /findings/],
  ];
  for (const [req, code, msg] of cases) {
    const r = await call(ctx, 'evidence/export', req as never);
    assert.equal(!r.ok && r.error.code, code, `${JSON.stringify(req)}: ${JSON.stringify(r)}`);
    assert.match(!r.ok ? r.error.message : '', msg);
  }
  assert.equal(fs.readFileSync(exists, 'utf8'), 'keep me');
  assert.equal(fs.existsSync(path.join(dir, 'x.zip')), false, 'a refused export leaves nothing behind');
  // Named by a link or not, the case file itself is never a target, even with overwrite.
  fs.symlinkSync(store.file, path.join(dir, 'link.zip'));
  const viaLink = await call(ctx, 'evidence/export', { out: path.join(dir, 'link.zip'), overwrite: true });
  assert.equal(!viaLink.ok && viaLink.error.code, 'FS_DENIED');
});

test('evidence/export writes a signed bundle with progress; verify says ok; a changed file is named', async () => {
  const keys = generateSigningKeys(path.join(dir, 'analyst'));
  const out = path.join(dir, 'case-evidence.zip');
  const started = await call(ctx, 'evidence/export', { out, timeline: true, hunts: [HUNT_ID], findings: [], signKey: keys.privateKeyFile, analyst: 'A. Auditor' });
  assert.ok(started.ok, JSON.stringify(started));
  assert.equal(started.value.kind, 'export');
  const job = await finish<ExportJob>(started.value);
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  assert.equal(job.progress.step, 'done');
  assert.equal(job.progress.done, job.progress.total);
  const res = job.result!;
  assert.equal(res.out, out);
  assert.equal(res.signed, true);
  for (const f of ['manifest.json', 'integrity/digest-validation.json', 'findings/findings.csv', 'timeline/timeline.csv', `hunts/${HUNT_ID}/results.csv`, 'report.html', 'SHA256SUMS', 'SHA256SUMS.sig']) assert.ok(res.files.includes(f), f);
  assert.match(res.sha256sums, /^[0-9a-f]{64} {2}manifest\.json$/m);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.partial')), [], 'no partial file left');

  const entries = await readZipEntries(out);
  const validation = JSON.parse(entries.find((e) => e.name === 'integrity/digest-validation.json')!.data.toString()) as { summary: { signatures_checked: boolean } };
  assert.equal(validation.summary.signatures_checked, true, 'the bundle carries the latest (signed) validation');
  assert.match(entries.find((e) => e.name === `hunts/${HUNT_ID}/results.csv`)!.data.toString(), /svc-backup-sync/);

  const good = await call(ctx, 'evidence/verify', { bundle: out, publicKey: keys.publicKeyFile });
  assert.ok(good.ok, JSON.stringify(good));
  assert.equal(good.value.ok, true);
  assert.equal(good.value.signature, 'valid');
  assert.equal(good.value.files, res.files.filter((f) => !f.startsWith('SHA256SUMS')).length);
  assert.equal(good.value.manifest?.analyst, 'A. Auditor');
  const unchecked = await call(ctx, 'evidence/verify', { bundle: out });
  assert.ok(unchecked.ok && unchecked.value.ok);
  assert.match(unchecked.ok ? unchecked.value.signature : '', /not checked/);

  const mtime = new Date();
  const altered = entries.map((e) => ({ ...e, mtime, data: e.name === 'findings/findings.csv' ? Buffer.concat([e.data, Buffer.from('planted,row\n')]) : e.data }));
  const bad = path.join(dir, 'altered.zip');
  fs.writeFileSync(bad, buildZip(altered));
  const v = await call(ctx, 'evidence/verify', { bundle: bad, publicKey: keys.publicKeyFile });
  assert.ok(v.ok, JSON.stringify(v));
  assert.equal(v.value.ok, false);
  assert.deepEqual(v.value.changed, ['findings/findings.csv']);
  assert.deepEqual([v.value.missing, v.value.added], [[], []]);
  assert.equal(v.value.signature, 'valid', 'SHA256SUMS itself was not touched');

  // The same name again: refused, then allowed with overwrite.
  const again = await call(ctx, 'evidence/export', { out });
  assert.equal(!again.ok && again.error.code, 'FILE_EXISTS');
  const replaced = await call(ctx, 'evidence/export', { out, overwrite: true });
  assert.ok(replaced.ok);
  const done = await finish(replaced.value);
  assert.equal(done.state, 'done', JSON.stringify(done.error));
  assert.equal((await readZipEntries(out)).some((e) => e.name === 'SHA256SUMS.sig'), false);
});

test('evidence/verify refuses what is not a bundle or not a key', async () => {
  const notZip = path.join(dir, 'not-a.zip');
  fs.writeFileSync(notZip, 'plain text');
  const r = await call(ctx, 'evidence/verify', { bundle: notZip });
  assert.equal(!r.ok && r.error.code, 'BAD_REQUEST');
  assert.match(!r.ok ? r.error.message : '', /not a readable zip/);
  const missing = await call(ctx, 'evidence/verify', { bundle: path.join(dir, 'gone.zip') });
  assert.equal(!missing.ok && missing.error.code, 'NOT_FOUND');
  const badKey = await call(ctx, 'evidence/verify', { bundle: path.join(dir, 'case-evidence.zip'), publicKey: PUBLIC_KEYS });
  assert.equal(!badKey.ok && badKey.error.code, 'BAD_REQUEST');
  assert.match(!badKey.ok ? badKey.error.message : '', /public key/);
});

test('a read-only case refuses validation and hunts in a bundle, and still exports', async () => {
  const roDir = tempDir('cloudsift-evidence-ro-');
  const file = path.join(roDir, 'ro.duckdb');
  await (await CaseStore.open(file)).close();
  const ro = await CaseStore.open(file, { readOnly: true });
  const roCtx = await createApiContext(ro);
  try {
    const v = await call(roCtx, 'validation/run', {});
    assert.equal(!v.ok && v.error.code, 'CASE_READ_ONLY');
    const h = await call(roCtx, 'evidence/export', { out: path.join(roDir, 'b.zip'), hunts: [HUNT_ID] });
    assert.equal(!h.ok && h.error.code, 'CASE_READ_ONLY');
    const e = await call(roCtx, 'evidence/export', { out: path.join(roDir, 'b.zip') });
    assert.ok(e.ok, JSON.stringify(e));
    const job = await finish(e.value, roCtx);
    assert.equal(job.state, 'done', JSON.stringify(job.error));
    const verified = await call(roCtx, 'evidence/verify', { bundle: path.join(roDir, 'b.zip') });
    assert.ok(verified.ok && verified.value.ok);
  } finally {
    await roCtx.close();
    await ro.close();
  }
});
