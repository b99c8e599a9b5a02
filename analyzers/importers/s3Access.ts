import type { StagedFiles } from './lineStage';
import type { DuckDBConnection } from '@duckdb/node-api';
import { S3_ACCESS_COLUMNS } from '../store/schema';
import { type LineKinds, type RecordLayout, countsByKind, field, parseStagedLines, timeRange } from './logTokens';
import type { ParseResult } from './types';

const S3_LINE = /^\S+ \S+ \[\d\d\/[A-Za-z]{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] \S+ \S+ \S+ [A-Za-z0-9_.]+ /;

export function looksLikeS3AccessLine(line: string): boolean {
  return S3_LINE.test(line);
}

/**
 * Fields in AWS order. AWS appends fields over the years (host id through TLS
 * version, then access point ARN, then aclRequired), so shorter records of
 * older logs leave the later columns NULL. Request-URI, referrer and user
 * agent are quoted, except where S3 writes a bare '-' (batch deletes).
 */
const S3_ACCESS: RecordLayout = {
  label: 'S3 access',
  // 18 fields (through version id) is the oldest layout still found in buckets.
  minFields: 18,
  knownFields: 26,
  spaced: 3,
  request: { pos: 9, columns: { method: 'http_method' } },
  fields: [
    field(1, 'bucket_owner', 'text', 'bucket_owner'),
    field(2, 'bucket', 'text', 'bucket'),
    field(3, 'time', 'clf_time', 'event_time', true),
    field(4, 'remote_ip', 'text', 'remote_ip'),
    field(5, 'requester', 'text', 'requester'),
    field(6, 'request_id', 'text', 'request_id'),
    field(7, 'operation', 'text', 'operation'),
    field(8, 'key', 'text', 'key'),
    field(9, 'request_uri', 'quoted', 'request_uri'),
    field(10, 'http_status', 'integer', 'http_status'),
    field(11, 'error_code', 'text', 'error_code'),
    field(12, 'bytes_sent', 'bigint', 'bytes_sent'),
    field(13, 'object_size', 'bigint', 'object_size'),
    field(14, 'total_time', 'bigint', 'total_time'),
    field(15, 'turn_around_time', 'bigint', 'turn_around_time'),
    field(16, 'referer', 'quoted', 'referer'),
    field(17, 'user_agent', 'quoted', 'user_agent'),
    field(18, 'version_id', 'text', 'version_id'),
    field(19, 'host_id', 'text', 'host_id'),
    field(20, 'signature_version', 'text', 'signature_version'),
    field(21, 'cipher_suite', 'text', 'cipher_suite'),
    field(22, 'authentication_type', 'text', 'authentication_type'),
    field(23, 'host_header', 'text', 'host_header'),
    field(24, 'tls_version', 'text', 'tls_version'),
    field(25, 'access_point_arn', 'text', 'access_point_arn'),
    field(26, 'acl_required', 'text', 'acl_required'),
  ],
};

/** One kind only: a line that is not an S3 record fails on its fields (the bracketed time first of all). */
const KINDS: LineKinds = {
  kindSql: `'s3_access'`,
  layouts: [{ kind: 's3_access', layout: S3_ACCESS }],
};

/**
 * Parse the staged lines of one file (stage_lines WHERE source_file_id = id)
 * into s3_access, rejects for the rest. Expects no s3_access rows of this
 * source file beforehand.
 */
export async function parseS3AccessStaged(conn: DuckDBConnection, sourceFileId: number | StagedFiles): Promise<ParseResult> {
  const { rejected } = await parseStagedLines(conn, sourceFileId, 's3_access', S3_ACCESS_COLUMNS, KINDS);
  const counts = await countsByKind(conn, 's3_access', null, sourceFileId);
  const imported = counts.reduce((sum, k) => sum + k.rows, 0);
  return {
    imported: { s3_access: imported },
    rejected,
    ...timeRange(counts),
    format: imported > 0 ? 's3access' : undefined,
  };
}
