import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { QueryEngine } from '../../../analyzers/query/pager';

const N = 50_000;

async function withCase(fn: (store: CaseStore, engine: QueryEngine) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-pager-'));
  const store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  try {
    await store.run(
      `INSERT INTO vpc_flow (source_file_id, record_index, event_time, srcaddr, dstport, bytes, action, raw)
       SELECT 1 + i // 10000, 1 + i % 10000, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i), '10.0.' || (i % 7) || '.1', (i % 5)::INTEGER, i * 3, CASE WHEN i % 4 = 0 THEN 'REJECT' ELSE 'ACCEPT' END, 'line ' || i
       FROM range(${N}) r(i)`,
    );
    const engine = new QueryEngine(await store.connect());
    await fn(store, engine);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('plain pages come in import order at any depth, as Arrow with typed columns', async () => {
  await withCase(async (_s, engine) => {
    assert.equal(await engine.count({ table: 'vpc_flow' }), N);
    const page = tableFromIPC(await engine.page({ table: 'vpc_flow', columns: ['record_index', 'event_time', 'bytes', 'srcaddr'], offset: 49_990, limit: 100 }));
    assert.equal(page.numRows, 10);
    assert.deepEqual(page.schema.fields.map((f) => String(f.type)), ['Int64', 'Timestamp<MILLISECOND, UTC>', 'Int64', 'Utf8']);
    assert.equal(page.get(0)?.record_index, 9991n);
    assert.equal(page.get(9)?.bytes, BigInt(49_999 * 3));
    assert.equal(page.get(0)?.event_time, Date.parse('2024-01-01T00:00:00Z') + 49_990_000);
  });
});

test('filtered and sorted views page without gaps or overlaps, and count', async () => {
  await withCase(async (_s, engine) => {
    const filters = [{ column: 'action', op: 'eq' as const, value: 'REJECT' }];
    assert.equal(await engine.count({ table: 'vpc_flow', filters }), N / 4);
    const seen: bigint[] = [];
    for (let offset = 0; offset < N / 4; offset += 1000) {
      const t = tableFromIPC(await engine.page({ table: 'vpc_flow', columns: ['bytes'], filters, sort: [{ column: 'bytes', dir: 'desc' }], offset, limit: 1000 }));
      for (let i = 0; i < t.numRows; i++) seen.push(t.get(i)?.bytes as bigint);
    }
    assert.equal(seen.length, N / 4);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1] > seen[i]);
    assert.equal(seen[0], BigInt((N - 4) * 3));
    assert.equal(await engine.count({ table: 'vpc_flow', quickSearch: '10.0.3', columns: ['srcaddr'] }), Math.ceil((N - 3) / 7));
  });
});

test('views are recomputed once the case changes', async () => {
  await withCase(async (store, engine) => {
    const filters = [{ column: 'dstport', op: 'eq' as const, value: 4 }];
    assert.equal(await engine.count({ table: 'vpc_flow', filters }), N / 5);
    await store.run(`INSERT INTO vpc_flow (source_file_id, record_index, dstport, raw) VALUES (99, 1, 4, 'x')`);
    assert.equal(await engine.count({ table: 'vpc_flow', filters }), N / 5);
    await engine.invalidate();
    assert.equal(await engine.count({ table: 'vpc_flow', filters }), N / 5 + 1);
    assert.equal(await engine.count({ table: 'vpc_flow' }), N + 1);
  });
});
