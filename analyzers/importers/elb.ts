import type { StagedFiles } from './lineStage';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ELB_COLUMNS } from '../store/schema';
import {
  type FieldSpec,
  type KindCounts,
  type LineKinds,
  type RecordLayout,
  countsByKind,
  field,
  parseStagedLines,
  timeRange,
} from './logTokens';
import type { ParseResult } from './types';

const ALB_TYPES = ['http', 'https', 'h2', 'grpcs', 'ws', 'wss'];

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?`;
const ALB_LINE = new RegExp(String.raw`^(?:${ALB_TYPES.join('|')}) ${ISO}Z \S+ \S+ \S+ -?[\d.]+ `);
const CLB_LINE = new RegExp(String.raw`^${ISO}Z \S+ \S+:\d+ \S+ -?[\d.]+ `);
const NLB_LINE = new RegExp(String.raw`^[a-z]+ \d+\.\d+ ${ISO}Z? \S+ \S+ \S+:\d+ \S+ `);
const ALB_CONNECTION_LINE = new RegExp(String.raw`^${ISO}Z \S+ \d+ \d+ `);

/** True when a line is an ELB log record of any kind (ALB access, Classic, NLB, ALB connection log). */
export function looksLikeElbLine(line: string): boolean {
  return ALB_LINE.test(line) || NLB_LINE.test(line) || ALB_CONNECTION_LINE.test(line) || CLB_LINE.test(line);
}

/** Fields in AWS order, each appended by AWS over the years; older, shorter records leave the later ones NULL. */
const ALB: RecordLayout = {
  label: 'ALB access',
  // 18 fields (up to trace_id) is the oldest ALB layout.
  minFields: 18,
  knownFields: 30,
  constants: { lb_type: 'alb' },
  request: { pos: 13, columns: { method: 'http_method', url: 'url', version: 'http_version' } },
  fields: [
    field(1, 'type', 'text', 'request_type'),
    field(2, 'time', 'iso_time', 'event_time', true),
    field(3, 'elb', 'text', 'elb'),
    field(4, 'client:port', 'host_port', ['client_ip', 'client_port']),
    field(5, 'target:port', 'host_port', ['target_ip', 'target_port']),
    field(6, 'request_processing_time', 'double', 'request_processing_time'),
    field(7, 'target_processing_time', 'double', 'target_processing_time'),
    field(8, 'response_processing_time', 'double', 'response_processing_time'),
    field(9, 'elb_status_code', 'integer', 'elb_status_code'),
    field(10, 'target_status_code', 'text', 'target_status_code'),
    field(11, 'received_bytes', 'bigint', 'received_bytes'),
    field(12, 'sent_bytes', 'bigint', 'sent_bytes'),
    field(13, 'request', 'quoted', 'request'),
    field(14, 'user_agent', 'quoted', 'user_agent'),
    field(15, 'ssl_cipher', 'text', 'ssl_cipher'),
    field(16, 'ssl_protocol', 'text', 'ssl_protocol'),
    field(17, 'target_group_arn', 'text', 'target_group_arn'),
    field(18, 'trace_id', 'quoted', 'trace_id'),
    field(19, 'domain_name', 'quoted', 'domain_name'),
    field(20, 'chosen_cert_arn', 'quoted', 'chosen_cert_arn'),
    field(21, 'matched_rule_priority', 'text', 'matched_rule_priority'),
    field(22, 'request_creation_time', 'iso_time', 'request_creation_time'),
    field(23, 'actions_executed', 'quoted', 'actions_executed'),
    field(24, 'redirect_url', 'quoted', 'redirect_url'),
    field(25, 'error_reason', 'quoted', 'error_reason'),
    field(26, 'target:port_list', 'quoted', 'target_port_list'),
    field(27, 'target_status_code_list', 'quoted', 'target_status_code_list'),
    field(28, 'classification', 'quoted', 'classification'),
    field(29, 'classification_reason', 'quoted', 'classification_reason'),
    field(30, 'conn_trace_id', 'text', 'conn_trace_id'),
  ],
};

/** HTTP/HTTPS listeners fill every field; TCP/SSL listeners write '-' codes and request "- - - ". */
const CLB: RecordLayout = {
  label: 'Classic ELB',
  // user_agent, ssl_cipher and ssl_protocol were added to the original 12-field layout.
  minFields: 12,
  knownFields: 15,
  constants: { lb_type: 'clb' },
  request: { pos: 12, columns: { method: 'http_method', url: 'url', version: 'http_version' } },
  fields: [
    field(1, 'timestamp', 'iso_time', 'event_time', true),
    field(2, 'elb', 'text', 'elb'),
    field(3, 'client:port', 'host_port', ['client_ip', 'client_port']),
    field(4, 'backend:port', 'host_port', ['target_ip', 'target_port']),
    field(5, 'request_processing_time', 'double', 'request_processing_time'),
    field(6, 'backend_processing_time', 'double', 'target_processing_time'),
    field(7, 'response_processing_time', 'double', 'response_processing_time'),
    field(8, 'elb_status_code', 'integer', 'elb_status_code'),
    field(9, 'backend_status_code', 'text', 'target_status_code'),
    field(10, 'received_bytes', 'bigint', 'received_bytes'),
    field(11, 'sent_bytes', 'bigint', 'sent_bytes'),
    field(12, 'request', 'quoted', 'request'),
    field(13, 'user_agent', 'quoted', 'user_agent'),
    field(14, 'ssl_cipher', 'text', 'ssl_cipher'),
    field(15, 'ssl_protocol', 'text', 'ssl_protocol'),
  ],
};

const NLB_FIELDS: FieldSpec[] = [
  field(1, 'type', 'text', 'request_type'),
  field(2, 'version', 'text', 'log_version'),
  field(3, 'time', 'iso_time', 'event_time', true),
  field(4, 'elb', 'text', 'elb'),
  field(5, 'listener', 'text', 'listener'),
  field(6, 'client:port', 'host_port', ['client_ip', 'client_port']),
  field(7, 'destination:port', 'host_port', ['target_ip', 'target_port']),
  field(8, 'connection_time', 'double', 'connection_time'),
  field(9, 'tls_handshake_time', 'double', 'tls_handshake_time'),
  field(10, 'received_bytes', 'bigint', 'received_bytes'),
  field(11, 'sent_bytes', 'bigint', 'sent_bytes'),
  field(12, 'incoming_tls_alert', 'text', 'incoming_tls_alert'),
  field(13, 'chosen_cert_arn', 'text', 'chosen_cert_arn'),
  field(14, 'chosen_cert_serial', 'text', 'chosen_cert_serial'),
  field(15, 'tls_cipher', 'text', 'ssl_cipher'),
  field(16, 'tls_protocol_version', 'text', 'ssl_protocol'),
  field(17, 'tls_named_group', 'text', 'tls_named_group'),
  field(18, 'domain_name', 'text', 'domain_name'),
  field(19, 'alpn_fe_protocol', 'text', 'alpn_fe_protocol'),
  field(20, 'alpn_be_protocol', 'text', 'alpn_be_protocol'),
  // A list such as "h2","http/1.1" is kept with its quotes: they delimit its items.
  field(21, 'alpn_client_preference_list', 'text', 'alpn_client_preference_list'),
  field(22, 'tls_connection_creation_time', 'iso_time', 'tls_connection_creation_time'),
];

const NLB_V1: RecordLayout = {
  label: 'NLB 1.0',
  minFields: 18,
  knownFields: 22,
  constants: { lb_type: 'nlb' },
  fields: NLB_FIELDS,
};

/** Version 2.0 added the ALPN fields, and later tls_connection_creation_time. */
const NLB_V2: RecordLayout = { ...NLB_V1, label: 'NLB', minFields: 21 };

const ALB_CONNECTION: RecordLayout = {
  label: 'ALB connection',
  minFields: 11,
  knownFields: 12,
  constants: { lb_type: 'alb_connection' },
  fields: [
    field(1, 'timestamp', 'iso_time', 'event_time', true),
    field(2, 'client_ip', 'text', 'client_ip'),
    field(3, 'client_port', 'port', 'client_port'),
    field(4, 'listener_port', 'port', 'listener_port'),
    field(5, 'tls_protocol', 'text', 'ssl_protocol'),
    field(6, 'tls_cipher', 'text', 'ssl_cipher'),
    field(7, 'tls_handshake_latency', 'double', 'tls_handshake_latency'),
    field(8, 'leaf_client_cert_subject', 'quoted', 'leaf_client_cert_subject'),
    field(9, 'leaf_client_cert_validity', 'text', 'leaf_client_cert_validity'),
    field(10, 'leaf_client_cert_serial_number', 'text', 'leaf_client_cert_serial_number'),
    field(11, 'tls_verify_status', 'text', 'tls_verify_status'),
    field(12, 'conn_trace_id', 'text', 'conn_trace_id'),
  ],
};

/**
 * Each line is classified on its own leading fields, because one file (or one
 * CloudWatch export) can carry several kinds: ALB lines start with their
 * request type, NLB lines with listener type and log version, and of the two
 * that start with a time, connection logs have a bare client port third.
 */
const KINDS: LineKinds = {
  kindSql: `CASE
    WHEN regexp_matches(line, '^(?:${ALB_TYPES.join('|')}) ') THEN 'alb'
    WHEN regexp_matches(line, '^[a-z]+ 1\\.0 ') THEN 'nlb_v1'
    WHEN regexp_matches(line, '^[a-z]+ [0-9]+\\.[0-9]+ ') THEN 'nlb'
    WHEN regexp_matches(line, '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]* [^ ]+ [0-9]+ ') THEN 'alb_connection'
    WHEN regexp_matches(line, '^[0-9]{4}-[0-9]{2}-[0-9]{2}T') THEN 'clb'
  END`,
  layouts: [
    { kind: 'alb', layout: ALB },
    { kind: 'nlb_v1', layout: NLB_V1 },
    { kind: 'nlb', layout: NLB_V2 },
    { kind: 'alb_connection', layout: ALB_CONNECTION },
    { kind: 'clb', layout: CLB },
  ],
  unmatchedReason: `concat('not an ELB record: first field ''', left(split_part(line, ' ', 1), 80), ''' is not an ALB request type, an NLB listener type with log version, or a time')`,
};

const LB_TYPE_ORDER = ['alb', 'clb', 'nlb', 'alb_connection'];

/**
 * Parse the staged lines of one file (stage_lines WHERE source_file_id = id)
 * into elb (lb_type alb | clb | nlb | alb_connection, decided per line: mixed
 * files are split by kind), rejects for the rest. Expects no elb rows of this
 * source file beforehand.
 */
export async function parseElbStaged(conn: DuckDBConnection, sourceFileId: number | StagedFiles): Promise<ParseResult> {
  const { rejected } = await parseStagedLines(conn, sourceFileId, 'elb', ELB_COLUMNS, KINDS);
  const byKind = await countsByKind(conn, 'elb', 'lb_type', sourceFileId);
  return {
    imported: { elb: byKind.reduce((sum, k) => sum + k.rows, 0) },
    rejected,
    ...timeRange(byKind),
    format: describe(byKind),
  };
}

function describe(byKind: KindCounts[]): string | undefined {
  const present = LB_TYPE_ORDER.map((k) => byKind.find((b) => b.kind === k)).filter((b) => b !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0].kind;
  return `mixed: ${present.map((b) => `${b.kind}=${b.rows}`).join(' ')}`;
}
