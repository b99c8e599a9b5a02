import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import type { ColumnInfo, Filter, SortSpec } from '../api/contract';
import { api } from '../api/client';
import { toFilters } from './filters';
import { pageRows } from './pageRows';

export interface PageStats {
  count: number | null;
  lastPageMs: number | null;
  firstPageMs: number | null;
  error: string | null;
}

interface Options {
  table: string;
  columns: ColumnInfo[];
  /** Columns to fetch: the visible ones plus the record key. */
  fetch: string[];
  quickSearch: string;
  /** Filters set from outside the grid (e.g. a click in the overview). */
  baseFilters: Filter[];
  onStats(s: Partial<PageStats>): void;
  /** After a block is in the grid: a focus that landed on a row still loading can now be resolved. */
  onBlockLoaded(): void;
}

/**
 * The Infinite Row Model's source: blocks of rows as Arrow pages from the
 * engine, and the row count from a separate call so that the grid knows where
 * the table ends and can scroll straight to it.
 */
export function engineDatasource(o: Options): IDatasource {
  const counts = new Map<string, Promise<number>>();
  let first = true;
  const opened = performance.now();
  return {
    async getRows(p: IGetRowsParams) {
      const filters = [...o.baseFilters, ...toFilters(p.filterModel as Record<string, never>, o.columns)];
      const sort: SortSpec[] = (p.sortModel ?? []).map((s) => ({ column: s.colId, dir: s.sort }));
      const quickSearch = o.quickSearch.trim() || undefined;
      const countKey = JSON.stringify([filters, quickSearch]);
      let count = counts.get(countKey);
      if (!count) {
        count = api.call('table/count', { table: o.table, filters, quickSearch, columns: o.fetch }).then((r) => r.count);
        counts.set(countKey, count);
        count.catch(() => counts.delete(countKey));
      }
      const started = performance.now();
      try {
        const [page, total] = await Promise.all([
          api.call('table/page', { table: o.table, columns: o.fetch, filters, quickSearch, sort, offset: p.startRow, limit: p.endRow - p.startRow }),
          count,
        ]);
        const rows = pageRows(page);
        const now = performance.now();
        o.onStats({ count: total, lastPageMs: Math.round(now - started), error: null, ...(first ? { firstPageMs: Math.round(now - opened) } : {}) });
        first = false;
        p.successCallback(rows, total);
        o.onBlockLoaded();
      } catch (err) {
        o.onStats({ error: err instanceof Error ? err.message : String(err) });
        p.failCallback();
      }
    },
  };
}
