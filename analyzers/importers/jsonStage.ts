import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import type { JsonRecord, JsonTarget } from './jsonRecords';
import { EXCERPT_CHARS, type RejectRow } from './types';

/**
 * JSON records are staged as bytes (a view of the decompressed file, never
 * re-serialised, so raw stays byte-exact) and moved into their tables by one
 * set-based INSERT per table and batch of files.
 *
 * CloudTrail records that are spans of their file, nearly all records, go to
 * a narrow table (file, index, bytes): appending a row costs about as much
 * per column as the bytes themselves. Every other record (digests, other
 * kinds, text decoded from an envelope, records with an envelope time) goes
 * to a wide one.
 *
 * The tables are in a database attached in memory for the import, not in
 * temp: temp tables belong to one connection, and records are appended on a
 * connection of their own while the import's connection moves the previous
 * batch into the case.
 */
export interface StageNames {
  /** (source_file_id, record_index, raw BLOB): CloudTrail records that start with '{'. */
  cloudtrail: string;
  /** (source_file_id, record_index, target, other_kind, envelope_time, file_sha256, obj, raw BLOB). */
  records: string;
}

/** Where the stage tables are: an attached database's main schema. */
interface StageTables {
  catalog: string;
  cloudtrail: string;
  records: string;
}

/** Rows staged, by where they are meant to go. */
export type StagedCounts = Record<JsonTarget, number>;

