import type { DuckDBConnection } from '@duckdb/node-api';
import { STAGE_LINES } from './lineStage';
import type { ParseResult } from './types';

/**
 * CloudFront standard logs are kept verbatim in other_records (tab-separated,
 * '#' header lines are not records); the time is the date and time fields.
 */
export async function parseCloudFrontStaged(conn: DuckDBConnection, sourceFileId: number): Promise<ParseResult> {
  const ins = await conn.run(
    `INSERT INTO other_records (source_file_id, record_index, kind, event_time, raw)
     SELECT source_file_id, record_index, 'cloudfront',
            TRY_CAST(split_part(line, chr(9), 1) || 'T' || split_part(line, chr(9), 2) || 'Z' AS TIMESTAMPTZ), line
     FROM ${STAGE_LINES} WHERE source_file_id = $id AND NOT starts_with(line, '#')`,
    { id: sourceFileId },
  );
  const t = await conn.runAndReadAll(
    `SELECT iso(min(event_time)) AS lo, iso(max(event_time)) AS hi FROM other_records WHERE source_file_id = $id`,
    { id: sourceFileId },
  );
  const [lo, hi] = t.getRows()[0] as [string | null, string | null];
  return { imported: { other_records: Number(ins.rowsChanged) }, rejected: 0, firstEventTime: lo, lastEventTime: hi, format: 'cloudfront standard log' };
}
