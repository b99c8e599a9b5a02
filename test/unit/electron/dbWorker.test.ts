import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FromWorker, ToWorker } from '../../../electron/ipc';

/** Electron's parentPort, as the worker sees it: messages in as {data}, postMessage out. */
class FakeParentPort extends EventEmitter {
  readonly sent: FromWorker[] = [];
  postMessage(m: FromWorker): void {
    this.sent.push(m);
    this.emit('sent', m);
  }
  deliver(m: ToWorker): void {
    this.emit('message', { data: m, ports: [] });
  }
  next(kind: FromWorker['kind']): Promise<FromWorker> {
    const have = this.sent.find((m) => m.kind === kind);
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => {
      const on = (m: FromWorker) => {
        if (m.kind !== kind) return;
        this.off('sent', on);
        resolve(m);
      };
      this.on('sent', on);
    });
  }
}

test('the database worker opens its case and answers calls through the same handlers', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-worker-'));
  const casePath = path.join(dir, 'case.duckdb');
  const port = new FakeParentPort();
  const exits: (number | undefined)[] = [];
  const realExit = process.exit;
  Object.assign(process, { parentPort: port });
  process.argv[2] = casePath;
  process.exit = ((code?: number) => {
    exits.push(code);
  }) as typeof process.exit;
  try {
    await import('../../../electron/dbWorker');
    const ready = await port.next('ready');
    assert.deepEqual(ready, { kind: 'ready', casePath });
    port.deliver({ kind: 'call', id: 7, channel: 'case/info', request: {} });
    const result = await port.next('result');
    assert.equal(result.kind === 'result' && result.id, 7);
    assert.equal(result.kind === 'result' && result.result.ok, true);
    port.deliver({ kind: 'call', id: 8, channel: 'shell/exec', request: {} });
    await new Promise((r) => setTimeout(r, 50));
    const refused = port.sent.find((m) => m.kind === 'result' && m.id === 8);
    assert.equal(refused?.kind === 'result' && !refused.result.ok && refused.result.error.code, 'UNKNOWN_CHANNEL');
    port.deliver({ kind: 'close' });
    await port.next('closed');
    assert.deepEqual(exits, [0]);
  } finally {
    process.exit = realExit;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
