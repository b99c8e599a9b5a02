import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { JsonRecord } from './jsonRecords';
import { EXCERPT_CHARS, type RejectRow } from './types';

/**
 * JSON records are staged as bytes (a view of the decompressed file, never
 * re-serialised, so raw stays byte-exact) and moved into their tables by one
 * set-based INSERT per batch of files: DuckDB parses them on every core while
 * the next files are read and scanned.
 */
export const STAGE_JSON = 'stage_json';
/** The staged bytes decoded once, with whether each is a JSON object (one parse). */
export const STAGE_DECODED = 'stage_decoded';

export async function createJsonStage(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE TEMP TABLE IF NOT EXISTS ${STAGE_JSON} (
    source_file_id INTEGER, record_index BIGINT, target VARCHAR, other_kind VARCHAR,
    envelope_time BIGINT, file_sha256 VARCHAR, raw BLOB)`);
}

export class JsonStager {
  private appender: DuckDBAppender | null = null;
  bytes = 0;
  rows = 0;

  constructor(private readonly conn: DuckDBConnection) {}

  async add(sourceFileId: number, buf: Buffer, records: JsonRecord[], fileSha256: string | null): Promise<void> {
    if (records.length === 0) return;
    this.appender ??= await this.conn.createAppender(STAGE_JSON, 'main', 'temp');
    const a = this.appender;
    for (const r of records) {
      const bytes = r.span ? buf.subarray(r.span.start, r.span.end) : Buffer.from(r.text ?? '', 'utf8');
      a.appendInteger(sourceFileId);
      a.appendBigInt(BigInt(r.index));
      a.appendVarchar(r.target);
      if (r.otherKind) a.appendVarchar(r.otherKind);
      else a.appendNull();
      if (r.envelopeTime !== undefined) a.appendBigInt(BigInt(r.envelopeTime));
      else a.appendNull();
      if (fileSha256 && r.target === 'digests') a.appendVarchar(fileSha256);
      else a.appendNull();
      a.appendBlob(bytes);
      a.endRow();
      this.bytes += bytes.length;
      this.rows++;
    }
  }

  /** Make the staged rows visible to SQL. */
  finishAppending(): void {
    if (!this.appender) return;
    this.appender.flushSync();
    this.appender.closeSync();
    this.appender = null;
  }

  /** Decode the batch once; the table inserts read from STAGE_DECODED. */
  async decode(): Promise<void> {
    this.finishAppending();
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${STAGE_DECODED} AS
      SELECT source_file_id, record_index, target, other_kind, envelope_time, file_sha256, r AS raw,
             coalesce(try(json_type(r)) = 'OBJECT', false) AS ok
      FROM (SELECT *, try(decode(raw)) AS r FROM ${STAGE_JSON})`);
  }

  /** Decoded rows that did not reach their table. */
  async leftOut(): Promise<{ source_file_id: number; record_index: bigint; target: string; raw: string | null; ok: boolean }[]> {
    const r = await this.conn.runAndReadAll(`SELECT d.source_file_id, d.record_index, d.target, d.raw, d.ok FROM ${STAGE_DECODED} d
      WHERE NOT d.ok AND NOT (d.target = 'other_records' AND d.other_kind = 'cloudwatch' AND d.raw IS NOT NULL)
         OR (d.ok AND d.target = 'cloudtrail' AND NOT EXISTS (SELECT 1 FROM cloudtrail c WHERE c.source_file_id = d.source_file_id AND c.record_index = d.record_index))`);
    return r.getRowObjectsJS() as { source_file_id: number; record_index: bigint; target: string; raw: string | null; ok: boolean }[];
  }

  async clear(): Promise<void> {
    this.finishAppending();
    await this.conn.run(`DELETE FROM ${STAGE_JSON}`);
    await this.conn.run(`DROP TABLE IF EXISTS ${STAGE_DECODED}`);
    this.bytes = 0;
    this.rows = 0;
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
