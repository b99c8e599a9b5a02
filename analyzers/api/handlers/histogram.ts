import { EVENT_TABLES, quoteIdent, tableDef } from '../../store/schema';
import { resolveTable } from '../../query/compile';
import { ApiFailure } from '../errors';
import type { HistogramResponse } from '../contract';
import { optionalInt, optionalString, requestObject } from '../validate';
import type { ApiContext } from '../context';
import type { HandlerMap } from './types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Bucket widths a reader can reason about; the narrowest that fits the wanted count wins. */
const STEPS = [SECOND, 5 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY, 30 * DAY, 365 * DAY];

export function bucketWidth(spanMs: number, wanted: number): number {
  return STEPS.find((s) => spanMs / s <= wanted) ?? Math.ceil(spanMs / wanted / DAY) * DAY;
}

function parseTime(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new ApiFailure('BAD_REQUEST', `${name} must be an ISO-8601 time`);
  return ms;
}

async function histogram(ctx: ApiContext, tables: string[], wanted: number, fromMs?: number, toMs?: number): Promise<HistogramResponse> {
  const defs = tables.map((t) => resolveTable(t));
  const range: string[] = [];
  const params: Record<string, string> = {};
  if (fromMs !== undefined) params.from = new Date(fromMs).toISOString();
  if (toMs !== undefined) params.to = new Date(toMs).toISOString();
  const whereFor = (tc: string) => {
    range.length = 0;
    range.push(`${tc} IS NOT NULL`);
    if (fromMs !== undefined) range.push(`${tc} >= $from::TIMESTAMPTZ`);
    if (toMs !== undefined) range.push(`${tc} < $to::TIMESTAMPTZ`);
    return `WHERE ${range.join(' AND ')}`;
  };
  let lo = Infinity;
  let hi = -Infinity;
  for (const def of defs) {
    const tc = quoteIdent(def.timeColumn!);
    const [r] = await ctx.engine.rows(`SELECT epoch_ms(min(${tc})) AS lo, epoch_ms(max(${tc})) AS hi FROM ${quoteIdent(def.name)} ${whereFor(tc)}`, params);
    if (r?.lo !== null && r?.lo !== undefined) lo = Math.min(lo, Number(r.lo));
    if (r?.hi !== null && r?.hi !== undefined) hi = Math.max(hi, Number(r.hi));
  }
  if (!Number.isFinite(lo)) return { startMs: fromMs ?? 0, bucketMs: HOUR, bucketCount: 0, series: defs.map((d) => ({ table: d.name, counts: [] })) };
  const bucketMs = bucketWidth(Math.max(1, hi - lo + 1), wanted);
  const startMs = Math.floor(lo / bucketMs) * bucketMs;
  const bucketCount = Math.floor((hi - startMs) / bucketMs) + 1;
  const series = [];
  for (const def of defs) {
    const tc = quoteIdent(def.timeColumn!);
    const rows = await ctx.engine.rows(
      `SELECT (epoch_ms(${tc}) - $start) // $width AS k, count(*) AS n FROM ${quoteIdent(def.name)} ${whereFor(tc)} GROUP BY k`,
      { ...params, start: startMs, width: bucketMs },
    );
    const counts = new Array<number>(bucketCount).fill(0);
    for (const r of rows) {
      const k = Number(r.k);
      if (k >= 0 && k < bucketCount) counts[k] += Number(r.n);
    }
    series.push({ table: def.name, counts });
  }
  return { startMs, bucketMs, bucketCount, series };
}

export const histogramHandlers: HandlerMap<'histogram/get'> = {
  'histogram/get': async (ctx, req) => {
    const r = requestObject(req);
    const tables =
      r.tables === undefined
        ? EVENT_TABLES.filter((t) => t !== 'digests' && tableDef(t)?.timeColumn)
        : Array.isArray(r.tables) && r.tables.length > 0 && r.tables.length <= 20
          ? (r.tables as unknown[]).map((t) => resolveTable(t).name)
          : (() => {
              throw new ApiFailure('BAD_REQUEST', 'tables must be a list of 1 to 20 table names');
            })();
    for (const t of tables) if (!tableDef(t)?.timeColumn) throw new ApiFailure('BAD_REQUEST', `${t} has no time column`);
    const wanted = optionalInt(r.buckets, 'buckets', 1, 2000) ?? 120;
    const fromMs = parseTime(optionalString(r.from, 'from', 64), 'from');
    const toMs = parseTime(optionalString(r.to, 'to', 64), 'to');
    const key = JSON.stringify(['histogram', tables, wanted, fromMs ?? null, toMs ?? null]);
    return ctx.cached(key, () => histogram(ctx, tables, wanted, fromMs, toMs));
  },
};
