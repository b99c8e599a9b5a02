import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { createApiContext } from '../../../analyzers/api/context';
import { call } from '../../../analyzers/api/dispatch';
import type { ImportJob } from '../../../analyzers/api/contract';

const LINES = [
  '2 123456789012 eni-0a1b2c3d 10.0.1.5 198.51.100.1 40000 443 6 10 8400 1709294400 1709294460 ACCEPT OK',
  '2 123456789012 eni-0a1b2c3d 10.0.1.6 198.51.100.2 40001 443 6 11 8410 1709294460 1709294520 REJECT OK',
  '2 123456789012 eni-0a1b2c3d 10.0.1.7',
];

test('import/start runs an import; import/progress follows it to the end; the views see the new rows', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-jobs-'));
  fs.mkdirSync(path.join(dir, 'in'));
  fs.writeFileSync(path.join(dir, 'in', 'flow.log'), `${LINES.join('\n')}\n`);
  const store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  const ctx = await createApiContext(store);
  try {
    assert.equal((await call(ctx, 'table/count', { table: 'vpc_flow' })).ok, true);
    const started = await call(ctx, 'import/start', { paths: [path.join(dir, 'in')] });
    assert.ok(started.ok);
    const again = await call(ctx, 'import/start', { paths: [path.join(dir, 'in')] });
    assert.equal(!again.ok && again.error.code, 'IMPORT_RUNNING');
    let job: ImportJob = started.value;
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      const p = await call(ctx, 'import/progress', { jobId: job.jobId });
      assert.ok(p.ok);
      job = p.value;
    }
    assert.equal(job.state, 'done', JSON.stringify(job.error));
    assert.equal(job.progress.phase, 'done');
    assert.deepEqual(await call(ctx, 'table/count', { table: 'vpc_flow' }), { ok: true, value: { count: 2 } });
    const rejects = await call(ctx, 'rejects/list', {});
    assert.ok(rejects.ok && rejects.value.rows[0].position === 3);
    const jobs = await call(ctx, 'import/jobs', {});
    assert.ok(jobs.ok && jobs.value[0].jobId === job.jobId);
    const unknown = await call(ctx, 'import/progress', { jobId: 'nope' });
    assert.equal(!unknown.ok && unknown.error.code, 'NOT_FOUND');
    const empty = await call(ctx, 'import/start', { paths: [] });
    assert.equal(!empty.ok && empty.error.code, 'BAD_REQUEST');
  } finally {
    await ctx.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
