import type { CaseStore } from './caseStore';

export interface SourceRow {
  source_file_id: number;
  import_id: number;
  path: string;
  import_root: string;
  container: string;
  size: number;
  sha256: string;
  content_sha256: string | null;
  kind: string;
  format: string | null;
  status: string;
  records_imported: number;
  records_duplicate: number;
  records_rejected: number;
  first_event_time: string | null;
  last_event_time: string | null;
  imported_at: string;
  tool_version: string;
  message: string | null;
}

export interface RejectEntry {
  source_file_id: number;
  path: string;
  position: number;
  position_kind: string;
  reason: string;
  excerpt: string;
}

/** The chain-of-custody table, in import order, timestamps as ISO 8601. */
export async function listSources(store: CaseStore): Promise<SourceRow[]> {
  const rows = await store.all<Record<string, unknown>>(
    `SELECT source_file_id, import_id, path, import_root, container, size, sha256, content_sha256, kind, format, status,
            records_imported, records_duplicate, records_rejected,
            iso(first_event_time) AS first_event_time, iso(last_event_time) AS last_event_time,
            iso(imported_at) AS imported_at, tool_version, message
     FROM sources ORDER BY source_file_id`,
  );
  return rows.map((r) => ({
    ...(r as unknown as SourceRow),
    size: Number(r.size),
    records_imported: Number(r.records_imported),
    records_duplicate: Number(r.records_duplicate),
    records_rejected: Number(r.records_rejected),
  }));
}

export async function listRejects(store: CaseStore, sourceFileId?: number, limit = 1000, offset = 0): Promise<RejectEntry[]> {
  const rows = await store.all<Record<string, unknown>>(
    `SELECT r.source_file_id, s.path, r.position, r.position_kind, r.reason, r.excerpt
     FROM rejects r JOIN sources s USING (source_file_id)
     WHERE $1::INTEGER IS NULL OR r.source_file_id = $1::INTEGER
     ORDER BY r.source_file_id, r.position LIMIT $2 OFFSET $3`,
    [sourceFileId ?? null, limit, offset],
  );
  return rows.map((r) => ({ ...(r as unknown as RejectEntry), position: Number(r.position) }));
}
