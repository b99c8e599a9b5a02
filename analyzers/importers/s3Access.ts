import type { DuckDBConnection } from '@duckdb/node-api';
import { S3_ACCESS_COLUMNS } from '../store/schema';
import { type FieldSpec, type LineKinds, type RecordLayout, countsByKind, parseStagedLines, timeRange } from './logTokens';
import type { ParseResult } from './types';

const S3_LINE = /^\S+ \S+ \[\d\d\/[A-Za-z]{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] \S+ \S+ \S+ [A-Za-z0-9_.]+ /;

export function looksLikeS3AccessLine(line: string): boolean {
  return S3_LINE.test(line);
}

const f = (pos: number, field: string, type: FieldSpec['type'], column: string, required = false): FieldSpec => ({
  pos,
  field,
  type,
  column,
  required,
});

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
    f(1, 'bucket_owner', 'text', 'bucket_owner'),
    f(2, 'bucket', 'text', 'bucket'),
    f(3, 'time', 'clf_time', 'event_time', true),
    f(4, 'remote_ip', 'text', 'remote_ip'),
    f(5, 'requester', 'text', 'requester'),
    f(6, 'request_id', 'text', 'request_id'),
    f(7, 'operation', 'text', 'operation'),
    f(8, 'key', 'text', 'key'),
    f(9, 'request_uri', 'quoted', 'request_uri'),
    f(10, 'http_status', 'integer', 'http_status'),
    f(11, 'error_code', 'text', 'error_code'),
    f(12, 'bytes_sent', 'bigint', 'bytes_sent'),
    f(13, 'object_size', 'bigint', 'object_size'),
    f(14, 'total_time', 'bigint', 'total_time'),
    f(15, 'turn_around_time', 'bigint', 'turn_around_time'),
    f(16, 'referer', 'quoted', 'referer'),
    f(17, 'user_agent', 'quoted', 'user_agent'),
    f(18, 'version_id', 'text', 'version_id'),
    f(19, 'host_id', 'text', 'host_id'),
    f(20, 'signature_version', 'text', 'signature_version'),
    f(21, 'cipher_suite', 'text', 'cipher_suite'),
    f(22, 'authentication_type', 'text', 'authentication_type'),
    f(23, 'host_header', 'text', 'host_header'),
    f(24, 'tls_version', 'text', 'tls_version'),
    f(25, 'access_point_arn', 'text', 'access_point_arn'),
    f(26, 'acl_required', 'text', 'acl_required'),
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
export async function parseS3AccessStaged(conn: DuckDBConnection, sourceFileId: number): Promise<ParseResult> {
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
