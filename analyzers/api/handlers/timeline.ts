import type { CaseStore } from '../../store/caseStore';
import { ensureEventsTable, EVENTS_TABLE } from '../../timeline/eventsTable';
import { compileEventFilter, countEvents, EVENT_SOURCES, OUTCOMES, queryEvents, type EventFilter, type UnifiedEvent } from '../../timeline/eventsQuery';
import { histogram } from '../../timeline/histogram';
import { coverage } from '../../timeline/coverage';
import { ENTITY_KINDS, type EntityRef } from '../../timeline/entityRef';
import { entityProfile } from '../../entities/entityProfile';
import { getFinding } from '../../investigations/findingsApi';
import { addNote, draftFromFindings, getItem, listItems, pinEvent, pinFinding, removeItem, updateItem, type TimelineItem } from '../../timeline/incidentTimeline';
import {
  PAGE_MAX_ROWS,
  SEVERITY_ORDER,
  type EntityProfileInfo,
  type EventSourceName,
  type Severity,
  type TimelineItemInfo,
  type UnifiedEventRow,
} from '../contract';
import { ApiFailure } from '../errors';
import { optionalInt, optionalString, requestObject, requiredInt, requiredString } from '../validate';
import { timelineSession } from '../timelineSession';
import type { HandlerMap } from './types';

const MAX_TEXT = 500;
const MAX_ENTITY_VALUE = 1024;
const MAX_ENTITIES = 20;
const MAX_NOTE = 20_000;
const MAX_TITLE = 1000;
const MAX_TAGS = 50;
const MAX_TAG = 100;
const DEFAULT_PAGE = 200;
/** ISO 8601 date or date-time, with or without a zone (none means UTC). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

// ---------------------------------------------------------------- request checks

function isoTime(v: unknown, name: string): string {
  const s = requiredString(v, name, 64);
  const m = ISO_TIME.exec(s);
  const withZone = m && !m[1] && s.length > 10 ? `${s}Z` : s;
  if (!m || !Number.isFinite(Date.parse(withZone))) throw new ApiFailure('BAD_REQUEST', `${name} must be an ISO 8601 time, e.g. 2025-03-19T09:33:47Z`);
  return withZone;
}

function oneOf<T extends string>(v: unknown, name: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new ApiFailure('BAD_REQUEST', `${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function listOf<T>(v: unknown, name: string, maxItems: number, item: (x: unknown, name: string) => T): T[] {
  if (!Array.isArray(v) || v.length > maxItems) throw new ApiFailure('BAD_REQUEST', `${name} must be a list of at most ${maxItems} items`);
  return v.map((x, i) => item(x, `${name}[${i}]`));
}

function entityRef(v: unknown, name: string): EntityRef {
  const r = requestObject(v);
  return { kind: oneOf(r.kind, `${name}.kind`, ENTITY_KINDS), value: requiredString(r.value, `${name}.value`, MAX_ENTITY_VALUE) };
}

/** The filter of every events call, checked field by field: the renderer is not trusted. */
export function eventFilter(v: unknown): EventFilter {
  if (v === undefined) return {};
  const r = requestObject(v);
  const f: EventFilter = {};
  if (r.from !== undefined) f.from = isoTime(r.from, 'filter.from');
  if (r.to !== undefined) f.to = isoTime(r.to, 'filter.to');
  if (f.from && f.to && Date.parse(f.to) <= Date.parse(f.from)) throw new ApiFailure('BAD_REQUEST', 'filter.to must be after filter.from');
  if (r.sources !== undefined) f.sources = listOf(r.sources, 'filter.sources', EVENT_SOURCES.length, (x, n) => oneOf(x, n, EVENT_SOURCES));
  if (r.entities !== undefined) f.entities = listOf(r.entities, 'filter.entities', MAX_ENTITIES, entityRef);
  if (r.outcomes !== undefined) f.outcomes = listOf(r.outcomes, 'filter.outcomes', OUTCOMES.length, (x, n) => oneOf(x, n, OUTCOMES));
  if (r.text !== undefined && r.text !== '') f.text = requiredString(r.text, 'filter.text', MAX_TEXT);
  return f;
}

function tags(v: unknown): string[] | undefined {
  return v === undefined ? undefined : listOf(v, 'tags', MAX_TAGS, (x, n) => requiredString(x, n, MAX_TAG).trim()).filter((t) => t.length > 0);
}

function note(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > MAX_NOTE) throw new ApiFailure('BAD_REQUEST', `note must be a string of at most ${MAX_NOTE} characters`);
  return v;
}

// ---------------------------------------------------------------- engine results as contract types

function eventRow(e: UnifiedEvent): UnifiedEventRow {
  return { ...e, source: oneOf<EventSourceName>(e.source, 'source', EVENT_SOURCES) };
}

function itemInfo(i: TimelineItem): TimelineItemInfo {
  return { ...i };
}

