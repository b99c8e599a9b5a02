import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeBridge } from '../../../electron/bridge';
import { isFromWorker } from '../../../electron/ipc';
import type { Channel } from '../../../analyzers/api/contract';

test('the bridge passes contract channels on as plain data and refuses the rest before IPC', async () => {
  const sent: [string, unknown][] = [];
  const bridge = makeBridge(async (channel, request) => {
    sent.push([channel, request]);
    return { ok: true, value: 'pong' };
  });
  assert.deepEqual(await bridge.invoke('case/info', {}), { ok: true, value: 'pong' });
  const r = await bridge.invoke('shell/exec' as Channel, {} as never);
  assert.equal(!r.ok && r.error.code, 'UNKNOWN_CHANNEL');
  const proto = await bridge.invoke('constructor' as Channel, {} as never);
  assert.equal(!proto.ok && proto.error.code, 'UNKNOWN_CHANNEL');
  const withFn = { paths: ['/x'], evil: () => 1 } as unknown as { paths: string[] };
  await bridge.invoke('import/start', withFn);
  assert.deepEqual(sent, [
    ['case/info', {}],
    ['import/start', { paths: ['/x'] }],
  ]);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const bad = await bridge.invoke('fs/list', cyclic as never);
  assert.equal(!bad.ok && bad.error.code, 'BAD_REQUEST');
});

test('a failing transport becomes error data', async () => {
  const bridge = makeBridge(async () => {
    throw new Error('worker gone');
  });
  assert.deepEqual(await bridge.invoke('case/info', {}), { ok: false, error: { code: 'TRANSPORT', message: 'worker gone' } });
});

test('worker messages are recognised by kind only', () => {
  assert.equal(isFromWorker({ kind: 'result', id: 1, result: { ok: true, value: 1 } }), true);
  assert.equal(isFromWorker({ kind: 'eval' }), false);
  assert.equal(isFromWorker(null), false);
});
