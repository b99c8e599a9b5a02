import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import { quoteIdent, type TableDef } from '../store/schema';
import type { SqlValue } from '../store/caseStore';
import type { CountRequest, QueryDescription } from '../api/contract';
import { checkWindow, compileOrder, compileWhere, isPlainScan, pageExpression, resolveTable, selectedColumns } from './compile';
import { encodePage } from './arrowPage';
import { jsonSafe, type JsonSafe } from './jsonSafe';

/**
 * Pages for the grid's Infinite Row Model over tables of millions of rows.
 *
 * OFFSET on a sorted 5M-row table costs seconds, so no page is read that way:
 * - an unfiltered, unsorted table is read in import order straight from its
 *   row ids (a range of rowid is pruned by row group, a few ms at any depth);
 * - any other view (filters, quick search, sort) is computed once into a temp
 *   table of row ids in view order; that table's own rowid is the row's
 *   position, so a page is a rowid range on it, then a rowid-bounded lookup in
 *   the base table. Its row count is the view's count, for free.
 *
 * Temp tables belong to a connection, so the engine owns one, and runs one
 * statement at a time on it. Views are dropped when the case changes.
 */

const MAX_VIEWS = 6;

interface View {
  name: string;
  rows: number;
}

interface TableShape {
  rows: number;
  /** Row ids are 0..rows-1 with no gaps: a page is a plain rowid range. */
  dense: boolean;
}

export class QueryEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private views = new Map<string, Promise<View>>();
  private shapes = new Map<string, TableShape>();
  private nextView = 0;

  constructor(private readonly conn: DuckDBConnection) {}

  /** Forget every view and count: the case has changed (an import finished). */
  async invalidate(): Promise<void> {
    await this.exclusive(async () => {
      const names = await Promise.allSettled([...this.views.values()]);
      this.views.clear();
      this.shapes.clear();
      for (const r of names) if (r.status === 'fulfilled') await this.conn.run(`DROP TABLE IF EXISTS temp.${quoteIdent(r.value.name)}`);
    });
  }

  async page(desc: QueryDescription): Promise<Uint8Array> {
    const def = resolveTable(desc?.table);
    const cols = selectedColumns(def, desc.columns);
    const { offset, limit } = checkWindow(desc);
    compileWhere(def, desc);
    compileOrder(def, desc.sort);
    const select = cols.map(pageExpression).join(', ');
    const from = quoteIdent(def.name);
    if (isPlainScan(desc)) {
      return this.exclusive(async () => {
        const shape = await this.shape(def);
        const reader = shape.dense
          ? await this.conn.runAndReadAll(`SELECT ${select} FROM ${from} WHERE rowid >= $lo AND rowid < $hi ORDER BY rowid`, { lo: offset, hi: offset + limit })
          : await this.conn.runAndReadAll(`SELECT ${select} FROM ${from} LIMIT $limit OFFSET $offset`, { limit, offset });
        return encodePage(cols, reader.getColumnsJS());
      });
    }
    const view = await this.view(def, desc);
    return this.exclusive(async () => {
      const ids = await this.conn.runAndReadAll(
        `SELECT rid FROM temp.${quoteIdent(view.name)} WHERE rowid >= $lo AND rowid < $hi ORDER BY rowid`,
        { lo: offset, hi: offset + limit },
      );
      const rids = (ids.getColumnsJS()[0] ?? []).map((v) => BigInt(v as bigint | number));
      if (rids.length === 0) return encodePage(cols, cols.map(() => []));
      let lo = rids[0];
      let hi = rids[0];
      for (const r of rids) {
        if (r < lo) lo = r;
        if (r > hi) hi = r;
      }
      const reader = await this.conn.runAndReadAll(
        `SELECT rowid AS __rid, ${select} FROM ${from} WHERE rowid BETWEEN $lo AND $hi AND rowid = ANY($ids)`,
        { lo, hi, ids: listValue(rids) },
      );
      const got = reader.getColumnsJS();
      const at = new Map<bigint, number>();
      (got[0] ?? []).forEach((rid, i) => at.set(BigInt(rid as bigint), i));
      const order = rids.map((r) => at.get(r)).filter((i): i is number => i !== undefined);
      return encodePage(cols, got.slice(1).map((column) => order.map((i) => column[i])));
    });
  }

  /** Any other read, on the engine's connection so that it never waits for an import on the store's. */
  async rows(sql: string, params?: Record<string, SqlValue> | SqlValue[]): Promise<Record<string, JsonSafe>[]> {
    return this.exclusive(async () => {
      const reader = await this.conn.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map((row) => {
        const out: Record<string, JsonSafe> = {};
        for (const [k, v] of Object.entries(row)) out[k] = jsonSafe(v);
        return out;
      });
    });
  }

  async count(desc: CountRequest): Promise<number> {
    const def = resolveTable(desc?.table);
    compileWhere(def, desc);
    compileOrder(def, desc.sort);
    if (isPlainScan(desc)) return this.exclusive(async () => (await this.shape(def)).rows);
    // The count does not depend on the order, so a sorted view's unsorted twin answers it.
    return (await this.view(def, { ...desc, sort: [] })).rows;
  }

  private async shape(def: TableDef): Promise<TableShape> {
    const known = this.shapes.get(def.name);
    if (known) return known;
    const reader = await this.conn.runAndReadAll(`SELECT count(*) AS n, coalesce(max(rowid) + 1, 0) AS m FROM ${quoteIdent(def.name)}`);
    const [n, m] = reader.getRows()[0] as [bigint, bigint];
    const shape = { rows: Number(n), dense: n === m };
    this.shapes.set(def.name, shape);
    return shape;
  }

  private view(def: TableDef, desc: CountRequest): Promise<View> {
    const key = JSON.stringify([def.name, desc.filters ?? [], desc.quickSearch?.trim() ?? '', desc.sort ?? [], desc.quickSearch?.trim() ? (desc.columns ?? null) : null]);
    const known = this.views.get(key);
    if (known) {
      this.views.delete(key);
      this.views.set(key, known);
      return known;
    }
    const { where, params } = compileWhere(def, desc);
    const order = compileOrder(def, desc.sort);
    const name = `cs_view_${this.nextView++}`;
    const made = this.exclusive(async () => {
      // Without a user sort the view keeps import order: preserve_insertion_order holds for a plain filtered scan.
      await this.conn.run(
        `CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} AS SELECT rowid AS rid FROM ${quoteIdent(def.name)} ${where} ${order}`,
        params as Record<string, SqlValue>,
      );
      const counted = await this.conn.runAndReadAll(`SELECT count(*) FROM temp.${quoteIdent(name)}`);
      return { name, rows: Number(counted.getRows()[0][0]) };
    });
    this.views.set(key, made);
    made.catch(() => this.views.delete(key));
    void this.evict();
    return made;
  }

  private async evict(): Promise<void> {
    while (this.views.size > MAX_VIEWS) {
      const [key, view] = this.views.entries().next().value as [string, Promise<View>];
      this.views.delete(key);
      const v = await view.catch(() => undefined);
      if (v) await this.exclusive(() => this.conn.run(`DROP TABLE IF EXISTS temp.${quoteIdent(v.name)}`));
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