async function existingItem(store: CaseStore, itemId: number): Promise<TimelineItem> {
  const it = await getItem(store, itemId);
  if (!it) throw new ApiFailure('NOT_FOUND', `No timeline item ${itemId}`);
  return it;
}

/**
 * The findings table's entity lists that can name each kind of entity. A
 * principal also matches by its name (the ARN's last segment), as it does in
 * the events; a session is the last segment of an assumed-role ARN.
 */
const FINDING_MATCH: Record<EntityRef['kind'], string> = {
  ip: `list_contains(ips, $v)`,
  principal: `list_contains(principals, $v) OR len(list_filter(principals, p -> ends_with(p, '/' || $v))) > 0`,
  access_key: `list_contains(access_keys, $v)`,
  session: `len(list_filter(principals, p -> ends_with(p, '/' || $v))) > 0 OR list_contains(instances, $v)`,
  instance: `list_contains(instances, $v) OR list_contains(resources, $v) OR len(list_filter(principals, p -> ends_with(p, '/' || $v))) > 0`,
  eni: `list_contains(resources, $v)`,
  bucket: `list_contains(resources, $v) OR list_contains(resources, 'arn:aws:s3:::' || $v) OR len(list_filter(resources, r -> starts_with(r, $v || '/'))) > 0`,
};

async function findingsNaming(store: CaseStore, e: EntityRef): Promise<EntityProfileInfo['findings']> {
  const rows = await store.all<{ finding_id: bigint; rule_id: string; title: string; severity: string; first_seen: string | null }>(
    `SELECT finding_id, rule_id, title, severity, iso(first_seen) AS first_seen FROM findings
      WHERE ${FINDING_MATCH[e.kind]} ORDER BY severity_rank, first_seen NULLS LAST, rule_id, finding_id`,
    { v: e.value },
  );
  return rows.map((r) => ({
    finding_id: Number(r.finding_id),
    id: r.rule_id,
    title: r.title,
    severity: SEVERITY_ORDER.includes(r.severity as Severity) ? (r.severity as Severity) : 'info',
    first_seen: r.first_seen,
  }));
}

/** The cursor of the row `offset` matches after `cursor`: the view's rowid there, or null past the end. */
async function seek(store: CaseStore, filter: EventFilter, cursor: number, offset: number): Promise<number | null> {
  const { where, params } = compileEventFilter(filter);
  const r = await store.one<{ pos: bigint }>(`SELECT rowid AS pos FROM ${EVENTS_TABLE} WHERE rowid >= $cursor AND ${where} LIMIT 1 OFFSET $offset`, {
    ...params,
    cursor,
    offset,
  });
  return r ? Number(r.pos) : null;
}

const READ = { writes: false, events: true };
const WRITE_EVENTS = { writes: true, events: true };
const WRITE = { writes: true, events: false };
const ITEMS = { writes: false, events: false };

// ---------------------------------------------------------------- handlers

export const timelineHandlers: HandlerMap<
  'events/page' | 'events/count' | 'events/histogram' | 'entity/profile' | 'coverage/get' | 'timeline/list' | 'timeline/pin' | 'timeline/note' | 'timeline/update' | 'timeline/remove' | 'timeline/draft'
