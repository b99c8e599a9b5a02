import type { SourceRow } from '../contract';
import { optionalInt, requestObject } from '../validate';
import type { HandlerMap } from './types';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const sourcesHandlers: HandlerMap<'sources/list'> = {
  'sources/list': async (ctx, req) => {
    const r = requestObject(req);
    const offset = optionalInt(r.offset, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = optionalInt(r.limit, 'limit', 1, 10_000) ?? 1000;
    const [total] = await ctx.engine.rows(`SELECT count(*) AS n FROM sources`);
    const rows = await ctx.engine.rows(`SELECT * FROM sources ORDER BY source_file_id LIMIT $limit OFFSET $offset`, { limit, offset });
    return {
      total: num(total?.n),
      rows: rows.map(
        (s): SourceRow => ({
          sourceFileId: num(s.source_file_id),
          importId: numOrNull(s.import_id),
          path: String(s.path ?? ''),
          importRoot: strOrNull(s.import_root),
          container: strOrNull(s.container),
          size: numOrNull(s.size),
          sha256: strOrNull(s.sha256),
          contentSha256: strOrNull(s.content_sha256),
          kind: strOrNull(s.kind),
          format: strOrNull(s.format),
          status: strOrNull(s.status),
          recordsImported: num(s.records_imported),
          recordsDuplicate: num(s.records_duplicate),
          recordsRejected: num(s.records_rejected),
          firstEventTime: strOrNull(s.first_event_time),
          lastEventTime: strOrNull(s.last_event_time),
          importedAt: strOrNull(s.imported_at),
          toolVersion: strOrNull(s.tool_version),
          message: strOrNull(s.message),
        }),
      ),
    };
  },
};
