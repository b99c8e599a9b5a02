import { BIGINT, BOOLEAN, DOUBLE, DuckDBTypeId, INTEGER, LIST, listValue, StatementType, VARCHAR, type DuckDBType, type DuckDBValue, type Json } from '@duckdb/node-api';
import { CaseStore, errorMessage } from '../store/caseStore';
import { coerceParam, type Hunt, type HuntParamType, type HuntParamValue } from './huntFile';

export interface HuntRunOptions {
  /** Stop the query after this long (default 5 minutes). */
  timeoutMs?: number;
  /** Rows kept in the result; the count is still exact. */
  maxRows?: number;
  signal?: AbortSignal;
  /** The declared type of each parameter, so that 2 binds as a DOUBLE where the hunt says double. */
  paramTypes?: Record<string, HuntParamType>;
}

const BIND_TYPES: Partial<Record<HuntParamType, DuckDBType>> = { integer: INTEGER, bigint: BIGINT, double: DOUBLE, boolean: BOOLEAN, varchar: VARCHAR };

export interface HuntRunResult {
  columns: string[];
  rows: Json[][];
  rowCount: number;
  truncated: boolean;
  durationMs: number;
  /** The values bound, after defaults. */
  params: Record<string, HuntParamValue>;
}

export class HuntRunError extends Error {
  constructor(
    readonly code: 'HUNT_REFUSED' | 'HUNT_PARAM' | 'HUNT_TIMEOUT' | 'HUNT_CANCELLED' | 'HUNT_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Resolve parameter values: given ones (as text from a CLI or typed from the
 * UI) over the hunt's defaults. Unknown names and missing values are errors,
 * so a typo never runs a hunt with a default the hunter did not mean.
 */
export function resolveParams(hunt: Hunt, given: Record<string, string | HuntParamValue>): Record<string, HuntParamValue> {
  const out: Record<string, HuntParamValue> = {};
  for (const name of Object.keys(given)) {
    if (!hunt.params.some((p) => p.name === name)) throw new HuntRunError('HUNT_PARAM', `hunt ${hunt.id} has no parameter '${name}'`);
  }
  for (const p of hunt.params) {
    const v = given[p.name];
    if (v === undefined) {
      if (p.default === null) throw new HuntRunError('HUNT_PARAM', `parameter '${p.name}' (${p.type}) needs a value`);
      out[p.name] = p.default;
    } else if (typeof v === 'string' && p.type !== 'varchar') {
      try {
        out[p.name] = coerceParam(p.type, v, `parameter '${p.name}'`);
      } catch (e) {
        throw new HuntRunError('HUNT_PARAM', errorMessage(e));
      }
    } else {
      out[p.name] = v;
    }
  }
  return out;
}

/**
 * Run a hunt on a sandbox: a separate read-only attachment of the case with
 * file, network and extension access switched off and the configuration
 * locked. Whatever the SQL says, it can read the case and nothing else, and
 * cannot change it.
 */
export async function runHuntSandboxed(casePath: string, hunt: Hunt, given: Record<string, string | HuntParamValue>, opts: HuntRunOptions = {}): Promise<HuntRunResult> {
  const params = resolveParams(hunt, given);
  const sandbox = await CaseStore.open(casePath, { readOnly: true, sandbox: true, memoryLimit: '1GB' });
  try {
    return await runOnSandbox(sandbox, hunt.sql, params, { paramTypes: Object.fromEntries(hunt.params.map((p) => [p.name, p.type])), ...opts });
  } finally {
    await sandbox.close();
  }
}

export async function runOnSandbox(sandbox: CaseStore, sql: string, params: Record<string, HuntParamValue>, opts: HuntRunOptions = {}): Promise<HuntRunResult> {
  const conn = sandbox.conn;
  const statements = await conn.extractStatements(sql);
  if (statements.count !== 1) throw new HuntRunError('HUNT_REFUSED', `a hunt is one SELECT statement; this has ${statements.count}`);
  let prepared;
  try {
    prepared = await statements.prepare(0);
  } catch (e) {
    throw new HuntRunError('HUNT_FAILED', refusalMessage(errorMessage(e)));
  }
  if (prepared.statementType !== StatementType.SELECT) {
    throw new HuntRunError('HUNT_REFUSED', `hunts only read: a ${StatementType[prepared.statementType]} statement is not allowed`);
  }
  const values: Record<string, DuckDBValue> = {};
  // Lists carry their type: an empty list has no element to infer it from.
  const types: Record<string, DuckDBType> = {};
  for (const [k, v] of Object.entries(params)) {
    const declared = opts.paramTypes?.[k];
    const bindType = declared ? BIND_TYPES[declared] : undefined;
    values[k] = Array.isArray(v) ? listValue(v) : bindType === BIGINT && typeof v === 'number' ? BigInt(v) : v;
    if (Array.isArray(v)) types[k] = LIST(VARCHAR);
    else if (bindType && v !== null) types[k] = bindType;
  }
  prepared.bind(values, types);

  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  let stopped: 'timeout' | 'cancel' | null = null;
  const interrupt = (why: 'timeout' | 'cancel') => {
    stopped = why;
    conn.interrupt();
  };
  const timer = setTimeout(() => interrupt('timeout'), timeoutMs);
  const onAbort = () => interrupt('cancel');
  opts.signal?.addEventListener('abort', onAbort);
  try {
    if (opts.signal?.aborted) throw new HuntRunError('HUNT_CANCELLED', 'cancelled');
    const maxRows = opts.maxRows ?? 10_000;
    const reader = await prepared.streamAndReadUntil(maxRows + 1);
    let rowCount = reader.currentRowCount;
    if (!reader.done) {
      // The exact count of a large result, without holding its rows.
      const count = await conn.prepare(`SELECT count(*) FROM (${sql})`);
      count.bind(values, types);
      rowCount = Number((await count.runAndReadAll()).getRows()[0][0]);
    }
    const rows = isoTimestamps(reader.getRowsJson().slice(0, maxRows), reader.columnTypes());
    return { columns: reader.columnNames(), rows, rowCount, truncated: rowCount > maxRows, durationMs: Date.now() - started, params };
  } catch (e) {
    if (e instanceof HuntRunError) throw e;
    if (stopped === 'timeout') throw new HuntRunError('HUNT_TIMEOUT', `the hunt ran longer than ${Math.round(timeoutMs / 1000)} s and was stopped`);
    if (stopped === 'cancel') throw new HuntRunError('HUNT_CANCELLED', 'the hunt was cancelled');
    throw new HuntRunError('HUNT_FAILED', refusalMessage(errorMessage(e)));
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** DuckDB's sandbox errors, said plainly. */
function refusalMessage(msg: string): string {
  const first = msg.split('\n')[0];
  if (/file system operations are disabled|Cannot access (file|directory)/.test(first)) {
    return `hunts cannot read or write files or URLs, only the case (${first})`;
  }
  if (/Cannot execute statement of type "(\w+)"/.test(first)) {
    return `hunts cannot change the case: ${first.match(/type "(\w+)"/)![1]} is not allowed`;
  }
  if (/configuration has been locked|Cannot change configuration/.test(first)) return `hunts cannot change settings (${first})`;
  if (/extensions? (is|are) disabled|Loading external extensions/.test(first)) return `hunts cannot load extensions (${first})`;
  return first;
}

const TZ_TEXT = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)\+00$/;

/** TIMESTAMPTZ cells as ISO 8601 UTC (DuckDB's JSON text is "2025-03-19 09:33:47+00"; the sandbox runs in UTC). */
function isoTimestamps(rows: Json[][], types: DuckDBType[]): Json[][] {
  const tz = types.flatMap((t, i) => (t.typeId === DuckDBTypeId.TIMESTAMP_TZ ? [i] : []));
  if (tz.length === 0) return rows;
  for (const row of rows) {
    for (const i of tz) {
      const v = row[i];
      if (typeof v === 'string') row[i] = v.replace(TZ_TEXT, '$1T$2Z');
    }
  }
  return rows;
}
