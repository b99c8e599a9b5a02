import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JobRegistry } from '../../../analyzers/api/jobs';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { createApiContext } from '../../../analyzers/api/context';
import { call } from '../../../analyzers/api/dispatch';
import type { Job } from '../../../analyzers/api/contract';

const settle = async (reg: JobRegistry, id: string): Promise<Job> => {
  for (;;) {
    const j = reg.get(id);
    if (j.state !== 'running') return j;
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('a job reports progress, ends with its result, and only one job writes at a time', async () => {
  let changed = 0;
  const reg = new JobRegistry(async () => {
    changed++;
  });
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const started = reg.start('validate', { writes: true }, async (ctl) => {
    ctl.progress(1, 2, 'digests');
    await gate;
    return { summary: { run_id: 1 } as never, results: [] };
  });
  assert.equal(started.state, 'running');
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(reg.get(started.jobId).progress, { done: 1, total: 2, step: 'digests' });
  assert.equal(reg.writer(), 'validate');
  assert.throws(() => reg.start('investigate', { writes: true }, async () => ({ runId: 1, findings: 0, rules: 0, failed: [], slowest: [] })), /already changing this case/);
  const reader = reg.start('hunt', { writes: false }, async () => ({ huntId: 'h', columns: [], rows: [], rowCount: 0, truncated: false, durationMs: 0, params: {} }));
  assert.equal((await settle(reg, reader.jobId)).state, 'done');
  release();
  const done = await settle(reg, started.jobId);
  assert.equal(done.state, 'done');
  assert.ok(done.finishedAt);
  assert.equal(changed, 1, 'a writing job invalidates the cached views once');
  assert.equal(reg.writer(), null);
  assert.throws(() => reg.get('nope'), /No job/);
});

test('cancel aborts the job signal and the job ends cancelled', async () => {
  const reg = new JobRegistry(async () => undefined);
  const job = reg.start('hunt', { writes: false }, (ctl) => new Promise((_, reject) => ctl.signal.addEventListener('abort', () => reject(new Error('stopped')))));
  reg.cancel(job.jobId);
  const end = await settle(reg, job.jobId);
  assert.equal(end.state, 'cancelled');
  assert.equal(end.error?.message, 'stopped');
});

test('an import and a writing job never run together', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-jobs-'));
  fs.mkdirSync(path.join(dir, 'in'));
  fs.writeFileSync(path.join(dir, 'in', 'flow.log'), '2 123456789012 eni-0a1b2c3d 10.0.1.5 198.51.100.1 40000 443 6 10 8400 1709294400 1709294460 ACCEPT OK\n');
  const store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  const ctx = await createApiContext(store);
  try {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    ctx.jobs.start('validate', { writes: true }, async () => {
      await gate;
      return { summary: { run_id: 1 } as never, results: [] };
    });
    const refused = await call(ctx, 'import/start', { paths: [path.join(dir, 'in')] });
    assert.equal(!refused.ok && refused.error.code, 'JOB_RUNNING');
    release();
    await ctx.jobs.idle();
    const imp = await call(ctx, 'import/start', { paths: [path.join(dir, 'in')] });
    assert.ok(imp.ok);
    assert.throws(() => ctx.jobs.start('investigate', { writes: true }, async () => ({ runId: 1, findings: 0, rules: 0, failed: [], slowest: [] })), /import is changing/);
    await ctx.imports.idle();
  } finally {
    await ctx.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
