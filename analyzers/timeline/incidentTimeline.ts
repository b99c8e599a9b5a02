import type { CaseStore } from '../store/caseStore';
import { EVENT_TABLES } from '../store/schema';
import { listFindings } from '../investigations/findingsApi';
import { ensureEventsTable, EVENTS_TABLE } from './eventsTable';
import { queryEvents, type EventFilter } from './eventsQuery';
import type { EntityRef } from './entityRef';

export interface TimelineItem {
  item_id: number;
  kind: 'event' | 'finding' | 'note';
  /** manual, or draft when built automatically from findings. */
  origin: 'manual' | 'draft';
  time: string | null;
  title: string;
  note: string;
  tags: string[];
  tbl: string | null;
  source_file_id: number | null;
  record_index: number | null;
  finding_id: number | null;
  rule_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventRef {
  tbl: string;
  source_file_id: number;
  record_index: number;
}

/** `tbl:source_file_id:record_index`, the way the CLI names one record. */
export function parseEventRef(text: string): EventRef {
  const m = text.match(/^([a-z_0-9]+):(\d+):(\d+)$/);
  if (!m || !EVENT_TABLES.includes(m[1] as (typeof EVENT_TABLES)[number])) throw new Error(`a record is table:source_file_id:record_index (e.g. cloudtrail:3:17); got '${text}'`);
  return { tbl: m[1], source_file_id: Number(m[2]), record_index: Number(m[3]) };
}

/**
 * The incident timeline: events and findings an analyst pinned, with notes
 * and tags, kept in the case so they travel with the evidence.
 */
export async function pinEvent(store: CaseStore, ref: EventRef, opts: { note?: string; tags?: string[]; origin?: 'manual' | 'draft' } = {}): Promise<TimelineItem> {
  await ensureEventsTable(store);
  const ev = await store.one<{ time: string; summary: string }>(
    `SELECT iso(time) AS time, summary FROM ${EVENTS_TABLE} WHERE tbl = $1 AND source_file_id = $2 AND record_index = $3`,
    [ref.tbl, ref.source_file_id, ref.record_index],
  );
  if (!ev) throw new Error(`no record ${ref.tbl}:${ref.source_file_id}:${ref.record_index} in the case`);
  const existing = await store.one<{ item_id: number }>(
    `SELECT item_id FROM timeline_items WHERE kind = 'event' AND tbl = $1 AND source_file_id = $2 AND record_index = $3`,
    [ref.tbl, ref.source_file_id, ref.record_index],
  );
  if (existing) return (await updateItem(store, existing.item_id, { note: opts.note, tags: opts.tags }))!;
  return insertItem(store, { kind: 'event', origin: opts.origin ?? 'manual', time: ev.time, title: ev.summary, note: opts.note ?? '', tags: opts.tags ?? [], tbl: ref.tbl, source_file_id: ref.source_file_id, record_index: ref.record_index, finding_id: null, rule_id: null });
}

export async function pinFinding(store: CaseStore, findingId: number, opts: { note?: string; tags?: string[]; origin?: 'manual' | 'draft' } = {}): Promise<TimelineItem> {
  const [f] = await listFindings(store, { findingId });
  if (!f) throw new Error(`no finding ${findingId}`);
  const existing = await store.one<{ item_id: number }>(`SELECT item_id FROM timeline_items WHERE kind = 'finding' AND rule_id = $1 AND time IS NOT DISTINCT FROM $2::TIMESTAMPTZ AND title = $3`, [f.id, f.first_seen, `${f.id} ${f.title}: ${f.detail}`]);
  if (existing) return (await updateItem(store, existing.item_id, { note: opts.note, tags: opts.tags }))!;
  return insertItem(store, { kind: 'finding', origin: opts.origin ?? 'manual', time: f.first_seen, title: `${f.id} ${f.title}: ${f.detail}`, note: opts.note ?? '', tags: opts.tags ?? [f.severity, ...f.attack], tbl: null, source_file_id: null, record_index: null, finding_id: f.finding_id, rule_id: f.id });
}

export async function addNote(store: CaseStore, time: string, title: string, opts: { note?: string; tags?: string[] } = {}): Promise<TimelineItem> {
  if (Number.isNaN(Date.parse(time))) throw new Error(`'${time}' is not an ISO 8601 time`);
  return insertItem(store, { kind: 'note', origin: 'manual', time, title, note: opts.note ?? '', tags: opts.tags ?? [], tbl: null, source_file_id: null, record_index: null, finding_id: null, rule_id: null });
}

export async function updateItem(store: CaseStore, itemId: number, change: { note?: string; tags?: string[]; title?: string }): Promise<TimelineItem | undefined> {
  const cur = await getItem(store, itemId);
  if (!cur) throw new Error(`no timeline item ${itemId}`);
  await store.run(
    `UPDATE timeline_items SET note = $2, tags = from_json($3, '["VARCHAR"]'), title = $4, updated_at = now(), origin = 'manual' WHERE item_id = $1`,
    [itemId, change.note ?? cur.note, JSON.stringify(change.tags ?? cur.tags), change.title ?? cur.title],
  );
  return getItem(store, itemId);
}

export async function removeItem(store: CaseStore, itemId: number): Promise<void> {
  if (!(await getItem(store, itemId))) throw new Error(`no timeline item ${itemId}`);
  await store.run(`DELETE FROM timeline_items WHERE item_id = $1`, [itemId]);
}

export async function listItems(store: CaseStore): Promise<TimelineItem[]> {
  // The column, not the ISO text of the same name: as text, 09:00:04.5Z sorts before 09:00:04Z.
  const rows = await store.all<Record<string, unknown>>(`${ITEM_SELECT} ORDER BY timeline_items.time NULLS LAST, item_id`);
  return rows.map(toItem);
}

export async function getItem(store: CaseStore, itemId: number): Promise<TimelineItem | undefined> {
  const r = await store.one<Record<string, unknown>>(`${ITEM_SELECT} WHERE item_id = $1`, [itemId]);
  return r ? toItem(r) : undefined;
}

/**
 * A first draft of the timeline, built from the findings: each finding, and
 * the events of its entities (IPs, principals, access keys) within a window
 * around it. Draft items are marked as such until an analyst edits them.
 */
export async function draftFromFindings(store: CaseStore, opts: { windowMinutes?: number; maxEventsPerEntity?: number; minSeverity?: string } = {}): Promise<{ findings: number; events: number }> {
  const w = (opts.windowMinutes ?? 30) * 60_000;
  const per = opts.maxEventsPerEntity ?? 100;
  const order = ['info', 'low', 'medium', 'high', 'critical'];
  const floor = order.indexOf(opts.minSeverity ?? 'medium');
  const findings = (await listFindings(store)).filter((f) => order.indexOf(f.severity) >= floor);
  let events = 0;
  for (const f of findings) {
    await pinFinding(store, f.finding_id, { origin: 'draft' });
    if (!f.first_seen || !f.last_seen) continue;
    const range: EventFilter = { from: new Date(Date.parse(f.first_seen) - w).toISOString(), to: new Date(Date.parse(f.last_seen) + w + 1000).toISOString() };
    const entities: EntityRef[] = [
      ...f.entities.ips.map((value) => ({ kind: 'ip' as const, value })),
      ...f.entities.access_keys.map((value) => ({ kind: 'access_key' as const, value })),
      ...f.entities.principals.filter((p) => p.startsWith('arn:')).map((value) => ({ kind: 'principal' as const, value })),
    ];
    for (const e of entities) {
      const page = await queryEvents(store, { ...range, entities: [e] }, { limit: per });
      for (const ev of page.rows) {
        const before = await store.one(`SELECT 1 AS x FROM timeline_items WHERE kind = 'event' AND tbl = $1 AND source_file_id = $2 AND record_index = $3`, [ev.tbl, ev.source_file_id, ev.record_index]);
        if (before) continue;
        await pinEvent(store, { tbl: ev.tbl, source_file_id: ev.source_file_id, record_index: ev.record_index }, { origin: 'draft', tags: [f.id] });
        events++;
      }
    }
  }
  return { findings: findings.length, events };
}

const ITEM_SELECT = `SELECT item_id, kind, origin, iso(time) AS time, title, note, tags, tbl, source_file_id, record_index, finding_id, rule_id,
  iso(created_at) AS created_at, iso(updated_at) AS updated_at FROM timeline_items`;

async function insertItem(store: CaseStore, it: Omit<TimelineItem, 'item_id' | 'created_at' | 'updated_at'>): Promise<TimelineItem> {
  const id = Number((await store.one<{ id: bigint }>(`SELECT nextval('timeline_item_id_seq') AS id`))!.id);
  await store.run(
    `INSERT INTO timeline_items VALUES ($1, $2, $3, $4::TIMESTAMPTZ, $5, $6, from_json($7, '["VARCHAR"]'), $8, $9, $10, $11, $12, now(), now())`,
    [id, it.kind, it.origin, it.time, it.title, it.note, JSON.stringify(it.tags), it.tbl, it.source_file_id, it.record_index, it.finding_id, it.rule_id],
  );
  return (await getItem(store, id))!;
}

function toItem(r: Record<string, unknown>): TimelineItem {
  return {
    ...(r as unknown as TimelineItem),
    item_id: Number(r.item_id),
    tags: (r.tags as string[] | null) ?? [],
    source_file_id: r.source_file_id === null ? null : Number(r.source_file_id),
    record_index: r.record_index === null ? null : Number(r.record_index),
    finding_id: r.finding_id === null ? null : Number(r.finding_id),
  };
}