const JSON_WS_THEN_BRACE = /^[ \t\n\r]*\{/;

/**
 * The import's stage: an in-memory database, the connection records are
 * appended on, and two stagers, so that one batch fills while the other is
 * moved into the case.
 */
export interface JsonStage {
  stagers: [JsonStager, JsonStager];
  close(): Promise<void>;
}

export async function openJsonStage(store: CaseStore, importId: number): Promise<JsonStage> {
  const conn = await store.connect();
  const db = `cloudsift_stage_${importId}`;
  await conn.run(`ATTACH ':memory:' AS ${db}`);
  const stager = (k: string) => new JsonStager(conn, { catalog: db, cloudtrail: `cloudtrail_${k}`, records: `records_${k}` });
  return {
    stagers: [stager('a'), stager('b')],
    close: async () => {
      try {
        await conn.run(`DETACH ${db}`);
      } finally {
        conn.closeSync();
      }
    },
  };
}

export class JsonStager {
  private cloudtrail: DuckDBAppender | null = null;
  private records: DuckDBAppender | null = null;
  /** The tables hold rows of a batch already moved (or given up): they are replaced before the next add. */
  private stale = true;
  bytes = 0;
  rows = 0;
  /** Rows in the wide table. */
  wideRows = 0;
  counts: StagedCounts = { cloudtrail: 0, digests: 0, other_records: 0 };

  /** Qualified names, for SQL. */
  readonly names: StageNames;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly tables: StageTables,
  ) {
    this.names = { cloudtrail: `${tables.catalog}.main.${tables.cloudtrail}`, records: `${tables.catalog}.main.${tables.records}` };
  }

  async add(sourceFileId: number, buf: Buffer, records: JsonRecord[], fileSha256: string | null): Promise<void> {
    if (records.length === 0) return;
    if (this.stale) await this.reset();
    for (const r of records) {
      const bytes = r.span ? buf.subarray(r.span.start, r.span.end) : Buffer.from(r.text ?? '', 'utf8');
      if (r.target === 'cloudtrail' && r.span && r.envelopeTime === undefined && bytes[0] === 0x7b) {
        const a = (this.cloudtrail ??= await this.conn.createAppender(this.tables.cloudtrail, 'main', this.tables.catalog));
        a.appendInteger(sourceFileId);
        a.appendInteger(r.index);
        a.appendBlob(bytes);
        a.endRow();
      } else {
        const a = (this.records ??= await this.conn.createAppender(this.tables.records, 'main', this.tables.catalog));
        a.appendInteger(sourceFileId);
        a.appendInteger(r.index);
        a.appendVarchar(r.target);
        if (r.otherKind) a.appendVarchar(r.otherKind);
        else a.appendNull();
        if (r.envelopeTime !== undefined) a.appendBigInt(BigInt(r.envelopeTime));
        else a.appendNull();
        if (fileSha256 && r.target === 'digests') a.appendVarchar(fileSha256);
        else a.appendNull();
        // Whether the value is an object, when it is valid JSON at all: decided here once, so SQL only has to parse it.
        a.appendBoolean(r.span ? bytes[0] === 0x7b : JSON_WS_THEN_BRACE.test(r.text ?? ''));
        a.appendBlob(bytes);
        a.endRow();
        this.wideRows++;
      }
      this.counts[r.target]++;
      this.bytes += bytes.length;
      this.rows++;
    }
  }

  /** Make the staged rows visible to other connections. */
  finishAppending(): void {
    for (const a of [this.cloudtrail, this.records]) {
      if (!a) continue;
      a.flushSync();
      a.closeSync();
    }
    this.cloudtrail = null;
    this.records = null;
  }

  /**
   * Done with the staged rows (moved, or given up). The tables are replaced
   * on the next add, not now: the connection that moved them may still be in
   * the transaction that read them.
   */
  release(): void {
    this.finishAppending();
    this.stale = true;
    this.bytes = 0;
    this.rows = 0;
    this.wideRows = 0;
    this.counts = { cloudtrail: 0, digests: 0, other_records: 0 };
  }

  /** New, empty tables: the old rows' memory goes with them. */
  private async reset(): Promise<void> {
    this.finishAppending();
    await this.conn.run(`CREATE OR REPLACE TABLE ${this.names.cloudtrail} (source_file_id INTEGER, record_index INTEGER, raw BLOB)`);
    await this.conn.run(`CREATE OR REPLACE TABLE ${this.names.records} (
      source_file_id INTEGER, record_index INTEGER, target VARCHAR, other_kind VARCHAR,
      envelope_time BIGINT, file_sha256 VARCHAR, obj BOOLEAN, raw BLOB)`);
    this.stale = false;
  }

  /** The wide table's rows decoded, with ok: the value is a JSON object (one parse each). */
  decodedRecords(): string {
    return `(SELECT *, coalesce(obj AND try(json_type(raw)) = 'OBJECT', false) AS ok FROM (
      SELECT source_file_id, record_index, target, other_kind, envelope_time, file_sha256, obj, try(decode(raw)) AS raw
      FROM ${this.names.records}))`;
  }

  /** Every staged row decoded, in the wide table's shape. */
  private decodedAll(): string {
    return `(SELECT * FROM ${this.decodedRecords()}
      UNION ALL
      SELECT source_file_id, record_index, 'cloudtrail', NULL, NULL, NULL, true, raw, coalesce(try(json_type(raw)) = 'OBJECT', false)
      FROM (SELECT source_file_id, record_index, try(decode(raw)) AS raw FROM ${this.names.cloudtrail}))`;
  }

  /**
   * Staged rows that did not reach their table, asked on the connection that
   * inserted them (the anti-join must see its uncommitted rows), and only when
   * the inserts took fewer rows than were staged.
   */
  async leftOut(conn: DuckDBConnection): Promise<{ source_file_id: number; record_index: number; target: string; raw: string | null; ok: boolean }[]> {
    const r = await conn.runAndReadAll(`SELECT d.source_file_id, d.record_index, d.target, d.raw, d.ok FROM ${this.decodedAll()} d
      WHERE NOT d.ok AND NOT (d.target = 'other_records' AND d.other_kind = 'cloudwatch' AND d.raw IS NOT NULL)
         OR (d.ok AND d.target = 'cloudtrail' AND NOT EXISTS (SELECT 1 FROM cloudtrail c WHERE c.source_file_id = d.source_file_id AND c.record_index = d.record_index))
      ORDER BY d.source_file_id, d.record_index`);
    return r.getRowObjectsJS() as { source_file_id: number; record_index: number; target: string; raw: string | null; ok: boolean }[];
  }
}

/** A precise reason for a staged record that no table took. */
export function reasonLeftOut(row: { target: string; raw: string | null; ok: boolean }): string {
  if (row.raw === null) return 'invalid UTF-8';
  if (!row.ok) {
    try {
      JSON.parse(row.raw);
      return 'record is not a JSON object';
    } catch (e) {
      return `invalid JSON: ${(e as Error).message}`;
    }
  }
  let time: unknown;
  try {
    const rec = JSON.parse(row.raw) as Record<string, unknown>;
    time = rec.eventTime ?? rec['@timestamp'];
  } catch {
    time = undefined;
  }
  return `eventTime is not a timestamp: ${JSON.stringify(time)}`;
}

export function rejectFromRow(row: { source_file_id: number; record_index: number | bigint; target: string; raw: string | null; ok: boolean }, positionKind: RejectRow['positionKind']): RejectRow {
  return {
    sourceFileId: row.source_file_id,
    position: Number(row.record_index),
    positionKind,
    reason: reasonLeftOut(row),
    excerpt: (row.raw ?? '').slice(0, EXCERPT_CHARS),
  };
}
