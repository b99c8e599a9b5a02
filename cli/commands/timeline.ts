import { CaseStore } from '../../analyzers/store/caseStore';
import { parseEntityRef } from '../../analyzers/timeline/entityRef';
import { EVENT_SOURCES, queryEvents, type EventFilter, type EventSource } from '../../analyzers/timeline/eventsQuery';
import { EXPORT_FORMATS, exportEvents, exportTimelineItems, type ExportFormat } from '../../analyzers/timeline/exports';
import { addNote, draftFromFindings, listItems, parseEventRef, pinEvent, pinFinding, removeItem, updateItem } from '../../analyzers/timeline/incidentTimeline';
import { entityProfile } from '../../analyzers/entities/entityProfile';
import { coverage } from '../../analyzers/timeline/coverage';
import { formatNumber, formatTable } from '../output/table';
import { parseCommandArgs, requireCase, UsageError, type Command } from './registry';

const TIMELINE_USAGE = `Usage: cloudsift timeline --case <file> [filters] [--format table|csv|jsonl|parquet|timesketch|timesketch-csv] [--out <file>]
  The unified, time-ordered events of every source (CloudTrail, ELB, VPC Flow, S3 access).
  Filters: --entity <kind>:<value> (ip, principal, access_key, session, instance, eni, bucket; repeatable)
           --from <iso> --to <iso> --source <cloudtrail|vpc_flow|elb|s3_access>... --text <substring> --limit <n>
  --incident                the incident timeline (pinned events and findings with notes) instead
Editing the incident timeline:
  cloudsift timeline pin --case <file> <table:source_file_id:record_index> [--note <text>] [--tag <t>]...
  cloudsift timeline pin-finding --case <file> <finding id> [--note <text>] [--tag <t>]...
  cloudsift timeline note --case <file> <time> <title> [--note <text>] [--tag <t>]...
  cloudsift timeline edit --case <file> <item id> [--note <text>] [--tag <t>]... [--title <text>]
  cloudsift timeline unpin --case <file> <item id>
  cloudsift timeline draft --case <file> [--window <minutes>]   build a draft from the findings`;

