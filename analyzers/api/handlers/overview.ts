import { EVENT_TABLES, quoteIdent, tableDef } from '../../store/schema';
import type { CountByKey, OverviewResponse, TableOverview } from '../contract';
import type { HandlerMap } from './types';

/** Where each event table names an account and a region. */
const ACCOUNT_COLUMNS: [string, string][] = [
  ['cloudtrail', 'recipient_account_id'],
  ['vpc_flow', 'account_id'],
  ['digests', 'aws_account_id'],
];
const REGION_COLUMNS: [string, string][] = [
  ['cloudtrail', 'aws_region'],
  ['vpc_flow', 'region'],
];

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function groupedUnion(pairs: [string, string][]): string {
  const parts = pairs.map(([t, c]) => `SELECT ${quoteIdent(c)}::VARCHAR AS k, count(*) AS n FROM ${quoteIdent(t)} WHERE ${quoteIdent(c)} IS NOT NULL GROUP BY ALL`);
  return `SELECT k, sum(n) AS n FROM (${parts.join(' UNION ALL ')}) GROUP BY k ORDER BY n DESC, k LIMIT 200`;
}

async function overview(ctx: Parameters<HandlerMap<'overview/get'>['overview/get']>[0]): Promise<OverviewResponse> {
  const tables: TableOverview[] = [];
  for (const name of EVENT_TABLES) {
    const tc = quoteIdent(tableDef(name)?.timeColumn ?? 'event_time');
    const [r] = await ctx.engine.rows(`SELECT count(*) AS n, min(${tc}) AS lo, max(${tc}) AS hi FROM ${quoteIdent(name)}`);
    tables.push({ table: name, rows: Number(r?.n ?? 0), firstEventTime: text(r?.lo), lastEventTime: text(r?.hi) });
  }
  const [s] = await ctx.engine.rows(
    `SELECT count(*) AS files, coalesce(sum(size), 0) AS bytes, count(*) FILTER (WHERE status = 'rejected') AS rf, coalesce(sum(records_rejected), 0) AS rr FROM sources`,
  );
  const byKind = await ctx.engine.rows(
    `SELECT coalesce(kind, 'unknown') AS kind, count(*) AS files, coalesce(sum(records_imported), 0) AS records FROM sources GROUP BY ALL ORDER BY records DESC, kind`,
  );
  const toCounts = (rows: Record<string, unknown>[]): CountByKey[] => rows.map((r) => ({ key: String(r.k), records: Number(r.n) }));
  const times = tables.filter((t) => t.rows > 0 && t.table !== 'digests');
  const first = times.map((t) => t.firstEventTime).filter((x): x is string => x !== null).sort()[0] ?? null;
  const last = times.map((t) => t.lastEventTime).filter((x): x is string => x !== null).sort().at(-1) ?? null;
  return {
    tables,
    sources: {
      files: Number(s?.files ?? 0),
      bytes: Number(s?.bytes ?? 0),
      rejectedFiles: Number(s?.rf ?? 0),
      rejectedRecords: Number(s?.rr ?? 0),
      byKind: byKind.map((k) => ({ kind: String(k.kind), files: Number(k.files), records: Number(k.records) })),
    },
    timeSpan: { first, last },
    accounts: toCounts(await ctx.engine.rows(groupedUnion(ACCOUNT_COLUMNS))),
    regions: toCounts(await ctx.engine.rows(groupedUnion(REGION_COLUMNS))),
  };
}

export const overviewHandlers: HandlerMap<'overview/get'> = {
  'overview/get': (ctx) => ctx.cached('overview', () => overview(ctx)),
};
