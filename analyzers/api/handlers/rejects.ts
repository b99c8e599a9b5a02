import { optionalInt, requestObject } from '../validate';
import type { HandlerMap } from './types';

export const rejectsHandlers: HandlerMap<'rejects/list'> = {
  'rejects/list': async (ctx, req) => {
    const r = requestObject(req);
    const offset = optionalInt(r.offset, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = optionalInt(r.limit, 'limit', 1, 10_000) ?? 500;
    const sourceFileId = optionalInt(r.sourceFileId, 'sourceFileId', 0, 2 ** 31 - 1);
    const where = sourceFileId === undefined ? '' : 'WHERE r.source_file_id = $sid';
    const params: Record<string, number> = sourceFileId === undefined ? {} : { sid: sourceFileId };
    const [total] = await ctx.engine.rows(`SELECT count(*) AS n FROM rejects r ${where}`, params);
    const rows = await ctx.engine.rows(
      `SELECT r.source_file_id, s.path, r.position, r.position_kind, r.reason, r.excerpt
       FROM rejects r LEFT JOIN sources s USING (source_file_id) ${where}
       ORDER BY r.source_file_id, r.position LIMIT $limit OFFSET $offset`,
      { ...params, limit, offset },
    );
    return {
      total: Number(total?.n ?? 0),
      rows: rows.map((x) => ({
        sourceFileId: Number(x.source_file_id),
        sourcePath: x.path === null ? null : String(x.path),
        position: Number(x.position),
        positionKind: String(x.position_kind ?? ''),
        reason: String(x.reason ?? ''),
        excerpt: String(x.excerpt ?? ''),
      })),
    };
  },
};
