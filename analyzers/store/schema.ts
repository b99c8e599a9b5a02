/**
 * The case schema, as data. Migrations create it, the query compiler checks
 * identifiers against it, and the UI lists columns from it, so a column is
 * declared exactly once.
 */

export type ColumnType =
  | 'INTEGER'
  | 'BIGINT'
  | 'SMALLINT'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'VARCHAR'
  | 'TIMESTAMPTZ'
  | 'JSON';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** Large text that compresses well with zstd (raw records, JSON blobs). */
  zstd?: boolean;
  /**
   * A virtual column computed from raw on read. Nested parts of CloudTrail
   * records are these: storing them again beside raw doubled the case size
   * and the import time, and queries filter on typed columns first.
   */
  generated?: string;
  doc?: string;
}

export interface TableDef {
  name: string;
  doc: string;
  /** Event tables hold log records: they carry source_file_id, record_index and raw. */
  isEvents: boolean;
  /** Column that orders events in time, where there is one. */
  timeColumn?: string;
  columns: ColumnDef[];
}

const c = (name: string, type: ColumnType, doc?: string): ColumnDef => ({ name, type, doc });
const big = (name: string, type: ColumnType, doc?: string): ColumnDef => ({ name, type, zstd: true, doc });
const fromRaw = (name: string, jsonPath: string): ColumnDef => ({
  name,
  type: 'JSON',
  generated: `json_extract(raw, '${jsonPath}')`,
  doc: `${jsonPath} of raw`,
});

/** Every event row points at the exact place it came from. */
const provenance: ColumnDef[] = [
  c('source_file_id', 'INTEGER', 'id of the row in sources that holds this record'),
  c('record_index', 'BIGINT', 'line number (1-based) in text files, element index (0-based) in JSON arrays'),
];
const raw = big('raw', 'VARCHAR', 'the record exactly as it appears in the source file');

export const CLOUDTRAIL_COLUMNS: ColumnDef[] = [
  ...provenance,
  c('event_time', 'TIMESTAMPTZ'),
  c('event_version', 'VARCHAR'),
  c('event_source', 'VARCHAR'),
  c('event_name', 'VARCHAR'),
  c('event_type', 'VARCHAR'),
  c('event_category', 'VARCHAR'),
  c('aws_region', 'VARCHAR'),
  c('recipient_account_id', 'VARCHAR'),
  c('source_ip', 'VARCHAR', 'sourceIPAddress as given: an IP, a service name or "AWS Internal"'),
  c('user_agent', 'VARCHAR'),
  c('user_type', 'VARCHAR'),
  c('user_arn', 'VARCHAR'),
  c('user_name', 'VARCHAR'),
  c('principal_id', 'VARCHAR'),
  c('account_id', 'VARCHAR'),
  c('access_key_id', 'VARCHAR'),
  c('session_issuer_arn', 'VARCHAR'),
  c('session_issuer_name', 'VARCHAR'),
  c('session_name', 'VARCHAR', 'role session name of an AssumedRole identity'),
  c('session_creation_date', 'TIMESTAMPTZ'),
  c('mfa_authenticated', 'BOOLEAN'),
  c('invoked_by', 'VARCHAR'),
  c('error_code', 'VARCHAR'),
  c('error_message', 'VARCHAR'),
  c('read_only', 'BOOLEAN'),
  c('management_event', 'BOOLEAN'),
  c('request_id', 'VARCHAR'),
  c('event_id', 'VARCHAR'),
  c('shared_event_id', 'VARCHAR'),
  c('vpc_endpoint_id', 'VARCHAR'),
  c('tls_version', 'VARCHAR'),
  c('cipher_suite', 'VARCHAR'),
  c('console_login_result', 'VARCHAR', 'responseElements.ConsoleLogin (Success/Failure)'),
  raw,
  fromRaw('user_identity', '$.userIdentity'),
  fromRaw('resources', '$.resources'),
  fromRaw('request_parameters', '$.requestParameters'),
  fromRaw('response_elements', '$.responseElements'),
  fromRaw('additional_event_data', '$.additionalEventData'),
  fromRaw('service_event_details', '$.serviceEventDetails'),
  fromRaw('insight_details', '$.insightDetails'),
];

