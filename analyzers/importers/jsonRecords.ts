import { JsonScanError, arrayElements, lineNumbersOf, objectMembers, skipWs, topLevelValues, type Span, type ValueEnds } from './jsonScan';
import type { PositionKind } from './types';

/** Where a JSON record goes. */
export type JsonTarget = 'cloudtrail' | 'digests' | 'other_records';

export type OtherKind = 'guardduty' | 'waf' | 'eventbridge' | 'cloudwatch' | 'cloudfront';

/** One record found in a JSON file: either a byte span of the file, or text decoded from a JSON string. */
export interface JsonRecord {
  index: number;
  span?: Span;
  text?: string;
  target: JsonTarget;
  otherKind?: OtherKind;
  /** Epoch milliseconds carried by an envelope (CloudWatch logEvents), for records that have no time of their own. */
  envelopeTime?: number;
}

/** A text line carried inside JSON (VPC flow via CloudWatch or {"message": ...}). */
export interface CarriedLine {
  index: number;
  line: string;
}

export interface RecordReject {
  position: number;
  positionKind: PositionKind;
  reason: string;
  excerpt: string;
}

export interface JsonFileRecords {
  /** Manifest-style kind of the file: cloudtrail, cloudtrail-insight, cloudtrail-digest, guardduty, ... */
  kind: string;
  /** Container, e.g. records-object, ndjson, lookup-events, cwl-envelope. */
  container: string;
  positionKind: PositionKind;
  records: JsonRecord[];
  lines: CarriedLine[];
  rejects: RecordReject[];
  /** CloudTrail Insight events among the records (the file's kind is cloudtrail-insight when they are all of them). */
  insightRecords: number;
}

export class JsonFileError extends Error {}

const EXCERPT = 512;

/**
 * Decide what a JSON file holds and where each record is. Throws
 * JsonFileError when the file as a whole is not something Cloudsift can read
 * (invalid JSON document, unknown shape); the caller rejects the file.
 */
export function findJsonRecords(buf: Buffer): JsonFileRecords {
  let values: Span[];
  const ends: ValueEnds = new Map();
  try {
    values = topLevelValues(buf, ends);
  } catch (e) {
    if (e instanceof JsonScanError) {
      // Several lines of JSON with one bad line: NDJSON, reject that line only.
      const ndjson = tryNdjsonLines(buf);
      if (ndjson) return ndjson;
      throw new JsonFileError(`invalid JSON: ${e.message}`);
    }
    throw e;
  }
  if (values.length === 0) throw new JsonFileError('empty JSON file');
  if (values.length === 1) return single(buf, values[0], ends);
  return ndjsonOf(buf, values, ends);
}

function single(buf: Buffer, v: Span, ends: ValueEnds): JsonFileRecords {
  const first = buf[v.start];
  if (first === 0x5b) {
    const out = emptyResult('cloudtrail', 'json-array', 'element');
    classifyElements(buf, arrayElements(buf, v.start, ends), out);
    return out;
  }
  if (first !== 0x7b) throw new JsonFileError('a JSON scalar is not a log file');
  const members = objectMembers(buf, v.start, ends);
  const keys = new Set(members.map((m) => m.key));
  const member = (k: string) => members.find((m) => m.key === k)?.value;

  if (keys.has('Records') && buf[member('Records')!.start] === 0x5b) {
    const out = emptyResult('cloudtrail', 'records-object', 'element');
    classifyElements(buf, arrayElements(buf, member('Records')!.start, ends), out);
    return out;
  }
  if (keys.has('Events') && buf[member('Events')!.start] === 0x5b) return lookupEvents(buf, member('Events')!, ends);
  if (keys.has('logEvents') && keys.has('messageType')) return cwlEnvelope(buf, members, ends);
  if (keys.has('findings') && buf[member('findings')!.start] === 0x5b) {
    const els = arrayElements(buf, member('findings')!.start, ends);
    const out = emptyResult('guardduty', 'findings-object', 'element');
    for (let i = 0; i < els.length; i++) out.records.push({ index: i, span: els[i], target: 'other_records', otherKind: 'guardduty' });
    return out;
  }
  const out = emptyResult('cloudtrail', 'json-object', 'element');
  classifyInto(buf, v, 0, out, true, ends);
  if (out.records.length === 0 && out.lines.length === 0) {
    throw new JsonFileError(`unrecognised JSON object (keys: ${[...keys].slice(0, 8).join(', ')})`);
  }
  out.kind = fileKind(out);
  return out;
}

