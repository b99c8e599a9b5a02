import type { CaseStore } from '../store/caseStore';
import type { Json } from '@duckdb/node-api';

export interface QueryResult {
  columns: string[];
  /** JSON-safe values: BIGINT beyond 2^53 as strings, timestamps as ISO-like strings. */
  rows: Json[][];
}

/**
 * Run one statement on a sandboxed, read-only case. The sandbox itself (no
 * writes, no files, no network) is the connection's; this only refuses
 * several statements in one string, so that what ran is what was shown.
 */
export async function runReadOnlyQuery(store: CaseStore, sql: string, maxRows = 100_000): Promise<QueryResult> {
  const extracted = await store.conn.extractStatements(sql);
  if (extracted.count !== 1) throw new Error(`expected one SQL statement, got ${extracted.count}`);
  const reader = await store.conn.runAndReadUntil(sql, maxRows);
  return { columns: reader.columnNames(), rows: reader.getRowsJson().slice(0, maxRows) };
}
