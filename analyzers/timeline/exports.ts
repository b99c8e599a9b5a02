import fs from 'node:fs';
import type { CaseStore } from '../store/caseStore';
import { sqlString } from '../store/caseStore';
import { ensureEventsTable, EVENTS_TABLE } from './eventsTable';
import { compileEventFilter, iterateEvents, type EventFilter, type UnifiedEvent } from './eventsQuery';
import type { TimelineItem } from './incidentTimeline';
import { csvCell as csv } from '../format/csv';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet', 'timesketch', 'timesketch-csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EVENT_FIELDS: (keyof UnifiedEvent)[] = ['time', 'source', 'actor', 'access_key', 'action', 'target', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'outcome', 'summary', 'account', 'region', 'instance', 'eni', 'tbl', 'source_file_id', 'record_index'];

/**
 * Timesketch's import format: message, datetime (ISO 8601) and
 * timestamp_desc are required; every other key is an attribute. Field names
 * follow Timesketch's conventions where it has one (source_ip, user).
 */
export function toTimesketch(e: UnifiedEvent): Record<string, string | number | null> {
  return {
    message: e.summary,
    datetime: e.time,
    timestamp_desc: timestampDesc(e.source),
    data_type: `aws:${e.source}`,
    source: e.source,
    user: e.actor,
    access_key: e.access_key,
    action: e.action,
    target: e.target,
    source_ip: e.src_ip,
    destination_ip: e.dst_ip,
    source_port: e.src_port,
    destination_port: e.dst_port,
    outcome: e.outcome,
    account: e.account,
    region: e.region,
    instance: e.instance,
    eni: e.eni,
    cloudsift_ref: `${e.tbl}:${e.source_file_id}:${e.record_index}`,
  };
}

function timestampDesc(source: string): string {
  switch (source) {
    case 'cloudtrail':
      return 'Event Time';
    case 'vpc_flow':
      return 'Flow Start';
    case 'elb':
      return 'Response Sent';
    default:
      return 'Request Time';
  }
}

/** Write the unified events that match a filter, in time order; returns the number written. */
export async function exportEvents(store: CaseStore, filter: EventFilter, format: ExportFormat, out: string | NodeJS.WritableStream): Promise<number> {
  if (format === 'parquet') {
    if (typeof out !== 'string') throw new Error('Parquet is written to a file: give --out <file.parquet>');
    await ensureEventsTable(store);
    const { where, params } = compileEventFilter(filter);
    // COPY takes no parameter for its target: the path is the analyst's own, quoted.
    const r = await store.conn.run(
      `COPY (SELECT * FROM ${EVENTS_TABLE} WHERE ${where} ORDER BY rowid) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`,
      params,
    );
    return Number(r.rowsChanged);
  }
  const sink = typeof out === 'string' ? fs.createWriteStream(out) : out;
  let n = 0;
  const write = (s: string) => new Promise<void>((resolve, reject) => (sink.write(s, (e) => (e ? reject(e) : resolve()))));
  if (format === 'csv') await write(`${EVENT_FIELDS.join(',')}\n`);
  if (format === 'timesketch-csv') await write(`${Object.keys(toTimesketch(blank())).join(',')}\n`);
  for await (const batch of iterateEvents(store, filter)) {
    const lines = batch.map((e) => {
      switch (format) {
        case 'csv':
          return EVENT_FIELDS.map((f) => csv(e[f])).join(',');
        case 'jsonl':
          return JSON.stringify(e, EVENT_FIELDS);
        case 'timesketch':
          return JSON.stringify(toTimesketch(e));
        case 'timesketch-csv':
          return Object.values(toTimesketch(e)).map(csv).join(',');
      }
    });
    await write(`${lines.join('\n')}\n`);
    n += batch.length;
  }
  if (typeof out === 'string') await new Promise<void>((resolve) => sink.end(resolve));
  return n;
}

const TIMELINE_CSV_FIELDS = ['item_id', 'time', 'kind', 'origin', 'title', 'note', 'tags', 'tbl', 'source_file_id', 'record_index', 'finding_id', 'rule_id', 'created_at', 'updated_at'];
const TIMESKETCH_FIELDS = ['message', 'datetime', 'timestamp_desc', 'note', 'tag', 'kind', 'origin', 'cloudsift_ref', 'rule_id'];

/** The incident timeline in the same formats (Parquet through DuckDB). */
export async function exportTimelineItems(store: CaseStore, items: TimelineItem[], format: ExportFormat, out: string | NodeJS.WritableStream): Promise<number> {
  const asTimesketch = (i: TimelineItem) => ({
    message: i.title,
    datetime: i.time,
    timestamp_desc: i.kind === 'finding' ? 'Finding First Seen' : i.kind === 'note' ? 'Analyst Note' : 'Event Time',
    note: i.note,
    tag: i.tags.join(','),
    kind: i.kind,
    origin: i.origin,
    cloudsift_ref: i.tbl ? `${i.tbl}:${i.source_file_id}:${i.record_index}` : i.finding_id !== null ? `finding:${i.finding_id}` : null,
    rule_id: i.rule_id,
  });
  if (format === 'parquet') {
    if (typeof out !== 'string') throw new Error('Parquet is written to a file');
    await store.run(`COPY (SELECT * FROM timeline_items ORDER BY time NULLS LAST, item_id) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);
    return items.length;
  }
  let text: string;
  if (format === 'jsonl') text = items.map((i) => JSON.stringify(i)).join('\n');
  else if (format === 'timesketch') text = items.map((i) => JSON.stringify(asTimesketch(i))).join('\n');
  else {
    const rows: Record<string, unknown>[] = format === 'csv' ? items.map((i) => ({ ...i, tags: i.tags.join(';') })) : items.map(asTimesketch);
    const keys = format === 'csv' ? TIMELINE_CSV_FIELDS : TIMESKETCH_FIELDS;
    text = [keys.join(','), ...rows.map((r) => keys.map((k) => csv(r[k])).join(','))].join('\n');
  }
  if (typeof out === 'string') fs.writeFileSync(out, `${text}\n`);
  else out.write(`${text}\n`);
  return items.length;
}

function blank(): UnifiedEvent {
  return { time: '', source: '', actor: null, access_key: null, action: '', target: null, src_ip: null, dst_ip: null, src_port: null, dst_port: null, outcome: '', summary: '', account: null, region: null, instance: null, eni: null, tbl: '', source_file_id: 0, record_index: 0, pos: 0 };
}