function ndjsonOf(buf: Buffer, values: Span[], ends: ValueEnds): JsonFileRecords {
  const out = emptyResult('cloudtrail', 'ndjson', 'line');
  const lines = lineNumbersOf(buf, values.map((v) => v.start));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isEmptyWrapper(buf, v, ends)) continue;
    classifyInto(buf, v, lines[i], out, true, ends);
  }
  out.kind = fileKind(out);
  return out;
}

/** NDJSON where some lines are broken: each line is its own value. */
function tryNdjsonLines(buf: Buffer): JsonFileRecords | null {
  const out = emptyResult('cloudtrail', 'ndjson', 'line');
  let start = 0;
  let lineNo = 0;
  let good = 0;
  let bad = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    lineNo++;
    const s = skipWs(buf, start);
    if (s < end) {
      if (buf[s] !== 0x7b) return null;
      try {
        const vEnd = topLevelValues(buf.subarray(s, end));
        if (vEnd.length !== 1) throw new JsonScanError(s, 'more than one value on the line');
        const span = { start: s, end: s + vEnd[0].end };
        if (!isEmptyWrapper(buf, span)) classifyInto(buf, span, lineNo, out, true);
        good++;
      } catch (e) {
        bad++;
        out.rejects.push({ position: lineNo, positionKind: 'line', reason: `invalid JSON: ${(e as Error).message}`, excerpt: buf.toString('utf8', s, Math.min(end, s + EXCERPT)) });
      }
    }
    start = end + 1;
  }
  if (good === 0 || lineNo < 2 || bad === 0) return null;
  out.kind = fileKind(out);
  return out;
}

function isEmptyWrapper(buf: Buffer, v: Span, ends?: ValueEnds): boolean {
  if (buf[v.start] !== 0x7b) return false;
  const members = objectMembers(buf, v.start, ends);
  return members.length === 1 && ['findings', 'Records', 'Events', 'logEvents'].includes(members[0].key) && arrayElements(buf, members[0].value.start, ends).length === 0;
}

function lookupEvents(buf: Buffer, eventsSpan: Span, ends: ValueEnds): JsonFileRecords {
  const out = emptyResult('cloudtrail', 'lookup-events', 'element');
  const els = arrayElements(buf, eventsSpan.start, ends);
  for (let i = 0; i < els.length; i++) {
    const el = els[i];
    const m = objectMembers(buf, el.start).find((x) => x.key === 'CloudTrailEvent');
    if (!m || buf[m.value.start] !== 0x22) {
      out.rejects.push({ position: i, positionKind: 'element', reason: 'Events element has no CloudTrailEvent string', excerpt: buf.toString('utf8', el.start, Math.min(el.end, el.start + EXCERPT)) });
      continue;
    }
    // Event history nests each event as a JSON string; the event is its decoded text.
    const text = JSON.parse(buf.toString('utf8', m.value.start, m.value.end)) as string;
    out.records.push({ index: i, text, target: 'cloudtrail' });
  }
  out.kind = fileKind(out);
  return out;
}

function cwlEnvelope(buf: Buffer, members: { key: string; value: Span }[], ends: ValueEnds): JsonFileRecords {
  const out = emptyResult('cloudwatch-envelope', 'cwl-envelope', 'element');
  const type = JSON.parse(buf.toString('utf8', members.find((m) => m.key === 'messageType')!.value.start, members.find((m) => m.key === 'messageType')!.value.end)) as unknown;
  if (type === 'CONTROL_MESSAGE') return out;
  const els = arrayElements(buf, members.find((m) => m.key === 'logEvents')!.value.start, ends);
  let carried = 0;
  for (let i = 0; i < els.length; i++) {
    const ev = JSON.parse(buf.toString('utf8', els[i].start, els[i].end)) as { message?: unknown; timestamp?: unknown };
    const message = typeof ev.message === 'string' ? ev.message : null;
    const time = typeof ev.timestamp === 'number' ? ev.timestamp : undefined;
    if (message === null) {
      out.rejects.push({ position: i, positionKind: 'element', reason: 'logEvents element has no message string', excerpt: buf.toString('utf8', els[i].start, Math.min(els[i].end, els[i].start + EXCERPT)) });
      continue;
    }
    const trimmed = message.trimStart();
    if (trimmed.startsWith('{') && looksLikeCloudTrail(trimmed)) {
      out.records.push({ index: i, text: message, target: 'cloudtrail', envelopeTime: time });
    } else if (/^\d+ \S+ \S+ /.test(message)) {
      out.lines.push({ index: i, line: message });
      carried++;
    } else {
      out.records.push({ index: i, text: message, target: 'other_records', otherKind: 'cloudwatch', envelopeTime: time });
    }
  }
  if (out.records.length > 0 && out.records.every((r) => r.target === 'cloudtrail')) out.kind = 'cloudtrail';
  else if (carried > 0 && out.records.length === 0) out.kind = 'vpcflow';
  return out;
}

