import { quoteIdent } from '../../store/schema';
import { resolveTable } from '../../query/compile';
import { ApiFailure } from '../errors';
import { requestObject, requiredInt } from '../validate';
import type { JsonValue, RecordResponse } from '../contract';
import type { HandlerMap } from './types';

function looksLikeJson(raw: string): boolean {
  const t = raw.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return false;
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}

export const recordHandlers: HandlerMap<'record/get'> = {
  'record/get': async (ctx, req) => {
    const r = requestObject(req);
    const def = resolveTable(r.table);
    if (!def.isEvents) throw new ApiFailure('BAD_REQUEST', `${def.name} holds no source records`);
    const sourceFileId = requiredInt(r.sourceFileId, 'sourceFileId', 0, 2 ** 31 - 1);
    const recordIndex = requiredInt(r.recordIndex, 'recordIndex', 0, Number.MAX_SAFE_INTEGER);
    const key = { sid: sourceFileId, ri: recordIndex };
    const [row] = await ctx.engine.rows(`SELECT * FROM ${quoteIdent(def.name)} WHERE source_file_id = $sid AND record_index = $ri LIMIT 1`, key);
    if (!row) throw new ApiFailure('NOT_FOUND', `No record ${recordIndex} of source ${sourceFileId} in ${def.name}`);
    const [src] = await ctx.engine.rows(`SELECT source_file_id, path, sha256, kind, container FROM sources WHERE source_file_id = $sid`, { sid: sourceFileId });
    const links = await ctx.engine.rows(
      `SELECT l.source_file_id, l.record_index, s.path FROM record_links l LEFT JOIN sources s USING (source_file_id)
       WHERE l.table_name = $t AND l.kept_source_file_id = $sid AND l.kept_record_index = $ri ORDER BY l.source_file_id, l.record_index`,
      { t: def.name, ...key },
    );
    const raw = typeof row.raw === 'string' ? row.raw : '';
    const fields: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(row)) if (k !== 'raw') fields[k] = v;
    const out: RecordResponse = {
      table: def.name,
      sourceFileId,
      recordIndex,
      raw,
      rawFormat: looksLikeJson(raw) ? 'json' : 'text',
      source: src
        ? {
            sourceFileId,
            path: String(src.path ?? ''),
            sha256: src.sha256 === null ? null : String(src.sha256),
            kind: src.kind === null ? null : String(src.kind),
            container: src.container === null ? null : String(src.container),
          }
        : null,
      alsoIn: links.map((l) => ({ sourceFileId: Number(l.source_file_id), recordIndex: Number(l.record_index), path: l.path === null ? null : String(l.path) })),
      fields,
    };
    return out;
  },
};
