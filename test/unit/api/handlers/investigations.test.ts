import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaseStore } from '../../../../analyzers/store/caseStore';
import { importPaths } from '../../../../analyzers/importers/importRun';
import { createApiContext, type ApiContext } from '../../../../analyzers/api/context';
import { call } from '../../../../analyzers/api/dispatch';
import { SEVERITY_ORDER, type FindingInfo, type InvestigateJob, type Job, type JobProgress } from '../../../../analyzers/api/contract';
import { tempDir } from '../../../helpers/tempCase';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const ATTACKER = '198.51.100.23';

let casePath: string;
let store: CaseStore;
let ctx: ApiContext;

before(async () => {
  casePath = path.join(tempDir(), 'case.duckdb');
  store = await CaseStore.open(casePath);
  await importPaths(store, [path.join(root, 'sample-logs')]);
  ctx = await createApiContext(store);
});

after(async () => {
  await ctx.close();
  await store.close();
});

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function errorCode(p: Promise<{ ok: boolean; error?: { code: string } }>): Promise<string | undefined> {
  const r = await p;
  assert.equal(r.ok, false, 'the call should have been refused');
  return r.error?.code;
}

/** Polls a job the way the UI does, keeping every progress it saw. */
async function finish(job: Job): Promise<{ job: Job; seen: JobProgress[] }> {
  const seen: JobProgress[] = [job.progress];
  let now = job;
  while (now.state === 'running') {
    await new Promise((r) => setTimeout(r, 20));
    now = await ok(call(ctx, 'jobs/get', { jobId: job.jobId }));
    seen.push(now.progress);
  }
  return { job: now, seen };
}

const byRule = (findings: FindingInfo[], id: string): FindingInfo => {
  const f = findings.find((x) => x.id === id);
  assert.ok(f, `no ${id} finding`);
  return f;
};

test('investigations/list describes every rule with its ATT&CK ids and false-positive notes', async () => {
  const list = await ok(call(ctx, 'investigations/list', {}));
  assert.ok(list.length > 100, `${list.length} investigations`);
  const stop = list.find((i) => i.id === 'CS-CT-001');
  assert.ok(stop);
  assert.equal(stop.severity, 'critical');
  assert.deepEqual(stop.attack, ['T1562.008']);
  assert.deepEqual(stop.tactics, ['TA0005']);
  assert.deepEqual(stop.sources, ['cloudtrail']);
  assert.match(stop.description, /StopLogging/);
  assert.ok(stop.falsePositives.length > 0);
});

test('before any run, findings/list is empty and says so', async () => {
  assert.deepEqual(await ok(call(ctx, 'findings/list', {})), { findings: [], lastRun: null });
});

