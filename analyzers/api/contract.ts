/**
 * The one contract between the UI and the engine. Electron's main process, the
 * preload, `cloudsift serve` and the renderer's client are all typed from this
 * file, so it holds types and plain data only: no Node, Electron or DOM imports.
 *
 * Every call is `namespace/action` with one request and one response type.
 * Errors cross the boundary as data (`{ok: false, error}`), never as thrown
 * exceptions, so every transport carries them the same way.
 */

import type { ColumnType } from '../store/schema';

export type { ColumnType };

/** JSON as it crosses the boundary. BIGINT beyond 2^53 arrives as a decimal string; timestamps as ISO-8601 UTC strings. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ApiError {
  /** Stable, machine-readable: BAD_REQUEST, UNKNOWN_CHANNEL, UNKNOWN_TABLE, UNKNOWN_COLUMN, NOT_FOUND, CASE_READ_ONLY, FS_DENIED, FILE_EXISTS, IMPORT_RUNNING, JOB_RUNNING, CANCELLED, HUNT_REFUSED, HUNT_PARAM, HUNT_TIMEOUT, HUNT_CANCELLED, HUNT_FAILED, INTERNAL, TRANSPORT. */
  code: string;
  message: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------- case

export interface TableSummary {
  name: string;
  doc: string;
  isEvents: boolean;
  rows: number;
}

export interface CaseInfo {
  path: string;
  caseId: string;
  schemaVersion: number;
  readOnly: boolean;
  tables: TableSummary[];
}

// ---------------------------------------------------------------- import

export interface ImportStartRequest {
  /** Paths on the machine that runs the engine: files, folders, .zip, .tar.gz. */
  paths: string[];
}

export type ImportJobState = 'running' | 'done' | 'failed';

export interface ImportFileProgress {
  path: string;
  state: 'importing' | 'done';
}

export interface ImportProgressInfo {
  phase: 'scanning' | 'importing' | 'finishing' | 'done';
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  records: number;
  rejected: number;
  currentFile: string | null;
}

export interface ImportJob {
  jobId: string;
  paths: string[];
  state: ImportJobState;
  startedAt: string;
  finishedAt: string | null;
  progress: ImportProgressInfo;
  /** Most recent files first; the engine keeps the last few hundred. */
  files: ImportFileProgress[];
  /** The importer's own summary once done, as JSON. */
  summary: JsonValue | null;
  error: ApiError | null;
}

// ---------------------------------------------------------------- sources and rejects

export interface PageRequest {
  offset?: number;
  limit?: number;
}

export interface SourceRow {
  sourceFileId: number;
  importId: number | null;
  path: string;
  importRoot: string | null;
  container: string | null;
  size: number | null;
  sha256: string | null;
  contentSha256: string | null;
  kind: string | null;
  format: string | null;
  status: string | null;
  recordsImported: number;
  recordsDuplicate: number;
  recordsRejected: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  importedAt: string | null;
  toolVersion: string | null;
  message: string | null;
}

export interface SourcesListResponse {
  total: number;
  rows: SourceRow[];
}

export interface RejectsListRequest extends PageRequest {
  sourceFileId?: number;
}

export interface RejectRow {
  sourceFileId: number;
  sourcePath: string | null;
  position: number;
  positionKind: string;
  reason: string;
  excerpt: string;
}

export interface RejectsListResponse {
  total: number;
  rows: RejectRow[];
}

// ---------------------------------------------------------------- tables and queries

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  doc: string | null;
  /** Large text (raw records, JSON blobs): pages carry at most PAGE_TEXT_CHARS of it. */
  large: boolean;
}

export interface TableSchema {
  name: string;
  doc: string;
  isEvents: boolean;
  timeColumn: string | null;
  columns: ColumnInfo[];
}

export type FilterOp =
  | 'eq'
  | 'neq'
  | 'contains'
  | 'notContains'
  | 'startsWith'
  | 'endsWith'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'between'
  | 'in'
  | 'isNull'
  | 'notNull';

export type FilterScalar = string | number | boolean;

export interface Filter {
  column: string;
  op: FilterOp;
  /** A scalar for comparisons, [low, high] for between, a list for in; absent for isNull/notNull. Timestamps as ISO-8601 strings. */
  value?: FilterScalar | FilterScalar[];
}

export interface SortSpec {
  column: string;
  dir: 'asc' | 'desc';
}