export const timelineCommand: Command = {
  name: 'timeline',
  summary: 'unified events in time order, the incident timeline, exports (Timesketch, CSV, JSONL, Parquet)',
  usage: TIMELINE_USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      case: { type: 'string' },
      entity: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      source: { type: 'string', multiple: true },
      text: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string', default: 'table' },
      out: { type: 'string' },
      incident: { type: 'boolean' },
      note: { type: 'string' },
      tag: { type: 'string', multiple: true },
      title: { type: 'string' },
      window: { type: 'string' },
    });
    if (values.help) {
      process.stdout.write(`${TIMELINE_USAGE}\n`);
      return 0;
    }
    const casePath = requireCase(values);
    const [action, ...rest] = positionals;
    const format = values.format as ExportFormat | 'table';
    if (format !== 'table' && !EXPORT_FORMATS.includes(format)) throw new UsageError(`unknown --format '${format}'`);
    const store = await CaseStore.open(casePath);
    try {
      if (action) return await edit(store, action, rest, values);
      const out = values.out ?? process.stdout;
      if (values.incident) {
        const items = await listItems(store);
        if (format === 'table') {
          process.stdout.write(`${formatTable(['item', 'time', 'kind', 'origin', 'title', 'note', 'tags'], items.map((i) => [i.item_id, i.time ?? '', i.kind, i.origin, i.title, i.note, i.tags.join(', ')]))}\n`);
        } else {
          await exportTimelineItems(store, items, format, out);
        }
        return 0;
      }
      const filter: EventFilter = {
        from: values.from,
        to: values.to,
        sources: values.source as EventSource[] | undefined,
        entities: (values.entity ?? []).map(parseEntityRef),
        text: values.text,
      };
      for (const s of filter.sources ?? []) if (!EVENT_SOURCES.includes(s)) throw new UsageError(`unknown --source '${s}'`);
      if (format === 'table') {
        const limit = values.limit ? Number(values.limit) : 500;
        const page = await queryEvents(store, filter, { limit });
        process.stdout.write(`${formatTable(['time', 'source', 'outcome', 'actor', 'action', 'summary', 'ref'], page.rows.map((e) => [e.time, e.source, e.outcome, e.actor ?? '', e.action, e.summary, `${e.tbl}:${e.source_file_id}:${e.record_index}`]))}\n`);
        process.stdout.write(`(${page.rows.length} events${page.nextCursor !== null ? `; more: raise --limit or use --format jsonl` : ''})\n`);
      } else {
        const n = await exportEvents(store, filter, format, out);
        if (values.out) process.stderr.write(`wrote ${formatNumber(n)} events to ${values.out}\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};

async function edit(store: CaseStore, action: string, rest: string[], v: { note?: string; tag?: string[]; title?: string; window?: string }): Promise<number> {
  const need = (i: number, what: string) => {
    if (!rest[i]) throw new UsageError(`timeline ${action}: give ${what}`);
    return rest[i];
  };
  switch (action) {
    case 'pin': {
      const item = await pinEvent(store, parseEventRef(need(0, 'a record as table:source_file_id:record_index')), { note: v.note, tags: v.tag });
      process.stdout.write(`pinned as item ${item.item_id}: ${item.title}\n`);
      return 0;
    }
    case 'pin-finding': {
      const item = await pinFinding(store, Number(need(0, 'a finding id')), { note: v.note, tags: v.tag });
      process.stdout.write(`pinned as item ${item.item_id}: ${item.title}\n`);
      return 0;
    }
    case 'note': {
      const item = await addNote(store, need(0, 'a time'), need(1, 'a title'), { note: v.note, tags: v.tag });
      process.stdout.write(`added item ${item.item_id}\n`);
      return 0;
    }
    case 'edit': {
      await updateItem(store, Number(need(0, 'an item id')), { note: v.note, tags: v.tag, title: v.title });
      process.stdout.write(`updated item ${rest[0]}\n`);
      return 0;
    }
    case 'unpin':
      await removeItem(store, Number(need(0, 'an item id')));
      process.stdout.write(`removed item ${rest[0]}\n`);
      return 0;
    case 'draft': {
      const r = await draftFromFindings(store, { windowMinutes: v.window ? Number(v.window) : undefined });
      process.stdout.write(`draft: ${r.findings} findings and ${r.events} events of their entities added\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown action '${action}'`);
  }
}

const ENTITY_USAGE = `Usage: cloudsift entity --case <file> <kind>:<value> [--json]
  kinds: ip, principal, access_key, session, instance, eni, bucket
  First and last seen, the sources it appears in, actions by name, error rate,
  and related entities (access key -> principal -> IPs -> ELB requests and flows).`;

export const entityCommand: Command = {
  name: 'entity',
  summary: 'profile of an IP, principal, access key, session, instance, ENI or bucket across all sources',
  usage: ENTITY_USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { case: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) {
      process.stdout.write(`${ENTITY_USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('give one entity as kind:value');
    let ref;
    try {
      ref = parseEntityRef(positionals[0]);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const store = await CaseStore.open(requireCase(values));
    try {
      const p = await entityProfile(store, ref);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(p)}\n`);
        return 0;
      }
      const lines = [
        `${ref.kind} ${ref.value}: ${formatNumber(p.total)} events, ${p.firstSeen ?? '-'} to ${p.lastSeen ?? '-'}, ${(p.errorRate * 100).toFixed(1)}% denied/error/reject`,
        '',
        formatTable(['source', 'events', 'first', 'last'], p.bySource.map((s) => [s.source, formatNumber(s.count), s.first, s.last]), ['l', 'r']),
        '',
        formatTable(['action', 'count', 'failed'], p.actions.slice(0, 30).map((a) => [a.action, formatNumber(a.count), formatNumber(a.failed)]), ['l', 'r', 'r']),
      ];
      for (const [k, list] of Object.entries(p.related)) {
        if (list.length) lines.push('', `${k}: ${list.map((c) => `${c.value} (${c.count})`).join(', ')}`);
      }
      if (p.ipActivity.length) {
        lines.push('', formatTable(['ip', 'cloudtrail', 'elb', 'vpc_flow', 's3_access', 'first', 'last'], p.ipActivity.map((a) => [a.ip, a.cloudtrail, a.elb, a.vpc_flow, a.s3_access, a.first, a.last]), ['l', 'r', 'r', 'r', 'r']));
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

const COVERAGE_USAGE = `Usage: cloudsift coverage --case <file> [--bucket-minutes <n>] [--min-gap <buckets>] [--json]
  Per account, region and source: which periods have logs, and where the gaps are,
  with the CloudTrail events around each gap (StopLogging, DeleteTrail, ...).`;

export const coverageCommand: Command = {
  name: 'coverage',
  summary: 'logging coverage per account, region and source, and the gaps',
  usage: COVERAGE_USAGE,
  async run(args) {
    const { values } = parseCommandArgs(args, { case: { type: 'string' }, json: { type: 'boolean' }, 'bucket-minutes': { type: 'string' }, 'min-gap': { type: 'string' } }, false);
    if (values.help) {
      process.stdout.write(`${COVERAGE_USAGE}\n`);
      return 0;
    }
    const store = await CaseStore.open(requireCase(values));
    try {
      const c = await coverage(store, { bucketMinutes: values['bucket-minutes'] ? Number(values['bucket-minutes']) : undefined, minGapBuckets: values['min-gap'] ? Number(values['min-gap']) : undefined });
      if (values.json) {
        process.stdout.write(`${JSON.stringify(c)}\n`);
        return 0;
      }
      process.stdout.write(
        `${formatTable(['source', 'account', 'region', 'first', 'last', 'events', `${c.bucketMinutes}-min buckets with logs`], c.series.map((s) => [s.source, s.account, s.region, s.first, s.last, formatNumber(s.events), `${s.bucketsWithData}/${s.bucketsSpanned}`]))}\n\n`,
      );
      if (c.gaps.length === 0) process.stdout.write('No gaps.\n');
      else {
        process.stdout.write(`${formatTable(['gap from', 'to', 'minutes', 'source', 'account', 'region', 'around it'], c.gaps.map((g) => [g.from, g.to, Math.round(g.minutes), g.source, g.account, g.region, g.explanations.map((e) => `${e.time} ${e.event} by ${e.actor ?? '?'}`).join('; ')]))}\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
