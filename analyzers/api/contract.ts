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
  /** Stable, machine-readable: BAD_REQUEST, UNKNOWN_CHANNEL, UNKNOWN_TABLE, UNKNOWN_COLUMN, NOT_FOUND, CASE_READ_ONLY, FS_DENIED, INTERNAL, TRANSPORT. */
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
