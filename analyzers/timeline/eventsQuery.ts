import type { DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { ensureEventsTable, EVENTS_TABLE } from './eventsTable';
import { unifiedEntityBranches, type EntityRef } from './entityRef';

export const EVENT_SOURCES = ['cloudtrail', 'vpc_flow', 'elb', 's3_access'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
export const OUTCOMES = ['success', 'denied', 'error', 'reject'] as const;

export interface EventFilter {
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  sources?: EventSource[];
  entities?: EntityRef[];
  /** Case-insensitive substring of the one-line summary, actor or target. */
  text?: string;
  outcomes?: string[];
}

export interface UnifiedEvent {
  time: string;
  source: string;
  actor: string | null;
  access_key: string | null;
  action: string;
  target: string | null;
  src_ip: string | null;
  dst_ip: string | null;
  src_port: number | null;
  dst_port: number | null;
  outcome: string;
  summary: string;
  account: string | null;
  region: string | null;
  instance: string | null;
  eni: string | null;
  tbl: string;
  source_file_id: number;
  record_index: number;
  /** Position in the time-ordered table: the cursor for the next page. */
  pos: number;
}

/** Past this many parts a filter is scanned as one condition (two entities with two parts each make four). */
const MAX_BRANCHES = 4;

/**
 * A filter as SQL conditions over the unified table, every value bound.
 * `branches` are disjoint conditions whose union is `where`, each testable
 * inside the scan (see unifiedEntityBranches); one branch when there is
 * nothing to gain.
 */
export function compileEventFilter(f: EventFilter): { where: string; params: Record<string, DuckDBValue>; branches: string[] } {
  const conds: string[] = [];
  const params: Record<string, DuckDBValue> = {};
  if (f.from) {
    conds.push(`time >= $from::TIMESTAMPTZ`);
    params.from = f.from;
  }
  if (f.to) {
    conds.push(`time < $to::TIMESTAMPTZ`);
    params.to = f.to;
  }
  if (f.sources && f.sources.length > 0) {
    const bad = f.sources.filter((s) => !EVENT_SOURCES.includes(s));
    if (bad.length) throw new Error(`unknown source ${bad.join(', ')}`);
    conds.push(`source IN (${f.sources.map((_, i) => `$src${i}`).join(', ')})`);
    f.sources.forEach((s, i) => (params[`src${i}`] = s));
  }
  if (f.outcomes && f.outcomes.length > 0) {
    conds.push(`outcome IN (${f.outcomes.map((_, i) => `$out${i}`).join(', ')})`);
    f.outcomes.forEach((s, i) => (params[`out${i}`] = s));
  }
  if (f.text) {
    conds.push(`(summary ILIKE $text OR actor ILIKE $text OR target ILIKE $text)`);
    params.text = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  let parts: string[][] = [[]];
  (f.entities ?? []).forEach((e, i) => {
    params[`ent${i}`] = e.value;
    const alternatives = unifiedEntityBranches(e.kind).map((b) => b.replaceAll('$entity', `$ent${i}`));
    parts = parts.flatMap((p) => alternatives.map((a) => [...p, a]));
  });
  const asOne = (p: string[][]): string => (p.length === 1 ? p[0].map((c) => `(${c})`).join(' AND ') : `(${p.map((x) => `(${x.join(' AND ')})`).join(' OR ')})`);
  const entityWhere = parts[0].length ? [asOne(parts)] : [];
  const all = [...conds, ...entityWhere];
  const where = all.length ? all.join(' AND ') : 'true';
  const branches = parts.length > 1 && parts.length <= MAX_BRANCHES ? parts.map((p) => [...conds, ...p.map((c) => `(${c})`)].join(' AND ')) : [where];
  return { where, params, branches };
}

const COLUMNS = `iso(time) AS time, source, actor, access_key, action, target, src_ip, dst_ip, src_port, dst_port, outcome,
  summary, account, region, instance, eni, tbl, source_file_id, record_index, rowid AS pos`;

/**
 * One page of the unified events, in time order, from a cursor. The table is
 * stored in time order, so the scan stops as soon as the page is full
 * (no sort of the whole table per page).
 */
export async function queryEvents(store: CaseStore, filter: EventFilter, page: { cursor?: number; limit?: number } = {}): Promise<{ rows: UnifiedEvent[]; nextCursor: number | null }> {
  await ensureEventsTable(store);
  const { params, branches } = compileEventFilter(filter);
  const limit = Math.min(Math.max(page.limit ?? 200, 1), 10_000);
  // Each part stops at the first limit + 1 rows it finds in rowid order; the page is the first of their union.
  const scan = (where: string) => `SELECT ${COLUMNS} FROM ${EVENTS_TABLE} WHERE rowid >= $cursor AND ${where} LIMIT $limit`;
  const sql = branches.length === 1 ? scan(branches[0]) : `SELECT * FROM (${branches.map((b) => `(${scan(b)})`).join(' UNION ALL ')}) ORDER BY pos LIMIT $limit`;
  const rows = await store.all<Record<string, unknown>>(sql, { ...params, cursor: page.cursor ?? 0, limit: limit + 1 });
  const more = rows.length > limit;
  const out = rows.slice(0, limit).map(toEvent);
  return { rows: out, nextCursor: more ? out[out.length - 1].pos + 1 : null };
}

export async function countEvents(store: CaseStore, filter: EventFilter): Promise<number> {
  await ensureEventsTable(store);
  const { where, params } = compileEventFilter(filter);
  const r = await store.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${EVENTS_TABLE} WHERE ${where}`, params);
  return Number(r?.n ?? 0);
}

/** Every matching event, in time order, for exports. */
export async function* iterateEvents(store: CaseStore, filter: EventFilter, batch = 5000): AsyncGenerator<UnifiedEvent[]> {
  let cursor: number | null = 0;
  while (cursor !== null) {
    const page: { rows: UnifiedEvent[]; nextCursor: number | null } = await queryEvents(store, filter, { cursor, limit: batch });
    if (page.rows.length > 0) yield page.rows;
    cursor = page.nextCursor;
  }
}

function toEvent(r: Record<string, unknown>): UnifiedEvent {
  return {
    ...(r as unknown as UnifiedEvent),
    src_port: r.src_port === null ? null : Number(r.src_port),
    dst_port: r.dst_port === null ? null : Number(r.dst_port),
    source_file_id: Number(r.source_file_id),
    record_index: Number(r.record_index),
    pos: Number(r.pos),
  };
}