/** VPC flow log fields, by their AWS names, in the order of the versions that added them. */
export const VPC_FIELDS: { field: string; column: string; type: ColumnType }[] = [
  // v2 (default format)
  { field: 'version', column: 'version', type: 'INTEGER' },
  { field: 'account-id', column: 'account_id', type: 'VARCHAR' },
  { field: 'interface-id', column: 'interface_id', type: 'VARCHAR' },
  { field: 'srcaddr', column: 'srcaddr', type: 'VARCHAR' },
  { field: 'dstaddr', column: 'dstaddr', type: 'VARCHAR' },
  { field: 'srcport', column: 'srcport', type: 'INTEGER' },
  { field: 'dstport', column: 'dstport', type: 'INTEGER' },
  { field: 'protocol', column: 'protocol', type: 'INTEGER' },
  { field: 'packets', column: 'packets', type: 'BIGINT' },
  { field: 'bytes', column: 'bytes', type: 'BIGINT' },
  { field: 'start', column: 'start_time', type: 'TIMESTAMPTZ' },
  { field: 'end', column: 'end_time', type: 'TIMESTAMPTZ' },
  { field: 'action', column: 'action', type: 'VARCHAR' },
  { field: 'log-status', column: 'log_status', type: 'VARCHAR' },
  // v3
  { field: 'vpc-id', column: 'vpc_id', type: 'VARCHAR' },
  { field: 'subnet-id', column: 'subnet_id', type: 'VARCHAR' },
  { field: 'instance-id', column: 'instance_id', type: 'VARCHAR' },
  { field: 'tcp-flags', column: 'tcp_flags', type: 'INTEGER' },
  { field: 'type', column: 'type', type: 'VARCHAR' },
  { field: 'pkt-srcaddr', column: 'pkt_srcaddr', type: 'VARCHAR' },
  { field: 'pkt-dstaddr', column: 'pkt_dstaddr', type: 'VARCHAR' },
  // v4
  { field: 'region', column: 'region', type: 'VARCHAR' },
  { field: 'az-id', column: 'az_id', type: 'VARCHAR' },
  { field: 'sublocation-type', column: 'sublocation_type', type: 'VARCHAR' },
  { field: 'sublocation-id', column: 'sublocation_id', type: 'VARCHAR' },
  // v5
  { field: 'pkt-src-aws-service', column: 'pkt_src_aws_service', type: 'VARCHAR' },
  { field: 'pkt-dst-aws-service', column: 'pkt_dst_aws_service', type: 'VARCHAR' },
  { field: 'flow-direction', column: 'flow_direction', type: 'VARCHAR' },
  { field: 'traffic-path', column: 'traffic_path', type: 'INTEGER' },
  // v7 (ECS)
  { field: 'ecs-cluster-arn', column: 'ecs_cluster_arn', type: 'VARCHAR' },
  { field: 'ecs-cluster-name', column: 'ecs_cluster_name', type: 'VARCHAR' },
  { field: 'ecs-container-instance-arn', column: 'ecs_container_instance_arn', type: 'VARCHAR' },
  { field: 'ecs-container-instance-id', column: 'ecs_container_instance_id', type: 'VARCHAR' },
  { field: 'ecs-container-id', column: 'ecs_container_id', type: 'VARCHAR' },
  { field: 'ecs-second-container-id', column: 'ecs_second_container_id', type: 'VARCHAR' },
  { field: 'ecs-service-name', column: 'ecs_service_name', type: 'VARCHAR' },
  { field: 'ecs-task-definition-arn', column: 'ecs_task_definition_arn', type: 'VARCHAR' },
  { field: 'ecs-task-arn', column: 'ecs_task_arn', type: 'VARCHAR' },
  { field: 'ecs-task-id', column: 'ecs_task_id', type: 'VARCHAR' },
  // v8
  { field: 'reject-reason', column: 'reject_reason', type: 'VARCHAR' },
  // Transit Gateway flow logs (version 6)
  { field: 'resource-type', column: 'resource_type', type: 'VARCHAR' },
  { field: 'tgw-id', column: 'tgw_id', type: 'VARCHAR' },
  { field: 'tgw-attachment-id', column: 'tgw_attachment_id', type: 'VARCHAR' },
  { field: 'tgw-src-vpc-account-id', column: 'tgw_src_vpc_account_id', type: 'VARCHAR' },
  { field: 'tgw-dst-vpc-account-id', column: 'tgw_dst_vpc_account_id', type: 'VARCHAR' },
  { field: 'tgw-src-vpc-id', column: 'tgw_src_vpc_id', type: 'VARCHAR' },
  { field: 'tgw-dst-vpc-id', column: 'tgw_dst_vpc_id', type: 'VARCHAR' },
  { field: 'tgw-src-subnet-id', column: 'tgw_src_subnet_id', type: 'VARCHAR' },
  { field: 'tgw-dst-subnet-id', column: 'tgw_dst_subnet_id', type: 'VARCHAR' },
  { field: 'tgw-src-eni', column: 'tgw_src_eni', type: 'VARCHAR' },
  { field: 'tgw-dst-eni', column: 'tgw_dst_eni', type: 'VARCHAR' },
  { field: 'tgw-src-az-id', column: 'tgw_src_az_id', type: 'VARCHAR' },
  { field: 'tgw-dst-az-id', column: 'tgw_dst_az_id', type: 'VARCHAR' },
  { field: 'tgw-pair-attachment-id', column: 'tgw_pair_attachment_id', type: 'VARCHAR' },
  { field: 'packets-lost-no-route', column: 'packets_lost_no_route', type: 'BIGINT' },
  { field: 'packets-lost-blackhole', column: 'packets_lost_blackhole', type: 'BIGINT' },
  { field: 'packets-lost-mtu-exceeded', column: 'packets_lost_mtu_exceeded', type: 'BIGINT' },
  { field: 'packets-lost-ttl-expired', column: 'packets_lost_ttl_expired', type: 'BIGINT' },
];