> = {
  'events/page': async (ctx, req) => {
    const r = requestObject(req);
    const filter = eventFilter(r.filter);
    const cursor = r.cursor === null ? undefined : optionalInt(r.cursor, 'cursor', 0, Number.MAX_SAFE_INTEGER);
    const offset = optionalInt(r.offset, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = optionalInt(r.limit, 'limit', 1, PAGE_MAX_ROWS) ?? DEFAULT_PAGE;
    return (await timelineSession(ctx)).run(READ, async (store) => {
      const from = offset > 0 ? await seek(store, filter, cursor ?? 0, offset) : (cursor ?? 0);
      if (from === null) return { rows: [], nextCursor: null };
      const page = await queryEvents(store, filter, { cursor: from, limit });
      return { rows: page.rows.map(eventRow), nextCursor: page.nextCursor };
    });
  },

  'events/count': async (ctx, req) => {
    const filter = eventFilter(requestObject(req).filter);
    return ctx.cached(JSON.stringify(['events/count', filter]), async () => ({ count: await (await timelineSession(ctx)).run(READ, (store) => countEvents(store, filter)) }));
  },

  'events/histogram': async (ctx, req) => {
    const r = requestObject(req);
    const filter = eventFilter(r.filter);
    const buckets = optionalInt(r.buckets, 'buckets', 1, PAGE_MAX_ROWS) ?? 120;
    return ctx.cached(JSON.stringify(['events/histogram', filter, buckets]), async () => (await timelineSession(ctx)).run(READ, (store) => histogram(store, filter, buckets)));
  },

  'entity/profile': async (ctx, req) => {
    const entity = entityRef(req, 'entity');
    return ctx.cached(JSON.stringify(['entity/profile', entity]), async () =>
      (await timelineSession(ctx)).run(READ, async (store): Promise<EntityProfileInfo> => ({ ...(await entityProfile(store, entity)), findings: await findingsNaming(store, entity) })),
    );
  },

  'coverage/get': async (ctx, req) => {
    const bucketMinutes = optionalInt(requestObject(req).bucketMinutes, 'bucketMinutes', 1, 1440) ?? 60;
    return ctx.cached(JSON.stringify(['coverage/get', bucketMinutes]), async () => (await timelineSession(ctx)).run(READ, (store) => coverage(store, { bucketMinutes })));
  },

  'timeline/list': async (ctx) => (await timelineSession(ctx)).run(ITEMS, async (store) => (await listItems(store)).map(itemInfo)),

  'timeline/pin': async (ctx, req) => {
    const r = requestObject(req);
    const opts = { note: note(r.note), tags: tags(r.tags) };
    if ((r.event === undefined) === (r.findingId === undefined)) throw new ApiFailure('BAD_REQUEST', 'Pin either an event or a findingId');
    if (r.event !== undefined) {
      const e = requestObject(r.event);
      const ref = {
        tbl: oneOf(e.tbl, 'event.tbl', EVENT_SOURCES),
        source_file_id: requiredInt(e.source_file_id, 'event.source_file_id', 0, 2 ** 31 - 1),
        record_index: requiredInt(e.record_index, 'event.record_index', 0, Number.MAX_SAFE_INTEGER),
      };
      return (await timelineSession(ctx)).run(WRITE_EVENTS, async (store) => {
        const found = await store.one(`SELECT 1 AS x FROM ${EVENTS_TABLE} WHERE tbl = $1 AND source_file_id = $2 AND record_index = $3`, [ref.tbl, ref.source_file_id, ref.record_index]);
        if (!found) throw new ApiFailure('NOT_FOUND', `No record ${ref.record_index} of source ${ref.source_file_id} in ${ref.tbl}`);
        return itemInfo(await pinEvent(store, ref, opts));
      });
    }
    const findingId = requiredInt(r.findingId, 'findingId', 0, Number.MAX_SAFE_INTEGER);
    return (await timelineSession(ctx)).run(WRITE, async (store) => {
      if (!(await getFinding(store, findingId))) throw new ApiFailure('NOT_FOUND', `No finding ${findingId}`);
      return itemInfo(await pinFinding(store, findingId, opts));
    });
  },

  'timeline/note': async (ctx, req) => {
    const r = requestObject(req);
    const time = isoTime(r.time, 'time');
    const title = requiredString(r.title, 'title', MAX_TITLE);
    const opts = { note: note(r.note), tags: tags(r.tags) };
    return (await timelineSession(ctx)).run(WRITE, async (store) => itemInfo(await addNote(store, time, title, opts)));
  },

  'timeline/update': async (ctx, req) => {
    const r = requestObject(req);
    const itemId = requiredInt(r.itemId, 'itemId', 0, 2 ** 31 - 1);
    const change = { title: optionalString(r.title, 'title', MAX_TITLE), note: note(r.note), tags: tags(r.tags) };
    if (change.title === undefined && change.note === undefined && change.tags === undefined) throw new ApiFailure('BAD_REQUEST', 'Nothing to change: give a title, a note or tags');
    return (await timelineSession(ctx)).run(WRITE, async (store) => {
      await existingItem(store, itemId);
      return itemInfo((await updateItem(store, itemId, change))!);
    });
  },

  'timeline/remove': async (ctx, req) => {
    const itemId = requiredInt(requestObject(req).itemId, 'itemId', 0, 2 ** 31 - 1);
    return (await timelineSession(ctx)).run(WRITE, async (store) => {
      await existingItem(store, itemId);
      await removeItem(store, itemId);
      return { removed: itemId };
    });
  },

  'timeline/draft': async (ctx, req) => {
    const r = requestObject(req);
    const windowMinutes = optionalInt(r.windowMinutes, 'windowMinutes', 0, 24 * 60) ?? 30;
    const minSeverity = r.minSeverity === undefined ? 'medium' : oneOf(r.minSeverity, 'minSeverity', SEVERITY_ORDER);
    return (await timelineSession(ctx)).run(WRITE_EVENTS, async (store) => {
      // One transaction: a draft pins hundreds of rows, and a failure leaves none of them.
      // The unified table is brought up to date first, as its rebuild is a transaction of its own.
      await ensureEventsTable(store);
      await store.run('BEGIN TRANSACTION');
      try {
        const out = await draftFromFindings(store, { windowMinutes, minSeverity });
        await store.run('COMMIT');
        return out;
      } catch (e) {
        await store.run('ROLLBACK');
        throw e;
      }
    });
  },
};
