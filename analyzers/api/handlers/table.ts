import { isLarge, resolveTable } from '../../query/compile';
import type { CountRequest, QueryDescription } from '../contract';
import { requestObject } from '../validate';
import type { HandlerMap } from './types';

export const tableHandlers: HandlerMap<'table/schema' | 'table/page' | 'table/count'> = {
  'table/schema': async (_ctx, req) => {
    const def = resolveTable(requestObject(req).table);
    return {
      name: def.name,
      doc: def.doc,
      isEvents: def.isEvents,
      timeColumn: def.timeColumn ?? null,
      columns: def.columns.map((c) => ({ name: c.name, type: c.type, doc: c.doc ?? null, large: isLarge(c) })),
    };
  },
  'table/page': async (ctx, req) => ctx.engine.page(requestObject(req) as unknown as QueryDescription),
  'table/count': async (ctx, req) => ({ count: await ctx.engine.count(requestObject(req) as unknown as CountRequest) }),
};
