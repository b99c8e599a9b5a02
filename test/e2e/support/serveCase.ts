import fs from 'node:fs';
import path from 'node:path';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { startServer } from '../../../analyzers/server/httpServer';
import { writeFixture } from './fixture';

/**
 * The server the end-to-end suite talks to, in its own process: a fresh case
 * holding a bulk VPC flow table built straight in SQL (so that the grid has
 * millions of rows to page through without a long import), the fixture
 * evidence beside it, and `cloudsift serve` on a random loopback port.
 * Prints one JSON line with what the tests need, then serves until killed.
 */

export const BULK_ROWS = Number(process.env.CLOUDSIFT_E2E_ROWS ?? 1_000_000);
export const BULK_PATH = 'synthetic/bulk-vpc-flow.log';

async function buildCase(casePath: string): Promise<void> {
  const store = await CaseStore.open(casePath);
  try {
    const [{ id }] = await store.all<{ id: number }>(`SELECT nextval('source_file_id_seq')::INTEGER AS id`);
    await store.run(
      `INSERT INTO sources (source_file_id, path, import_root, container, size, sha256, kind, format, status, records_imported, records_duplicate, records_rejected, imported_at, tool_version, message)
       VALUES ($id, $path, 'e2e', 'plain', 0, repeat('0', 64), 'vpc_flow', 'synthetic', 'imported', $n, 0, 0, now(), 'e2e', 'built in SQL by the e2e setup')`,
      { id, path: BULK_PATH, n: BULK_ROWS },
    );
    await store.run(
      `INSERT INTO vpc_flow (source_file_id, record_index, event_time, version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start_time, end_time, action, log_status, layout, raw)
       SELECT $id, i + 1, TIMESTAMPTZ '2024-02-28 00:00:00+00' + to_seconds(i // 20), 2, '210987654321', 'eni-0bulk' || (i % 40),
              '10.1.' || (i % 250) || '.' || (i % 200), '172.31.' || (i % 100) || '.' || (i % 250), (1024 + i % 60000)::INTEGER, (i % 1024)::INTEGER, 6,
              i % 100, (i % 100000) * 7,
              TIMESTAMPTZ '2024-02-28 00:00:00+00' + to_seconds(i // 20), TIMESTAMPTZ '2024-02-28 00:01:00+00' + to_seconds(i // 20),
              CASE WHEN i % 9 = 0 THEN 'REJECT' ELSE 'ACCEPT' END, 'OK', 'v2 default',
              '2 210987654321 eni-0bulk' || (i % 40) || ' row ' || (i + 1)
       FROM range($n) r(i)`,
      { id, n: BULK_ROWS },
    );
  } finally {
    await store.close();
  }
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: serveCase.ts <work dir>');
fs.mkdirSync(dir, { recursive: true });
const evidence = writeFixture(dir);
const casePath = path.join(dir, 'case.duckdb');
await buildCase(casePath);
const server = await startServer({ casePath });
process.stdout.write(`${JSON.stringify({ url: server.url, token: server.token, port: server.port, evidence, casePath, bulkRows: BULK_ROWS })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