/** What the UI wants to see. The engine compiles it to SQL; the UI never sends SQL. */
export interface QueryDescription {
  table: string;
  /** Columns to return; all but the large ones when absent. */
  columns?: string[];
  filters?: Filter[];
  /** Case-insensitive substring over every text column shown. */
  quickSearch?: string;
  /** Empty: the order rows were imported in, i.e. (source_file_id, record_index). */
  sort?: SortSpec[];
  offset: number;
  limit: number;
}

/** Columns matter to a count only through quickSearch, which looks at the text columns shown. */
export type CountRequest = Omit<QueryDescription, 'offset' | 'limit'>;

export interface CountResponse {
  count: number;
}

/**
 * A page is an Arrow IPC stream (apache-arrow `tableFromIPC` reads it). Its
 * columns are the requested ones in order; TIMESTAMPTZ columns arrive as
 * Timestamp(ms, UTC), large text cut to PAGE_TEXT_CHARS.
 */
export type TablePage = Uint8Array;

export const PAGE_MAX_ROWS = 2000;
export const PAGE_TEXT_CHARS = 1000;

// ---------------------------------------------------------------- records

export interface RecordRequest {
  table: string;
  sourceFileId: number;
  recordIndex: number;
}

export interface RecordSource {
  sourceFileId: number;
  path: string;
  sha256: string | null;
  kind: string | null;
  container: string | null;
}

export interface RecordResponse {
  table: string;
  sourceFileId: number;
  recordIndex: number;
  /** The record exactly as in the source file. */
  raw: string;
  /** json when raw parses as JSON; the UI then pretty-prints it. */
  rawFormat: 'json' | 'text';
  source: RecordSource | null;
  /** Further copies of the same record in other files. */
  alsoIn: { sourceFileId: number; recordIndex: number; path: string | null }[];
  /** Every column but raw, JSON-safe. */
  fields: Record<string, JsonValue>;
}

// ---------------------------------------------------------------- overview and histogram

export interface CountByKey {
  key: string;
  records: number;
}

export interface TableOverview {
  table: string;
  rows: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
}

export interface OverviewResponse {
  tables: TableOverview[];
  sources: { files: number; bytes: number; rejectedFiles: number; rejectedRecords: number; byKind: { kind: string; files: number; records: number }[] };
  timeSpan: { first: string | null; last: string | null };
  /** Accounts and regions seen, with records, across CloudTrail, VPC flow and digests. */
  accounts: CountByKey[];
  regions: CountByKey[];
}

export interface HistogramRequest {
  /** Event tables to count; all event tables with a time column when absent. */
  tables?: string[];
  /** Wanted number of buckets; the engine rounds the width to a calendar-friendly step. */
  buckets?: number;
  from?: string;
  to?: string;
}

export interface HistogramSeries {
  table: string;
  counts: number[];
}

export interface HistogramResponse {
  /** Start of the first bucket, epoch milliseconds UTC. */
  startMs: number;
  bucketMs: number;
  bucketCount: number;
  series: HistogramSeries[];
}

// ---------------------------------------------------------------- server-side file browser

export interface FsListRequest {
  /** Absolute path; the user's home directory when absent. */
  path?: string;
}

export interface FsEntry {
  name: string;
  path: string;
  kind: 'dir' | 'file';
  size: number | null;
}

export interface FsListResponse {
  path: string;
  parent: string | null;
  entries: FsEntry[];
}

// ---------------------------------------------------------------- background jobs
// Long work (investigations, hunts, exports, digest validation) runs as a job:
// the start call returns at once and the UI polls `jobs/get` for progress.

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  done: number;
  total: number;
  /** What is being done now, for a status line ("CS-CT-012", "findings.csv"). */
  step: string | null;
}

interface JobBase<K extends string, R> {
  jobId: string;
  kind: K;
  state: JobState;
  startedAt: string;
  finishedAt: string | null;
  progress: JobProgress;
  result: R | null;
  error: ApiError | null;
}

export type InvestigateJob = JobBase<'investigate', InvestigateResult>;
export type HuntJob = JobBase<'hunt', HuntResult>;
export type ExportJob = JobBase<'export', ExportResultInfo>;
export type ValidateJob = JobBase<'validate', ValidationInfo>;
export type Job = InvestigateJob | HuntJob | ExportJob | ValidateJob;
export type JobKind = Job['kind'];

