import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventTableName } from '../store/schema';

export type PositionKind = 'line' | 'element' | 'byte' | 'file';

/** Where an importer writes; one per import run, shared by every file in it. */
export interface ImportSink {
  conn: DuckDBConnection;
}

/** What one parser produced for one source file. */
export interface ParseResult {
  /** Rows inserted, by table. */
  imported: Partial<Record<EventTableName, number>>;
  rejected: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  /** Human-readable layout/format detail, e.g. "vpc v5 custom (29 fields, header)". */
  format?: string;
}

export interface RejectRow {
  sourceFileId: number;
  position: number;
  positionKind: PositionKind;
  reason: string;
  excerpt: string;
}

/** Longest excerpt of a rejected record kept in the case; the source file keeps the rest. */
export const EXCERPT_CHARS = 2048;

export interface ImportOptions {
  /**
   * Field layouts for VPC flow files that carry no header line, each a
   * space-separated list of AWS field names (as in the console's custom format).
   * A header-less file whose field count matches one of these is read with it.
   */
  vpcLayouts?: string[];
  /** Called as work progresses; cheap to call often. */
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'scanning' | 'importing' | 'finishing' | 'done';
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  records: number;
  rejected: number;
  currentFile?: string;
}