export const VPC_COLUMNS: ColumnDef[] = [
  ...provenance,
  c('event_time', 'TIMESTAMPTZ', 'start of the capture window (start), or end where start is absent'),
  ...VPC_FIELDS.map((f) => c(f.column, f.type)),
  c('layout', 'VARCHAR', 'the field order this record was read with'),
  raw,
];

export const ELB_COLUMNS: ColumnDef[] = [
  ...provenance,
  c('lb_type', 'VARCHAR', 'alb, clb, nlb or alb_connection'),
  c('event_time', 'TIMESTAMPTZ'),
  c('request_type', 'VARCHAR', 'ALB type (http, https, h2, grpcs, ws, wss); NLB listener type (tls)'),
  c('elb', 'VARCHAR', 'load balancer resource id'),
  c('client_ip', 'VARCHAR'),
  c('client_port', 'INTEGER'),
  c('target_ip', 'VARCHAR'),
  c('target_port', 'INTEGER'),
  c('request_processing_time', 'DOUBLE'),
  c('target_processing_time', 'DOUBLE'),
  c('response_processing_time', 'DOUBLE'),
  c('elb_status_code', 'INTEGER'),
  c('target_status_code', 'VARCHAR'),
  c('received_bytes', 'BIGINT'),
  c('sent_bytes', 'BIGINT'),
  c('request', 'VARCHAR'),
  c('http_method', 'VARCHAR'),
  c('url', 'VARCHAR'),
  c('http_version', 'VARCHAR'),
  c('user_agent', 'VARCHAR'),
  c('ssl_cipher', 'VARCHAR'),
  c('ssl_protocol', 'VARCHAR'),
  c('target_group_arn', 'VARCHAR'),
  c('trace_id', 'VARCHAR'),
  c('domain_name', 'VARCHAR'),
  c('chosen_cert_arn', 'VARCHAR'),
  c('matched_rule_priority', 'VARCHAR'),
  c('request_creation_time', 'TIMESTAMPTZ'),
  c('actions_executed', 'VARCHAR'),
  c('redirect_url', 'VARCHAR'),
  c('error_reason', 'VARCHAR'),
  c('target_port_list', 'VARCHAR'),
  c('target_status_code_list', 'VARCHAR'),
  c('classification', 'VARCHAR'),
  c('classification_reason', 'VARCHAR'),
  c('conn_trace_id', 'VARCHAR'),
  // NLB
  c('log_version', 'VARCHAR'),
  c('listener', 'VARCHAR'),
  c('connection_time', 'DOUBLE'),
  c('tls_handshake_time', 'DOUBLE'),
  c('incoming_tls_alert', 'VARCHAR'),
  c('chosen_cert_serial', 'VARCHAR'),
  c('tls_named_group', 'VARCHAR'),
  c('alpn_fe_protocol', 'VARCHAR'),
  c('alpn_be_protocol', 'VARCHAR'),
  c('alpn_client_preference_list', 'VARCHAR'),
  c('tls_connection_creation_time', 'TIMESTAMPTZ'),
  // ALB connection logs
  c('listener_port', 'INTEGER'),
  c('tls_handshake_latency', 'DOUBLE'),
  c('leaf_client_cert_subject', 'VARCHAR'),
  c('leaf_client_cert_validity', 'VARCHAR'),
  c('leaf_client_cert_serial_number', 'VARCHAR'),
  c('tls_verify_status', 'VARCHAR'),
  c('extra_fields', 'JSON', 'fields beyond those AWS documents today, kept in order'),
  raw,
];