// ---------------------------------------------------------------- investigations and findings

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** ATT&CK tactic names by id: plain data the engine validates rules against and the UI shows. */
export { TACTICS } from '../investigations/attack';

export interface InvestigationInfo {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  attack: string[];
  tactics: string[];
  sources: string[];
  falsePositives: string[];
}

export interface FindingEntitiesInfo {
  principals: string[];
  access_keys: string[];
  ips: string[];
  resources: string[];
  instances: string[];
}

export interface EvidenceRefInfo {
  table: string;
  source_file_id: number;
  record_index: number;
  path: string | null;
}

export interface FindingInfo {
  finding_id: number;
  run_id: number;
  /** The investigation id, e.g. CS-CT-001. */
  id: string;
  title: string;
  severity: Severity;
  attack: string[];
  tactics: string[];
  first_seen: string | null;
  last_seen: string | null;
  count: number;
  detail: string;
  entities: FindingEntitiesInfo;
  /** Number of evidence rows; `findings/evidence` pages them. */
  evidenceCount: number;
  /** The tables the evidence rows are in, most rows first. */
  evidenceTables: string[];
}

export interface FindingsListRequest {
  /** Only findings at or above this severity. */
  minSeverity?: Severity;
  ruleIds?: string[];
}

export interface InvestigationRunInfo {
  runId: number;
  startedAt: string;
  finishedAt: string | null;
  rules: number;
  findings: number;
}

export interface FindingsListResponse {
  findings: FindingInfo[];
  /** The most recent run, or null when the case was never investigated. */
  lastRun: InvestigationRunInfo | null;
}

export interface FindingEvidenceRequest extends PageRequest {
  findingId: number;
}

export interface EvidenceRowInfo extends EvidenceRefInfo {
  /** 1-based position in the finding's evidence list. */
  position: number;
  event_time: string | null;
  /** The record exactly as in the source file; null if the row is no longer in the case. */
  raw: string | null;
}

export interface FindingEvidenceResponse {
  total: number;
  rows: EvidenceRowInfo[];
}

export interface InvestigateRequest {
  /** Run only these investigations; all when absent. */
  ids?: string[];
}

export interface InvestigateResult {
  runId: number;
  findings: number;
  rules: number;
  failed: { id: string; error: string }[];
  slowest: { id: string; ms: number }[];
}

export interface SettingEntry {
  key: string;
  type: string;
  description: string;
  /** The investigations that read it. */
  usedBy: string[];
  default: JsonValue;
  /** The case's value; null when the default applies. */
  value: JsonValue;
}

export interface SettingSetRequest {
  key: string;
  /** null restores the default. */
  value: JsonValue;
}

// ---------------------------------------------------------------- unified events, entities, timeline

export type EventSourceName = 'cloudtrail' | 'vpc_flow' | 'elb' | 's3_access';
export type EntityKind = 'ip' | 'principal' | 'access_key' | 'session' | 'instance' | 'eni' | 'bucket';
export const ENTITY_KIND_NAMES: readonly EntityKind[] = ['ip', 'principal', 'access_key', 'session', 'instance', 'eni', 'bucket'];

export interface EntityRefInfo {
  kind: EntityKind;
  value: string;
}

export interface EventFilterSpec {
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  sources?: EventSourceName[];
  entities?: EntityRefInfo[];
  /** Case-insensitive substring of the summary, actor or target. */
  text?: string;
  outcomes?: string[];
}

export interface UnifiedEventRow {
  time: string;
  source: EventSourceName;
  actor: string | null;
  access_key: string | null;
  action: string;
  target: string | null;
  src_ip: string | null;
  dst_ip: string | null;
  src_port: number | null;
  dst_port: number | null;
  outcome: string;
  summary: string;
  account: string | null;
  region: string | null;
  instance: string | null;
  eni: string | null;
  /** The source row: table, file and position. */
  tbl: string;
  source_file_id: number;
  record_index: number;
  /** Position in the time-ordered view: the cursor for the next page. */
  pos: number;
}

export interface EventsPageRequest {
  filter: EventFilterSpec;
  /** The previous page's nextCursor; the first page when absent. */
  cursor?: number | null;
  /** Matching rows to skip after the cursor: a grid that jumps to a row it has no cursor for. */
  offset?: number;
  limit?: number;
}

export interface EventsPageResponse {
  rows: UnifiedEventRow[];
  nextCursor: number | null;
}

export interface EventsHistogramRequest {
  filter: EventFilterSpec;
  buckets?: number;
}

