import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { compileOrder, compileWhere, resolveTable, selectedColumns, checkWindow } from '../../../analyzers/query/compile';
import { QueryError } from '../../../analyzers/query/queryError';

const ct = resolveTable('cloudtrail');

function rejects(fn: () => unknown, code: string) {
  assert.throws(fn, (e: unknown) => e instanceof QueryError && e.code === code);
}

test('identifiers come from the schema: unknown tables and columns are refused', () => {
  rejects(() => resolveTable('cloudtrail; DROP TABLE sources'), 'UNKNOWN_TABLE');
  rejects(() => resolveTable(42), 'UNKNOWN_TABLE');
  rejects(() => compileWhere(ct, { filters: [{ column: 'event_name" OR 1=1 --', op: 'eq', value: 'x' }] }), 'UNKNOWN_COLUMN');
  rejects(() => compileOrder(ct, [{ column: 'nope', dir: 'asc' }]), 'UNKNOWN_COLUMN');
  rejects(() => selectedColumns(ct, ['event_time', 'rowid']), 'UNKNOWN_COLUMN');
});

test('values are bound, never spliced into the SQL', () => {
  const evil = "x' OR '1'='1";
  const { where, params } = compileWhere(ct, { filters: [{ column: 'event_name', op: 'eq', value: evil }, { column: 'user_agent', op: 'contains', value: '50%_off\\' }] });
  assert.ok(!where.includes(evil));
  assert.ok(!where.includes('50%'));
  assert.deepEqual(Object.values(params), [evil, '%50\\%\\_off\\\\%']);
  assert.match(where, /"event_name" = \$p0::VARCHAR/);
  assert.match(where, /"user_agent" ILIKE \$p1 ESCAPE/);
});

test('values are checked against the column type', () => {
  rejects(() => compileWhere(ct, { filters: [{ column: 'event_time', op: 'gt', value: 'yesterday-ish' }] }), 'BAD_REQUEST');
  rejects(() => compileWhere(resolveTable('vpc_flow'), { filters: [{ column: 'dstport', op: 'eq', value: '22; --' }] }), 'BAD_REQUEST');
  rejects(() => compileWhere(ct, { filters: [{ column: 'read_only', op: 'eq', value: 'maybe' }] }), 'BAD_REQUEST');
  rejects(() => compileWhere(ct, { filters: [{ column: 'event_name', op: 'between', value: 'a' }] }), 'BAD_REQUEST');
  rejects(() => compileWhere(ct, { filters: [{ column: 'event_name', op: 'like' as never, value: 'a' }] }), 'BAD_REQUEST');
  rejects(() => compileOrder(ct, [{ column: 'event_time', dir: 'sideways' as never }]), 'BAD_REQUEST');
  rejects(() => checkWindow({ offset: -1, limit: 10 }), 'BAD_REQUEST');
  rejects(() => checkWindow({ offset: 0, limit: 100_000 }), 'BAD_REQUEST');
});

test('large columns are left out unless asked for', () => {
  const names = selectedColumns(ct, undefined).map((c) => c.name);
  assert.ok(!names.includes('raw'));
  assert.ok(!names.includes('request_parameters'));
  assert.ok(names.includes('event_time'));
  assert.deepEqual(selectedColumns(ct, ['raw', 'event_time', 'raw']).map((c) => c.name), ['raw', 'event_time']);
});

test('compiled filters run in DuckDB and select the right rows', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`CREATE TABLE vpc_flow (srcaddr VARCHAR, dstport INTEGER, bytes BIGINT, action VARCHAR, event_time TIMESTAMPTZ)`);
  await conn.run(`INSERT INTO vpc_flow VALUES
    ('10.0.0.1', 22, 100, 'ACCEPT', '2024-01-01 00:00:00+00'),
    ('10.0.0.2', 443, 5000, 'REJECT', '2024-01-02 00:00:00+00'),
    ('10.0.0.3', 443, NULL, NULL, '2024-01-03 12:00:00+00'),
    ('192.168.0.1', 3389, 7, 'ACCEPT', NULL)`);
  const def = resolveTable('vpc_flow');
  const count = async (filters: Parameters<typeof compileWhere>[1]['filters'], quickSearch?: string) => {
    const { where, params } = compileWhere(def, { filters, quickSearch, columns: ['srcaddr', 'action'] });
    const r = await conn.runAndReadAll(`SELECT count(*) FROM vpc_flow ${where}`, params);
    return Number(r.getRows()[0][0]);
  };
  assert.equal(await count([{ column: 'dstport', op: 'eq', value: 443 }]), 2);
  assert.equal(await count([{ column: 'dstport', op: 'in', value: [22, 3389] }]), 2);
  assert.equal(await count([{ column: 'bytes', op: 'gt', value: '99.5' }]), 2);
  assert.equal(await count([{ column: 'bytes', op: 'between', value: [7, 100] }]), 2);
  assert.equal(await count([{ column: 'action', op: 'neq', value: 'ACCEPT' }]), 2);
  assert.equal(await count([{ column: 'action', op: 'notContains', value: 'acc' }]), 2);
  assert.equal(await count([{ column: 'srcaddr', op: 'startsWith', value: '10.' }]), 3);
  assert.equal(await count([{ column: 'srcaddr', op: 'endsWith', value: '.1' }]), 2);
  assert.equal(await count([{ column: 'event_time', op: 'gte', value: '2024-01-02T00:00:00Z' }]), 2);
  assert.equal(await count([{ column: 'event_time', op: 'isNull' }]), 1);
  assert.equal(await count([{ column: 'action', op: 'notNull' }, { column: 'dstport', op: 'lt', value: 1000 }]), 2);
  assert.equal(await count([], 'REJ'), 1);
  assert.equal(await count([], '192.168'), 1);
  assert.equal(await count([], '%'), 0);
  const order = compileOrder(def, [{ column: 'bytes', dir: 'desc' }]);
  const r = await conn.runAndReadAll(`SELECT srcaddr FROM vpc_flow ${order}`);
  assert.deepEqual(r.getRows().map((x) => x[0]), ['10.0.0.2', '10.0.0.1', '192.168.0.1', '10.0.0.3']);
  conn.closeSync();
  db.closeSync();
});
