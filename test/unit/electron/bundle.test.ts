import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FromWorker, ToWorker } from '../../../electron/ipc';

const repo = path.resolve(import.meta.dirname, '../../..');

/**
 * The desktop app runs the engine from an esbuild bundle, where modules no
 * longer sit beside the rules and hunt pack they read. Build it and ask the
 * bundled worker for both, as a case window would.
 */
test('the bundled database worker finds the investigations and the hunt pack', { timeout: 120_000 }, async () => {
  const built = spawnSync(process.execPath, ['electron/build.mjs'], { cwd: repo, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-bundle-'));
  const child = fork(path.join(repo, 'dist/electron/dbWorker.cjs'), [path.join(dir, 'case.duckdb')], {
    execArgv: ['--import', path.join(import.meta.dirname, 'support/parentPortShim.mjs')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (m: FromWorker) => void>();
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((r) => (ready = r));
  child.on('message', (m: FromWorker) => {
    if (m.kind === 'ready') ready();
    if (m.kind === 'result') {
      waiting.get(m.id)?.(m);
    }
  });
  const call = (id: number, channel: string, request: unknown) =>
    new Promise<FromWorker>((resolve) => {
      waiting.set(id, resolve);
      child.send({ kind: 'call', id, channel, request } as ToWorker);
    });
  try {
    await isReady;
    const rules = await call(1, 'investigations/list', {});
    assert.ok(rules.kind === 'result' && rules.result.ok, JSON.stringify(rules));
    assert.ok((rules.result.value as unknown[]).length >= 100);
    const hunts = await call(2, 'hunts/list', {});
    assert.ok(hunts.kind === 'result' && hunts.result.ok, JSON.stringify(hunts));
    assert.ok((hunts.result.value as { origin: string }[]).filter((h) => h.origin === 'builtin').length >= 30);
  } finally {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