export const S3_ACCESS_COLUMNS: ColumnDef[] = [
  ...provenance,
  c('event_time', 'TIMESTAMPTZ'),
  c('bucket_owner', 'VARCHAR'),
  c('bucket', 'VARCHAR'),
  c('remote_ip', 'VARCHAR'),
  c('requester', 'VARCHAR'),
  c('request_id', 'VARCHAR'),
  c('operation', 'VARCHAR'),
  c('key', 'VARCHAR'),
  c('request_uri', 'VARCHAR'),
  c('http_method', 'VARCHAR'),
  c('http_status', 'INTEGER'),
  c('error_code', 'VARCHAR'),
  c('bytes_sent', 'BIGINT'),
  c('object_size', 'BIGINT'),
  c('total_time', 'BIGINT'),
  c('turn_around_time', 'BIGINT'),
  c('referer', 'VARCHAR'),
  c('user_agent', 'VARCHAR'),
  c('version_id', 'VARCHAR'),
  c('host_id', 'VARCHAR'),
  c('signature_version', 'VARCHAR'),
  c('cipher_suite', 'VARCHAR'),
  c('authentication_type', 'VARCHAR'),
  c('host_header', 'VARCHAR'),
  c('tls_version', 'VARCHAR'),
  c('access_point_arn', 'VARCHAR'),
  c('acl_required', 'VARCHAR'),
  c('extra_fields', 'JSON'),
  raw,
];

export const DIGEST_COLUMNS: ColumnDef[] = [
  ...provenance,
  c('aws_account_id', 'VARCHAR'),
  c('digest_start_time', 'TIMESTAMPTZ'),
  c('digest_end_time', 'TIMESTAMPTZ'),
  c('digest_s3_bucket', 'VARCHAR'),
  c('digest_s3_object', 'VARCHAR'),
  c('digest_public_key_fingerprint', 'VARCHAR'),
  c('digest_signature_algorithm', 'VARCHAR'),
  c('newest_event_time', 'TIMESTAMPTZ'),
  c('oldest_event_time', 'TIMESTAMPTZ'),
  c('previous_digest_s3_bucket', 'VARCHAR'),
  c('previous_digest_s3_object', 'VARCHAR'),
  c('previous_digest_hash_value', 'VARCHAR'),
  c('previous_digest_hash_algorithm', 'VARCHAR'),
  c('previous_digest_signature', 'VARCHAR'),
  c('log_file_count', 'INTEGER'),
  big('log_files', 'JSON'),
  c('content_sha256', 'VARCHAR', 'SHA-256 of the decompressed digest file, as the next digest records it'),
  raw,
];

/** AWS records of kinds Cloudsift keeps but does not model yet (GuardDuty, WAF, CloudFront, ...). */
export const OTHER_COLUMNS: ColumnDef[] = [
  ...provenance,
  c('kind', 'VARCHAR'),
  c('event_time', 'TIMESTAMPTZ'),
  raw,
];

export const SOURCES_COLUMNS: ColumnDef[] = [
  c('source_file_id', 'INTEGER'),
  c('import_id', 'INTEGER'),
  c('path', 'VARCHAR', 'path relative to the import root; archive members as archive!/member'),
  c('import_root', 'VARCHAR'),
  c('container', 'VARCHAR', 'plain, gzip, zip member, tar member, and combinations'),
  c('size', 'BIGINT', 'bytes as received'),
  c('sha256', 'VARCHAR', 'SHA-256 of the bytes as received'),
  c('content_sha256', 'VARCHAR', 'SHA-256 of the decompressed content (what CloudTrail digests hash)'),
  c('kind', 'VARCHAR'),
  c('format', 'VARCHAR'),
  c('status', 'VARCHAR', 'imported, partial, rejected, duplicate-file'),
  c('records_imported', 'BIGINT'),
  c('records_duplicate', 'BIGINT', 'records already in the case from another file (linked, not stored twice)'),
  c('records_rejected', 'BIGINT'),
  c('first_event_time', 'TIMESTAMPTZ'),
  c('last_event_time', 'TIMESTAMPTZ'),
  c('imported_at', 'TIMESTAMPTZ'),
  c('tool_version', 'VARCHAR'),
  c('message', 'VARCHAR'),
];

