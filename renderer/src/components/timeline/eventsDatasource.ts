import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import type { EventFilterSpec, UnifiedEventRow } from '../../api/contract';
import { api } from '../../api/client';

interface Options {
  filter: EventFilterSpec;
  onCount(count: number): void;
  onError(message: string | null): void;
  onBlockLoaded(): void;
}

/**
 * The unified events for the Infinite Row Model. The engine pages by cursor
 * (a position in the time-ordered table), not by offset, so the source keeps
 * the cursor each block ended at: scrolling on asks for the next block by its
 * cursor. A jump to a block it has no cursor for (the scrollbar dragged far)
 * asks for the rows after the nearest cursor before it, by offset.
 */
export function eventsDatasource(o: Options): IDatasource {
  const cursors = new Map<number, number>([[0, 0]]);
  let count: Promise<number> | null = null;
  return {
    async getRows(p: IGetRowsParams) {
      if (!count) {
        count = api.call('events/count', { filter: o.filter }).then((r) => r.count);
        count.catch(() => (count = null));
      }
      let known = 0;
      for (const k of cursors.keys()) if (k <= p.startRow && k > known) known = k;
      const limit = p.endRow - p.startRow;
      try {
        const [page, total] = await Promise.all([
          api.call('events/page', { filter: o.filter, cursor: cursors.get(known) ?? 0, offset: p.startRow - known, limit }),
          count,
        ]);
        if (page.nextCursor !== null) cursors.set(p.startRow + page.rows.length, page.nextCursor);
        o.onCount(total);
        o.onError(null);
        p.successCallback(page.rows satisfies UnifiedEventRow[], total);
        o.onBlockLoaded();
      } catch (err) {
        o.onError(err instanceof Error ? err.message : String(err));
        p.failCallback();
      }
    },
  };
}