test('investigate/start runs as a job whose progress names each rule, and records the run', async () => {
  const rules = (await ok(call(ctx, 'investigations/list', {}))).length;
  const job = await ok(call(ctx, 'investigate/start', {}));
  assert.equal(job.kind, 'investigate');
  assert.equal(job.state, 'running');
  assert.equal(await errorCode(call(ctx, 'investigate/start', {})), 'JOB_RUNNING');
  const { job: done, seen } = await finish(job);
  assert.equal(done.state, 'done', JSON.stringify(done.error));
  assert.deepEqual(done.progress, { done: rules, total: rules, step: done.progress.step });
  assert.match(done.progress.step ?? '', /^CS-[A-Z0-9]+-\d{3}$/);
  const midway = seen.filter((p) => p.done > 0 && p.done < rules);
  assert.ok(midway.length > 0, 'some progress between the first and the last rule was seen');
  assert.ok(midway.every((p) => p.total === rules && /^CS-/.test(p.step ?? '')));
  const result = (done as InvestigateJob).result;
  assert.ok(result);
  assert.equal(result.rules, rules);
  assert.deepEqual(result.failed, []);
  assert.ok(result.findings > 20, `${result.findings} findings`);
  assert.equal(result.slowest.length, 10);
  assert.ok(result.slowest.every((s, i) => i === 0 || s.ms <= result.slowest[i - 1].ms));

  const list = await ok(call(ctx, 'findings/list', {}));
  assert.equal(list.findings.length, result.findings);
  assert.equal(list.lastRun?.runId, result.runId);
  assert.equal(list.lastRun?.rules, rules);
  assert.equal(list.lastRun?.findings, result.findings);
  assert.match(list.lastRun?.startedAt ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
  assert.match(list.lastRun?.finishedAt ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
});

test('findings/list ranks by severity then time, with ATT&CK ids, entities and evidence counts', async () => {
  const { findings } = await ok(call(ctx, 'findings/list', {}));
  const rank = (f: FindingInfo) => SEVERITY_ORDER.indexOf(f.severity);
  for (let i = 1; i < findings.length; i++) {
    const [a, b] = [findings[i - 1], findings[i]];
    assert.ok(rank(a) < rank(b) || (rank(a) === rank(b) && (a.first_seen ?? '~') <= (b.first_seen ?? '~')), `${a.id} before ${b.id}`);
  }
  assert.equal(findings[0].severity, 'critical');
  const stop = byRule(findings, 'CS-CT-001');
  assert.equal(stop.severity, 'critical');
  assert.deepEqual(stop.attack, ['T1562.008']);
  assert.deepEqual(stop.tactics, ['TA0005']);
  assert.equal(stop.first_seen, '2025-03-19T09:33:47Z');
  assert.deepEqual(stop.entities.ips, [ATTACKER]);
  assert.deepEqual(stop.entities.principals, ['arn:aws:iam::123456789012:user/svc-backup-sync']);
  assert.equal(stop.evidenceCount, 1);
  assert.deepEqual(stop.evidenceTables, ['cloudtrail']);
  assert.ok(!('evidence' in stop), 'the list carries counts, not evidence');
  const web = byRule(findings, 'CS-X-001');
  assert.deepEqual([...web.evidenceTables].sort(), ['cloudtrail', 'elb']);

  const critical = await ok(call(ctx, 'findings/list', { minSeverity: 'critical' }));
  assert.ok(critical.findings.length > 0 && critical.findings.every((f) => f.severity === 'critical'));
  const high = await ok(call(ctx, 'findings/list', { minSeverity: 'high' }));
  assert.ok(high.findings.length > critical.findings.length && high.findings.every((f) => f.severity === 'critical' || f.severity === 'high'));
  const two = await ok(call(ctx, 'findings/list', { ruleIds: ['CS-CT-001', 'CS-CT-048'] }));
  assert.deepEqual(two.findings.map((f) => f.id), ['CS-CT-001', 'CS-CT-048']);
  assert.equal(await errorCode(call(ctx, 'findings/list', { minSeverity: 'urgent' as never })), 'BAD_REQUEST');
  assert.equal(await errorCode(call(ctx, 'findings/list', { ruleIds: [] })), 'BAD_REQUEST');
});

test('findings/evidence pages the raw records with their source files', async () => {
  const { findings } = await ok(call(ctx, 'findings/list', {}));
  const stop = byRule(findings, 'CS-CT-001');
  const one = await ok(call(ctx, 'findings/evidence', { findingId: stop.finding_id }));
  assert.equal(one.total, 1);
  const [row] = one.rows;
  assert.equal(row.position, 1);
  assert.equal(row.table, 'cloudtrail');
  assert.equal(row.event_time, '2025-03-19T09:33:47Z');
  assert.match(row.path ?? '', /^AWSLogs\/123456789012\/CloudTrail\/us-east-1\/2025\/03\/19\/.+\.json\.gz$/);
  const raw = JSON.parse(row.raw ?? '{}') as { eventName?: string; sourceIPAddress?: string };
  assert.equal(raw.eventName, 'StopLogging');
  assert.equal(raw.sourceIPAddress, ATTACKER);

  const mass = byRule(findings, 'CS-S3-001');
  assert.ok(mass.evidenceCount > 100);
  const page = await ok(call(ctx, 'findings/evidence', { findingId: mass.finding_id, offset: 50, limit: 25 }));
  assert.equal(page.total, mass.evidenceCount);
  assert.deepEqual(page.rows.map((r) => r.position), Array.from({ length: 25 }, (_, i) => 51 + i));
  assert.ok(page.rows.every((r) => r.table === 's3_access' && /^s3-access\/acme-customer-data\//.test(r.path ?? '') && (r.raw ?? '').includes('REST.GET.OBJECT')));
  const last = await ok(call(ctx, 'findings/evidence', { findingId: mass.finding_id, offset: mass.evidenceCount - 1 }));
  assert.deepEqual(last.rows.map((r) => r.position), [mass.evidenceCount]);

  assert.equal(await errorCode(call(ctx, 'findings/evidence', { findingId: 999_999 })), 'NOT_FOUND');
  assert.equal(await errorCode(call(ctx, 'findings/evidence', { findingId: stop.finding_id, limit: 0 })), 'BAD_REQUEST');
  assert.equal(await errorCode(call(ctx, 'findings/evidence', {} as never)), 'BAD_REQUEST');
});

test('settings are listed, set, used by the next run and unset; bad keys and values are refused', async () => {
  const list = await ok(call(ctx, 'settings/list', {}));
  const ci = list.find((s) => s.key === 'allow.ci_roles');
  assert.ok(ci && ci.usedBy.includes('CS-CT-001') && ci.value === null && ci.type === 'VARCHAR[]');
  const minFailures = list.find((s) => s.key === 'CS-CT-013.min_failures');
  assert.deepEqual(minFailures && { default: minFailures.default, value: minFailures.value, usedBy: minFailures.usedBy }, { default: 5, value: null, usedBy: ['CS-CT-013'] });

  const set = await ok(call(ctx, 'settings/set', { key: 'CS-CT-013.min_failures', value: 10 }));
  assert.equal(set.find((s) => s.key === 'CS-CT-013.min_failures')?.value, 10);
  assert.equal(await errorCode(call(ctx, 'settings/set', { key: 'CS-CT-013.min_failures', value: 'ten' })), 'BAD_REQUEST');
  assert.equal(await errorCode(call(ctx, 'settings/set', { key: 'allow.ci_role', value: [] })), 'BAD_REQUEST');
  assert.equal(await errorCode(call(ctx, 'settings/set', { key: 'allow.ci_roles', value: 'svc-backup-sync' })), 'BAD_REQUEST');
  assert.equal(await errorCode(call(ctx, 'settings/set', { key: 'allow.ci_roles' } as never)), 'BAD_REQUEST');
  const unset = await ok(call(ctx, 'settings/set', { key: 'CS-CT-013.min_failures', value: null }));
  assert.equal(unset.find((s) => s.key === 'CS-CT-013.min_failures')?.value, null);
  assert.equal(await errorCode(call(ctx, 'settings/set', { key: 'allow.ci_role', value: null })), 'BAD_REQUEST');

  // An allow-listed principal is no longer reported by the run after.
  await ok(call(ctx, 'settings/set', { key: 'allow.ci_roles', value: ['svc-backup-sync'] }));
  assert.equal((await finish(await ok(call(ctx, 'investigate/start', { ids: ['CS-CT-001'] })))).job.state, 'done');
  assert.deepEqual((await ok(call(ctx, 'findings/list', { ruleIds: ['CS-CT-001'] }))).findings, []);
  await ok(call(ctx, 'settings/set', { key: 'allow.ci_roles', value: null }));
  assert.equal((await finish(await ok(call(ctx, 'investigate/start', { ids: ['CS-CT-001'] })))).job.state, 'done');
  assert.equal((await ok(call(ctx, 'findings/list', { ruleIds: ['CS-CT-001'] }))).findings.length, 1);
  assert.equal(await errorCode(call(ctx, 'investigate/start', { ids: ['CS-CT-999'] })), 'BAD_REQUEST');
});

test('a cancelled investigation leaves the findings as they were', async () => {
  const prior = await ok(call(ctx, 'findings/list', {}));
  const job = await ok(call(ctx, 'investigate/start', {}));
  await ok(call(ctx, 'jobs/cancel', { jobId: job.jobId }));
  const { job: end } = await finish(job);
  assert.equal(end.state, 'cancelled');
  assert.deepEqual(await ok(call(ctx, 'findings/list', {})), prior);
});

test('a read-only case lists findings and settings but refuses to investigate or change settings', async () => {
  await ctx.close();
  await store.close();
  store = await CaseStore.open(casePath, { readOnly: true });
  ctx = await createApiContext(store);
  assert.ok((await ok(call(ctx, 'findings/list', {}))).findings.length > 20);
  assert.ok((await ok(call(ctx, 'settings/list', {}))).length > 5);
  assert.equal(await errorCode(call(ctx, 'investigate/start', {})), 'CASE_READ_ONLY');
  assert.equal(await errorCode(call(ctx, 'settings/set', { key: 'allow.ci_roles', value: [] })), 'CASE_READ_ONLY');
});
