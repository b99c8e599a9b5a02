import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Text formats (VPC flow, ELB, S3 access) are parsed in SQL from one staging
 * table of lines, so that a line read by DuckDB's CSV reader from a file and a
 * line carried inside a JSON envelope (CloudWatch, {"message": ...}) go through
 * the same parser.
 *
 *   stage_lines(source_file_id INTEGER, record_index BIGINT, line VARCHAR)
 *
 * record_index is the 1-based line number in the source file (or the element
 * index of the envelope that carried it). Blank lines are never staged.
 */
export const STAGE_LINES = 'stage_lines';

export async function createLineStage(conn: DuckDBConnection): Promise<void> {
  await conn.run(
    `CREATE TEMP TABLE IF NOT EXISTS ${STAGE_LINES} (source_file_id INTEGER, record_index BIGINT, line VARCHAR)`,
  );
}

export async function clearLineStage(conn: DuckDBConnection): Promise<void> {
  await conn.run(`DELETE FROM ${STAGE_LINES}`);
}

/**
 * Stage every non-blank line of a text file (plain or gzip) with its line number.
 * DuckDB's CSV reader does the reading; a delimiter that cannot occur keeps each
 * line whole, and row_number() over a single-file scan is its line number.
 * Throws when the file cannot be read (truncated gzip, a 0x01 byte in a line,
 * invalid UTF-8); the caller then stages the file with stageLinesFromBuffer.
 */
export async function stageLinesFromFile(
  conn: DuckDBConnection,
  diskPath: string,
  sourceFileId: number,
  gzip: boolean,
  skipLines = 0,
): Promise<number> {
  // Compression is given, not guessed from the extension: logs saved without
  // ".gz" are common.
  const r = await conn.run(
    `INSERT INTO ${STAGE_LINES}
     SELECT $id, n, line FROM (
       SELECT row_number() OVER () AS n, line
       FROM read_csv($path, delim = '\x01', quote = '', escape = '', header = false,
                     auto_detect = false, columns = {'line': 'VARCHAR'},
                     max_line_size = 67108864, compression = $compression)
     ) WHERE n > $skip AND line IS NOT NULL AND trim(line) <> ''`,
    { id: sourceFileId, path: diskPath, skip: skipLines, compression: gzip ? 'gzip' : 'none' },
  );
  return Number(r.rowsChanged);
}

/**
 * The slow, always-correct path: split decompressed bytes on LF (dropping a CR
 * before it) and append each non-blank line. Invalid UTF-8 in a line is
 * replaced, never dropped; the raw column then differs from the source bytes,
 * and the caller records that.
 */
export async function stageLinesFromBuffer(
  conn: DuckDBConnection,
  buf: Buffer,
  sourceFileId: number,
  skipLines = 0,
): Promise<number> {
  const appender = await conn.createAppender(STAGE_LINES, 'main', 'temp');
  let lineNo = 0;
  let staged = 0;
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    lineNo++;
    let stop = end;
    if (stop > start && buf[stop - 1] === 13) stop--;
    if (lineNo > skipLines && !isBlank(buf, start, stop)) {
      appender.appendInteger(sourceFileId);
      appender.appendBigInt(BigInt(lineNo));
      appender.appendVarchar(buf.toString('utf8', start, stop));
      appender.endRow();
      staged++;
    }
    start = end + 1;
  }
  appender.flushSync();
  appender.closeSync();
  return staged;
}

/** Stage lines that JS already holds (messages carried inside JSON envelopes). */
export async function stageLines(
  conn: DuckDBConnection,
  lines: { sourceFileId: number; recordIndex: number; line: string }[],
): Promise<void> {
  if (lines.length === 0) return;
  const appender = await conn.createAppender(STAGE_LINES, 'main', 'temp');
  for (const l of lines) {
    appender.appendInteger(l.sourceFileId);
    appender.appendBigInt(BigInt(l.recordIndex));
    appender.appendVarchar(l.line);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

function isBlank(buf: Buffer, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) {
    const b = buf[i];
    if (b !== 32 && b !== 9 && b !== 13) return false;
  }
  return true;
}

/**
 * The staged files a text parser works on: one file, or a batch of files
 * with consecutive ids. Small files are parsed in batches because a parse is
 * several statements, and planning them costs as much as parsing a few
 * thousand lines.
 */
export interface StagedFiles {
  lo: number;
  hi: number;
}

export function stagedFiles(files: number | StagedFiles): StagedFiles {
  return typeof files === 'number' ? { lo: files, hi: files } : files;
}

/**
 * Staged lines as (record_index, line) with the file id packed into the high
 * 32 bits of record_index, so that parsers that carry one position column
 * through their subqueries carry the file too. Line numbers stay below 2^32.
 */
export function packedStagedLines(f: StagedFiles, alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `SELECT (${a}source_file_id::BIGINT << 32) | ${a}record_index AS record_index, ${a}line AS line FROM ${STAGE_LINES} ${alias}
    WHERE ${a}source_file_id BETWEEN ${f.lo} AND ${f.hi}`;
}

/** The file id and the position packed by packedStagedLines. */
export const unpackFileId = (col: string) => `(${col} >> 32)::INTEGER`;
export const unpackRecordIndex = (col: string) => `(${col} & 4294967295)`;