export interface EventsHistogram {
  bucketSeconds: number;
  from: string | null;
  to: string | null;
  /** Bucket starts, ISO 8601. */
  buckets: string[];
  /** Counts per source, aligned with buckets. */
  series: Record<string, number[]>;
  total: number;
}

export interface CountedValue {
  value: string;
  count: number;
}

export interface EntityProfileInfo {
  entity: EntityRefInfo;
  firstSeen: string | null;
  lastSeen: string | null;
  total: number;
  bySource: { source: string; count: number; first: string; last: string }[];
  actions: { action: string; count: number; failed: number }[];
  errorRate: number;
  related: {
    principals: CountedValue[];
    access_keys: CountedValue[];
    ips: CountedValue[];
    instances: CountedValue[];
    enis: CountedValue[];
    targets: CountedValue[];
  };
  ipActivity: { ip: string; cloudtrail: number; elb: number; vpc_flow: number; s3_access: number; first: string; last: string }[];
  /** Findings that name this entity. */
  findings: { finding_id: number; id: string; title: string; severity: Severity; first_seen: string | null }[];
}

export interface CoverageInfo {
  bucketMinutes: number;
  series: { source: string; account: string; region: string; first: string; last: string; events: number; bucketsWithData: number; bucketsSpanned: number }[];
  gaps: {
    source: string;
    account: string;
    region: string;
    from: string;
    to: string;
    minutes: number;
    explanations: { time: string; event: string; actor: string | null; source_file_id: number; record_index: number }[];
  }[];
}

