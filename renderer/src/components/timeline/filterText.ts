import type { EntityKind, EventFilterSpec, EventSourceName } from '../../api/contract';

export const SOURCES: readonly EventSourceName[] = ['cloudtrail', 'vpc_flow', 'elb', 's3_access'];
export const SOURCE_LABELS: Record<EventSourceName, string> = { cloudtrail: 'CloudTrail', vpc_flow: 'VPC flow', elb: 'ELB', s3_access: 'S3 access' };

/** The outcome choices the bar offers, as the engine's outcome lists. */
export const OUTCOME_CHOICES: { label: string; outcomes: string[] | undefined }[] = [
  { label: 'any outcome', outcomes: undefined },
  { label: 'success', outcomes: ['success'] },
  { label: 'failed (denied, error, reject)', outcomes: ['denied', 'error', 'reject'] },
  { label: 'denied', outcomes: ['denied'] },
  { label: 'error', outcomes: ['error'] },
  { label: 'reject', outcomes: ['reject'] },
];

export const ENTITY_KIND_LABELS: Record<EntityKind, string> = {
  ip: 'IP',
  principal: 'principal',
  access_key: 'access key',
  session: 'session',
  instance: 'instance',
  eni: 'ENI',
  bucket: 'bucket',
};

/** An ISO time as the bar shows it: UTC, to the second (or finer when the time has it). */
export function timeInputText(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
}

/** What the user typed in a UTC time box, as ISO 8601; null when it is not a time. Blank is undefined. */
export function parseTimeInput(text: string): string | undefined | null {
  const t = text.trim().replace(/\s*UTC$/i, '');
  if (!t) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?Z?$/.exec(t);
  if (!m) return null;
  const iso = `${m[1]}T${m[2] ?? '00:00'}${m[2] && m[2].length === 5 ? ':00' : ''}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

export function sameOutcomes(a: string[] | undefined, b: string[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** A filter without empty parts, so that equal filters compare (and cache) equal. */
export function cleanFilter(f: EventFilterSpec): EventFilterSpec {
  const out: EventFilterSpec = {};
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  if (f.sources && f.sources.length > 0 && f.sources.length < SOURCES.length) out.sources = SOURCES.filter((s) => f.sources!.includes(s));
  if (f.entities && f.entities.length > 0) out.entities = f.entities;
  if (f.text && f.text.trim()) out.text = f.text.trim();
  if (f.outcomes && f.outcomes.length > 0) out.outcomes = f.outcomes;
  return out;
}
