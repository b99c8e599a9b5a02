import type { CaseStore } from '../store/caseStore';
import { ensureEventsTable, EVENTS_TABLE } from './eventsTable';
import { compileEventFilter, type EventFilter } from './eventsQuery';

export interface Histogram {
  /** Bucket width in seconds (a round size: 1 s … 1 day, 1 week). */
  bucketSeconds: number;
  from: string | null;
  to: string | null;
  /** Bucket starts (ISO 8601). */
  buckets: string[];
  /** Counts per source, aligned with buckets. */
  series: Record<string, number[]>;
  total: number;
}

const STEPS = [1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800];

/** The round bucket size that gives at most `target` buckets over a span. */
export function bucketSize(spanSeconds: number, target: number): number {
  for (const s of STEPS) if (spanSeconds / s <= target) return s;
  return Math.ceil(spanSeconds / target / 604800) * 604800;
}

/** Event counts per time bucket and source, for any filter; the bucket size follows the span. */
export async function histogram(store: CaseStore, filter: EventFilter, targetBuckets = 120): Promise<Histogram> {
  await ensureEventsTable(store);
  const { where, params } = compileEventFilter(filter);
  const span = await store.one<{ lo: number | null; hi: number | null }>(
    `SELECT epoch(min(time)) AS lo, epoch(max(time)) AS hi FROM ${EVENTS_TABLE} WHERE ${where}`,
    params,
  );
  if (!span || span.lo === null || span.hi === null) return { bucketSeconds: 0, from: null, to: null, buckets: [], series: {}, total: 0 };
  const lo = filter.from ? Date.parse(filter.from) / 1000 : Number(span.lo);
  const hi = filter.to ? Date.parse(filter.to) / 1000 : Number(span.hi) + 1;
  const size = bucketSize(Math.max(1, hi - lo), targetBuckets);
  const start = Math.floor(lo / size) * size;
  const n = Math.max(1, Math.ceil((hi - start) / size));
  const rows = await store.all<{ b: bigint; source: string; n: bigint }>(
    `SELECT ((epoch(time) - $start) // $size)::BIGINT AS b, source, count(*) AS n
     FROM ${EVENTS_TABLE} WHERE ${where} GROUP BY 1, 2`,
    { ...params, start, size },
  );
  const series: Record<string, number[]> = {};
  let total = 0;
  for (const r of rows) {
    const b = Number(r.b);
    if (b < 0 || b >= n) continue;
    (series[r.source] ??= new Array<number>(n).fill(0))[b] = Number(r.n);
    total += Number(r.n);
  }
  const buckets = Array.from({ length: n }, (_, i) => new Date((start + i * size) * 1000).toISOString().replace('.000Z', 'Z'));
  return { bucketSeconds: size, from: buckets[0], to: new Date((start + n * size) * 1000).toISOString().replace('.000Z', 'Z'), buckets, series, total };
}
