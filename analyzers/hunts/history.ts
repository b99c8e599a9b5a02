import crypto from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import type { Hunt, HuntParamValue } from './huntFile';

export interface HuntRunRecord {
  run_id: number;
  hunt_id: string;
  title: string;
  hunt_sha256: string;
  sql_text: string;
  parameters: Record<string, HuntParamValue>;
  status: string;
  error: string | null;
  row_count: number | null;
  duration_ms: number | null;
  started_at: string;
}

/**
 * Every run is recorded in the case, successful or not, with the exact SQL
 * and values, so an evidence bundle can show what was asked and when.
 */
export async function recordHuntRun(
  store: CaseStore,
  run: { hunt: Hunt; params: Record<string, HuntParamValue>; status: 'ok' | 'failed' | 'timeout' | 'cancelled' | 'refused'; error?: string; rowCount?: number; durationMs?: number; startedAt: Date },
  /** A connection of its own, so that a run recorded while a writer holds a transaction is not part of it. */
  conn: DuckDBConnection = store.conn,
): Promise<number> {
  const id = Number((await store.one<{ id: bigint }>(`SELECT nextval('hunt_run_id_seq') AS id`, undefined, conn))!.id);
  await store.run(
    `INSERT INTO hunt_runs (run_id, hunt_id, title, hunt_sha256, sql_text, parameters, status, error, row_count, duration_ms, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::TIMESTAMPTZ)`,
    [
      id,
      run.hunt.id,
      run.hunt.title,
      crypto.createHash('sha256').update(run.hunt.text).digest('hex'),
      run.hunt.sql,
      JSON.stringify(run.params),
      run.status,
      run.error ?? null,
      run.rowCount ?? null,
      run.durationMs ?? null,
      run.startedAt.toISOString(),
    ],
    conn,
  );
  return id;
}

export async function listHuntRuns(store: CaseStore, limit = 200): Promise<HuntRunRecord[]> {
  const rows = await store.all<Record<string, unknown>>(
    `SELECT run_id, hunt_id, title, hunt_sha256, sql_text, parameters::VARCHAR AS parameters, status, error, row_count, duration_ms, iso(started_at) AS started_at
     FROM hunt_runs ORDER BY run_id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    ...(r as unknown as HuntRunRecord),
    parameters: JSON.parse(String(r.parameters)) as Record<string, HuntParamValue>,
    row_count: r.row_count === null ? null : Number(r.row_count),
    duration_ms: r.duration_ms === null ? null : Number(r.duration_ms),
  }));
}