function looksLikeCloudTrail(text: string): boolean {
  return /"eventVersion"\s*:|"eventSource"\s*:|"eventName"\s*:/.test(text.slice(0, 4096));
}

/**
 * The elements of one array are records of one kind: the first object decides
 * the table for all (looking at every element's keys would cost more than the
 * rest of the import). Elements that are not objects are rejected.
 */
function classifyElements(buf: Buffer, els: Span[], out: JsonFileRecords): void {
  const firstObject = els.findIndex((e) => buf[e.start] === 0x7b);
  if (firstObject >= 0) classifyInto(buf, els[firstObject], firstObject, out);
  const proto = out.records[0];
  for (let i = 0; i < els.length; i++) {
    if (i === firstObject) continue;
    if (buf[els[i].start] !== 0x7b || !proto) {
      classifyInto(buf, els[i], i, out);
      continue;
    }
    out.records.push({ index: i, span: els[i], target: proto.target, otherKind: proto.otherKind });
  }
  out.records.sort((a, b) => a.index - b.index);
  out.kind = fileKind(out);
}

/** Decide the table of one JSON value and add it (or its carried line) to out. */
function classifyInto(buf: Buffer, v: Span, index: number, out: JsonFileRecords, topLevel = false, ends?: ValueEnds): void {
  if (buf[v.start] !== 0x7b) {
    out.rejects.push({ position: index, positionKind: out.positionKind, reason: 'record is not a JSON object', excerpt: buf.toString('utf8', v.start, Math.min(v.end, v.start + EXCERPT)) });
    return;
  }
  const members = objectMembers(buf, v.start, ends);
  const keys = new Set(members.map((m) => m.key));
  if (keys.has('digestStartTime') || (keys.has('logFiles') && keys.has('digestEndTime'))) {
    out.records.push({ index, span: v, target: 'digests' });
    return;
  }
  if (topLevel && keys.has('message') && keys.size <= 3 && !keys.has('eventVersion')) {
    const m = members.find((x) => x.key === 'message')!;
    if (buf[m.value.start] === 0x22) {
      out.lines.push({ index, line: JSON.parse(buf.toString('utf8', m.value.start, m.value.end)) as string });
      return;
    }
  }
  const other = otherKindOf(keys);
  if (other) {
    out.records.push({ index, span: v, target: 'other_records', otherKind: other });
    return;
  }
  if (keys.has('insightDetails')) out.insightRecords++;
  out.records.push({ index, span: v, target: 'cloudtrail' });
}

function otherKindOf(keys: Set<string>): OtherKind | null {
  if (keys.has('eventVersion') || keys.has('eventName') || keys.has('eventSource') || keys.has('eventTime')) return null;
  if (keys.has('schemaVersion') && keys.has('severity') && keys.has('type')) return 'guardduty';
  if (keys.has('webaclId') && keys.has('action')) return 'waf';
  if (keys.has('detail-type') && keys.has('source')) return 'eventbridge';
  return null;
}

function fileKind(out: JsonFileRecords): string {
  const targets = new Set(out.records.map((r) => (r.target === 'other_records' ? r.otherKind : r.target)));
  if (out.records.length === 0 && out.lines.length > 0) return 'vpcflow';
  if (targets.size === 1) {
    const t = [...targets][0]!;
    if (t === 'digests') return 'cloudtrail-digest';
    if (t === 'cloudtrail') return out.insightRecords > 0 ? 'cloudtrail-insight' : 'cloudtrail';
    return t;
  }
  return targets.size === 0 ? out.kind : 'mixed';
}

function emptyResult(kind: string, container: string, positionKind: PositionKind): JsonFileRecords {
  return { kind, container, positionKind, records: [], lines: [], rejects: [], insightRecords: 0 };
}
