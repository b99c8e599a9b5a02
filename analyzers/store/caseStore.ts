import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { migrate } from './migrations';

export type SqlValue = DuckDBValue;
export type Row = Record<string, unknown>;

/** The catalog name the case file is attached as. */
export const CASE_DB = 'case_db';

export interface CaseOptions {
  /** Open without the right to write (hunts, verification). */
  readOnly?: boolean;
  /**
   * After attaching, forbid everything outside the case: no file or URL
   * access, no extensions, and the configuration locked so a query cannot
   * undo it. For hunts and ad-hoc queries.
   */
  sandbox?: boolean;
  /** DuckDB memory limit, e.g. '1GB'. Imports stay well under 2 GiB RSS with the default. */
  memoryLimit?: string;
  threads?: number;
}

/**
 * One case = one DuckDB file. The file is attached with STORAGE_VERSION
 * 'latest' because older storage versions silently ignore
 * `USING COMPRESSION zstd`, and the case then grows to several times its input.
 */
export class CaseStore {
  private constructor(
    readonly file: string,
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  static async open(file: string, options: CaseOptions = {}): Promise<CaseStore> {
    const abs = path.resolve(file);
    const readOnly = options.readOnly ?? false;
    if (readOnly && !fs.existsSync(abs)) throw new CaseError('CASE_NOT_FOUND', `No case file at ${abs}`);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '1500MB',
      threads: String(options.threads ?? Math.max(1, os.availableParallelism())),
      preserve_insertion_order: 'true',
    });
    const conn = await instance.connect();
    const attachOpts = readOnly ? 'READ_ONLY' : `STORAGE_VERSION 'latest'`;
    try {
      await conn.run(`ATTACH ${sqlString(abs)} AS ${CASE_DB} (${attachOpts})`);
    } catch (err) {
      conn.closeSync();
      instance.closeSync();
      throw new CaseError('CASE_OPEN_FAILED', `Cannot open case ${abs}: ${errorMessage(err)}`);
    }
    await prepareConnection(conn);
    if (options.sandbox) {
      await conn.run(`SET enable_external_access = false`);
      await conn.run(`SET autoload_known_extensions = false`);
      await conn.run(`SET autoinstall_known_extensions = false`);
      await conn.run(`SET lock_configuration = true`);
    }
    const store = new CaseStore(abs, instance, conn, readOnly);
    if (!readOnly) await migrate(store);
    return store;
  }

  async connect(): Promise<DuckDBConnection> {
    const c = await this.instance.connect();
    await prepareConnection(c);
    return c;
  }

  async all<T extends object = Row>(sql: string, values?: SqlValue[] | Record<string, SqlValue>, conn = this.conn): Promise<T[]> {
    const reader = await conn.runAndReadAll(sql, values);
    return reader.getRowObjectsJS() as T[];
  }

  /** Rows as JSON-safe values: BIGINT as string when unsafe, timestamps as ISO strings. */
  async allJson<T extends object = Row>(sql: string, values?: SqlValue[] | Record<string, SqlValue>, conn = this.conn): Promise<T[]> {
    const reader = await conn.runAndReadAll(sql, values);
    return reader.getRowObjectsJson() as T[];
  }

  async one<T extends object = Row>(sql: string, values?: SqlValue[] | Record<string, SqlValue>, conn = this.conn): Promise<T | undefined> {
    const rows = await this.all<T>(sql, values, conn);
    return rows[0];
  }

  async run(sql: string, values?: SqlValue[] | Record<string, SqlValue>, conn = this.conn): Promise<void> {
    await conn.run(sql, values);
  }

  async close(): Promise<void> {
    if (!this.readOnly) {
      try {
        await this.conn.run(`CHECKPOINT ${CASE_DB}`);
      } catch {
        // A failed checkpoint leaves the WAL in place; DuckDB replays it on the next open.
      }
    }
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Every connection works in UTC, and has iso(ts): ISO 8601 with a Z and no
 * trailing zero fraction, the form timestamps take at every edge.
 */
async function prepareConnection(conn: DuckDBConnection): Promise<void> {
  await conn.run(`USE ${CASE_DB}`);
  await conn.run(`SET TimeZone = 'UTC'`);
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO iso(ts) AS
       regexp_replace(regexp_replace(strftime(ts, '%Y-%m-%dT%H:%M:%S.%f'), '0+$', ''), '\\.$', '') || 'Z'`,
  );
}

export class CaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A SQL string literal, for the few places DuckDB takes no parameter (ATTACH paths). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
