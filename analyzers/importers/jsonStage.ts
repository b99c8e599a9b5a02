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

  async clear(): Promise<void> {
    this.finishAppending();
    await this.conn.run(`DELETE FROM ${STAGE_JSON}`);
    this.bytes = 0;
    this.rows = 0;
  }
}

/** Why JSON.parse refuses a text: a precise reason for a reject row. */
export function jsonParseError(text: string): string {
  try {
    JSON.parse(text);
    return 'invalid JSON';
  } catch (e) {
    return `invalid JSON: ${(e as Error).message}`;
  }
}

export function rejectFromRow(row: { source_file_id: number; record_index: number | bigint; raw: string | null; reason: string }, positionKind: RejectRow['positionKind']): RejectRow {
  const raw = row.raw ?? '';
  const reason = row.reason === 'invalid JSON' ? jsonParseError(raw) : row.reason;
  return {
    sourceFileId: row.source_file_id,
    position: Number(row.record_index),
    positionKind,
    reason,
    excerpt: raw.slice(0, EXCERPT_CHARS),
  };
}