export interface TimelineItemInfo {
  item_id: number;
  kind: 'event' | 'finding' | 'note';
  origin: 'manual' | 'draft';
  time: string | null;
  title: string;
  note: string;
  tags: string[];
  tbl: string | null;
  source_file_id: number | null;
  record_index: number | null;
  finding_id: number | null;
  rule_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface TimelinePinRequest {
  /** Pin one record, or one finding. */
  event?: { tbl: string; source_file_id: number; record_index: number };
  findingId?: number;
  note?: string;
  tags?: string[];
}

export interface TimelineNoteRequest {
  time: string;
  title: string;
  note?: string;
  tags?: string[];
}

export interface TimelineUpdateRequest {
  itemId: number;
  title?: string;
  note?: string;
  tags?: string[];
}

export interface TimelineDraftRequest {
  windowMinutes?: number;
  minSeverity?: Severity;
}

// ---------------------------------------------------------------- hunts

export type HuntParamTypeName = 'timestamptz' | 'date' | 'varchar' | 'integer' | 'bigint' | 'double' | 'boolean' | 'varchar[]';
export type HuntParamValueInfo = string | number | boolean | string[] | null;

export interface HuntParamInfo {
  name: string;
  type: HuntParamTypeName;
  default: HuntParamValueInfo;
  description: string;
}

export interface HuntSummary {
  id: string;
  title: string;
  description: string;
  author: string;
  attack: string[];
  tags: string[];
  params: HuntParamInfo[];
  /** builtin hunts are read-only; user hunts live in the user library folder. */
  origin: 'builtin' | 'user' | 'file';
}

export interface HuntDetail extends HuntSummary {
  sql: string;
  /** The .sql file as written, header included. */
  text: string;
  meta: Record<string, string>;
}

export interface HuntSaveRequest {
  /** The whole .sql file, header included; its @id names it. */
  text: string;
  /** Editing an existing user hunt: its id before the edit (a changed @id renames it). */
  previousId?: string;
  /** Overwrite a user hunt that already has this id. */
  replace?: boolean;
}

export interface HuntRunRequest {
  /** A library hunt by id, or the text of an unsaved .sql file. */
  id?: string;
  text?: string;
  /** Values by parameter name: typed, or as text the way the CLI takes them. */
  params?: Record<string, HuntParamValueInfo>;
  timeoutMs?: number;
  maxRows?: number;
}

export interface HuntResult {
  huntId: string;
  columns: string[];
  rows: JsonValue[][];
  rowCount: number;
  truncated: boolean;
  durationMs: number;
  params: Record<string, HuntParamValueInfo>;
}

export interface HuntRunInfo {
  run_id: number;
  hunt_id: string;
  title: string;
  hunt_sha256: string;
  sql_text: string;
  parameters: Record<string, HuntParamValueInfo>;
  status: string;
  error: string | null;
  row_count: number | null;
  duration_ms: number | null;
  started_at: string;
}

/** What a hunt can read, for the editor's completion. */
export interface HuntCatalog {
  tables: { name: string; doc: string; columns: { name: string; type: string; doc?: string }[] }[];
  macros: string[];
}

// ---------------------------------------------------------------- digest validation and evidence

export type ValidationStatus =
  | 'valid'
  | 'tampered'
  | 'missing'
  | 'unlisted'
  | 'chain_ok'
  | 'chain_break'
  | 'digest_missing'
  | 'chain_start'
  | 'signature_valid'
  | 'signature_invalid'
  | 'signature_unchecked'
  | 'gap';

export interface ValidationResultInfo {
  kind: 'log' | 'digest' | 'chain' | 'gap';
  status: ValidationStatus;
  account: string | null;
  region: string | null;
  trail: string | null;
  s3_bucket: string | null;
  s3_object: string | null;
  source_file_id: number | null;
  path: string | null;
  expected: string | null;
  actual: string | null;
  digest_s3_object: string | null;
  from_time: string | null;
  to_time: string | null;
  detail: string;
}

export interface ValidationSummaryInfo {
  run_id: number;
  digests: number;
  logs_listed: number;
  logs_valid: number;
  logs_tampered: number;
  logs_missing: number;
  logs_unlisted: number;
  chain_breaks: number;
  digests_missing: number;
  gaps: number;
  signatures_checked: boolean;
  signatures_valid: number;
  signatures_invalid: number;
  signature_note: string;
}

export interface ValidationInfo {
  summary: ValidationSummaryInfo;
  results: ValidationResultInfo[];
}

export interface ValidateRequest {
  /** Paths on the engine's machine: `aws cloudtrail list-public-keys` output, and the signatures (JSON map or a folder of head-object outputs). */
  publicKeys?: string;
  signatures?: string;
}

export interface ExportRequest {
  /** Where to write the .zip, an absolute path on the engine's machine. */
  out: string;
  /** Finding ids or investigation ids; all findings when absent. */
  findings?: string[];
  timeline?: boolean;
  hunts?: string[];
  /** Ed25519 private key (PEM) path. */
  signKey?: string;
  analyst?: string;
  /** Replace `out` if it exists; without it an existing file is never touched. */
  overwrite?: boolean;
}

export interface ExportResultInfo {
  out: string;
  files: string[];
  sha256sums: string;
  signed: boolean;
}

export interface VerifyRequest {
  bundle: string;
  publicKey?: string;
}

export interface VerifyReportInfo {
  ok: boolean;
  files: number;
  changed: string[];
  missing: string[];
  added: string[];
  signature: string;
  manifest: { [key: string]: JsonValue } | null;
}

// ---------------------------------------------------------------- the channel table

export interface Channels {
  'case/info': { request: Record<string, never>; response: CaseInfo };
  'import/start': { request: ImportStartRequest; response: ImportJob };
  'import/progress': { request: { jobId: string }; response: ImportJob };
  'import/jobs': { request: Record<string, never>; response: ImportJob[] };
  'sources/list': { request: PageRequest; response: SourcesListResponse };
  'rejects/list': { request: RejectsListRequest; response: RejectsListResponse };
  'table/schema': { request: { table: string }; response: TableSchema };
  'table/page': { request: QueryDescription; response: TablePage };
  'table/count': { request: CountRequest; response: CountResponse };
  'record/get': { request: RecordRequest; response: RecordResponse };
  'overview/get': { request: Record<string, never>; response: OverviewResponse };
  'histogram/get': { request: HistogramRequest; response: HistogramResponse };
  'fs/list': { request: FsListRequest; response: FsListResponse };
  'jobs/get': { request: { jobId: string }; response: Job };
  'jobs/cancel': { request: { jobId: string }; response: Job };
  'investigations/list': { request: Record<string, never>; response: InvestigationInfo[] };
  'investigate/start': { request: InvestigateRequest; response: InvestigateJob };
  'findings/list': { request: FindingsListRequest; response: FindingsListResponse };
  'findings/evidence': { request: FindingEvidenceRequest; response: FindingEvidenceResponse };
  'settings/list': { request: Record<string, never>; response: SettingEntry[] };
  'settings/set': { request: SettingSetRequest; response: SettingEntry[] };
  'events/page': { request: EventsPageRequest; response: EventsPageResponse };
  'events/count': { request: { filter: EventFilterSpec }; response: CountResponse };
  'events/histogram': { request: EventsHistogramRequest; response: EventsHistogram };
  'entity/profile': { request: EntityRefInfo; response: EntityProfileInfo };
  'coverage/get': { request: { bucketMinutes?: number }; response: CoverageInfo };
  'timeline/list': { request: Record<string, never>; response: TimelineItemInfo[] };
  'timeline/pin': { request: TimelinePinRequest; response: TimelineItemInfo };
  'timeline/note': { request: TimelineNoteRequest; response: TimelineItemInfo };
  'timeline/update': { request: TimelineUpdateRequest; response: TimelineItemInfo };
  'timeline/remove': { request: { itemId: number }; response: { removed: number } };
  'timeline/draft': { request: TimelineDraftRequest; response: { findings: number; events: number } };
  'hunts/list': { request: Record<string, never>; response: HuntSummary[] };
  'hunts/get': { request: { id: string }; response: HuntDetail };
  'hunts/save': { request: HuntSaveRequest; response: HuntDetail };
  'hunts/delete': { request: { id: string }; response: { deleted: string } };
  'hunts/run': { request: HuntRunRequest; response: HuntJob };
  'hunts/history': { request: { limit?: number }; response: HuntRunInfo[] };
  'hunts/catalog': { request: Record<string, never>; response: HuntCatalog };
  /** Read a .sql file's header and SQL as the engine would, without saving it (the editor's parameter form). */
  'hunts/parse': { request: { text: string }; response: HuntDetail };
  'validation/latest': { request: Record<string, never>; response: ValidationInfo | null };
  'validation/run': { request: ValidateRequest; response: ValidateJob };
  'evidence/export': { request: ExportRequest; response: ExportJob };
  'evidence/verify': { request: VerifyRequest; response: VerifyReportInfo };
}

export type Channel = keyof Channels;
export type RequestOf<C extends Channel> = Channels[C]['request'];
export type ResponseOf<C extends Channel> = Channels[C]['response'];

/** Every channel, with how its successful response travels over HTTP. */
export const CHANNELS: Readonly<Record<Channel, { binary: boolean }>> = {
  'case/info': { binary: false },
  'import/start': { binary: false },
  'import/progress': { binary: false },
  'import/jobs': { binary: false },
  'sources/list': { binary: false },
  'rejects/list': { binary: false },
  'table/schema': { binary: false },
  'table/page': { binary: true },
  'table/count': { binary: false },
  'record/get': { binary: false },
  'overview/get': { binary: false },
  'histogram/get': { binary: false },
  'fs/list': { binary: false },
  'jobs/get': { binary: false },
  'jobs/cancel': { binary: false },
  'investigations/list': { binary: false },
  'investigate/start': { binary: false },
  'findings/list': { binary: false },
  'findings/evidence': { binary: false },
  'settings/list': { binary: false },
  'settings/set': { binary: false },
  'events/page': { binary: false },
  'events/count': { binary: false },
  'events/histogram': { binary: false },
  'entity/profile': { binary: false },
  'coverage/get': { binary: false },
  'timeline/list': { binary: false },
  'timeline/pin': { binary: false },
  'timeline/note': { binary: false },
  'timeline/update': { binary: false },
  'timeline/remove': { binary: false },
  'timeline/draft': { binary: false },
  'hunts/list': { binary: false },
  'hunts/get': { binary: false },
  'hunts/save': { binary: false },
  'hunts/delete': { binary: false },
  'hunts/run': { binary: false },
  'hunts/history': { binary: false },
  'hunts/catalog': { binary: false },
  'hunts/parse': { binary: false },
  'validation/latest': { binary: false },
  'validation/run': { binary: false },
  'evidence/export': { binary: false },
  'evidence/verify': { binary: false },
};

export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CHANNELS, name);
}

/** What the Electron preload puts on `window.cloudsift`. */
export interface CloudsiftBridge {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>>;
}

/** HTTP transport details shared by `cloudsift serve` and the renderer's client. */
export const HTTP_API_PREFIX = '/api/';
export const HTTP_TOKEN_HEADER = 'x-cloudsift-token';
export const ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.stream';
/** The placeholder in index.html that the server and Electron replace with each load's CSP style nonce. */
export const STYLE_NONCE_PLACEHOLDER = '__CLOUDSIFT_STYLE_NONCE__';
export const STYLE_NONCE_META = 'cloudsift-style-nonce';