export const REJECTS_COLUMNS: ColumnDef[] = [
  c('source_file_id', 'INTEGER'),
  c('position', 'BIGINT', 'line number (1-based), element index (0-based) or 0 for the whole file'),
  c('position_kind', 'VARCHAR', 'line, element, byte or file'),
  c('reason', 'VARCHAR'),
  c('excerpt', 'VARCHAR'),
];

export const IMPORTS_COLUMNS: ColumnDef[] = [
  c('import_id', 'INTEGER'),
  c('started_at', 'TIMESTAMPTZ'),
  c('finished_at', 'TIMESTAMPTZ'),
  c('tool_version', 'VARCHAR'),
  c('inputs', 'JSON', 'the paths given to the import, as typed'),
  c('options', 'JSON'),
  c('files', 'BIGINT'),
  c('records', 'BIGINT'),
  c('rejected', 'BIGINT'),
];

/** A record that also appears in another file: stored once, every place it came from kept. */
export const RECORD_LINKS_COLUMNS: ColumnDef[] = [
  c('table_name', 'VARCHAR'),
  c('event_id', 'VARCHAR'),
  c('source_file_id', 'INTEGER', 'the file holding this further copy'),
  c('record_index', 'BIGINT'),
  c('kept_source_file_id', 'INTEGER', 'where the stored row came from'),
  c('kept_record_index', 'BIGINT'),
];

export const TABLES: TableDef[] = [
  { name: 'cloudtrail', doc: 'CloudTrail events (management, data, Insight)', isEvents: true, timeColumn: 'event_time', columns: CLOUDTRAIL_COLUMNS },
  { name: 'vpc_flow', doc: 'VPC and Transit Gateway flow log records', isEvents: true, timeColumn: 'event_time', columns: VPC_COLUMNS },
  { name: 'elb', doc: 'Load balancer access and connection logs', isEvents: true, timeColumn: 'event_time', columns: ELB_COLUMNS },
  { name: 's3_access', doc: 'S3 server access logs', isEvents: true, timeColumn: 'event_time', columns: S3_ACCESS_COLUMNS },
  { name: 'digests', doc: 'CloudTrail digest files', isEvents: true, timeColumn: 'digest_end_time', columns: DIGEST_COLUMNS },
  { name: 'other_records', doc: 'Other AWS records kept verbatim (GuardDuty, WAF, CloudFront, EventBridge, CloudWatch)', isEvents: true, timeColumn: 'event_time', columns: OTHER_COLUMNS },
  { name: 'sources', doc: 'Chain of custody: one row per input file', isEvents: false, timeColumn: 'imported_at', columns: SOURCES_COLUMNS },
  { name: 'rejects', doc: 'Rejected files and lines, with position and reason', isEvents: false, columns: REJECTS_COLUMNS },
  { name: 'imports', doc: 'One row per import run', isEvents: false, timeColumn: 'started_at', columns: IMPORTS_COLUMNS },
  { name: 'record_links', doc: 'Further copies of stored records found in other files', isEvents: false, columns: RECORD_LINKS_COLUMNS },
];

export type EventTableName = 'cloudtrail' | 'vpc_flow' | 'elb' | 's3_access' | 'digests' | 'other_records';
export const EVENT_TABLES: EventTableName[] = ['cloudtrail', 'vpc_flow', 'elb', 's3_access', 'digests', 'other_records'];

export function tableDef(name: string): TableDef | undefined {
  return TABLES.find((t) => t.name === name);
}

export function columnDDL(col: ColumnDef): string {
  if (col.generated) return `${quoteIdent(col.name)} ${col.type} GENERATED ALWAYS AS (${col.generated}) VIRTUAL`;
  return `${quoteIdent(col.name)} ${col.type}${col.zstd ? ' USING COMPRESSION zstd' : ''}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
