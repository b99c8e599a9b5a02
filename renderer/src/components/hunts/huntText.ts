import type { HuntParamInfo, HuntParamValueInfo, HuntRunInfo } from '../../api/contract';

/** What a new hunt starts as: the header the engine needs, and one parameter to show how they bind. */
export const NEW_HUNT_TEXT = `-- @id: my-hunt
-- @title: My hunt
-- @description: What this looks for, and why.
-- @attack: T1078
-- @param since timestamptz = 2000-01-01T00:00:00Z  -- only events from this time on
SELECT event_time, event_name, user_arn, source_ip
FROM cloudtrail
WHERE event_time >= $since
ORDER BY event_time
LIMIT 100
`;

const SCRATCH_ID = 'scratch';

const headerKey = (line: string): string | null => line.match(/^\s*--\s*@([a-zA-Z_][\w-]*)/)?.[1].toLowerCase() ?? null;

/** The comment lines before the SQL, as the engine reads them. */
export function headerLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  for (const line of lines) {
    if (!/^\s*(--.*)?$/.test(line)) break;
    out.push(line);
  }
  return out;
}

function hasKey(text: string, key: string): boolean {
  return headerLines(text).some((l) => headerKey(l) === key);
}

/** Whether the text names itself: only such a text can be saved to the library. */
export function isNamedHunt(text: string): boolean {
  return hasKey(text, 'id') && hasKey(text, 'title');
}

/**
 * An ad-hoc query (no @id or @title yet) runs as the hunt "scratch", so that
 * trying a SELECT needs no ceremony and is still recorded in the history.
 */
export function runnableText(text: string): string {
  const missing = [hasKey(text, 'id') ? null : `-- @id: ${SCRATCH_ID}`, hasKey(text, 'title') ? null : '-- @title: Ad-hoc query'].filter((l) => l !== null);
  return missing.length ? `${missing.join('\n')}\n${text}` : text;
}

/** The text with its @id line set to `id` (a copy saved under another name). */
export function withId(text: string, id: string): string {
  const lines = text.split('\n');
  const header = headerLines(text).length;
  const at = lines.findIndex((l, i) => i < header && headerKey(l) === 'id');
  if (at >= 0) lines[at] = `-- @id: ${id}`;
  else lines.unshift(`-- @id: ${id}`);
  return lines.join('\n');
}

/** What a form field shows for a value: lists as comma-separated text unless an item holds a comma. */
export function valueText(v: HuntParamValueInfo): string | boolean {
  if (v === null) return '';
  if (Array.isArray(v)) return v.some((x) => x.includes(',')) ? JSON.stringify(v) : v.join(', ');
  return typeof v === 'boolean' ? v : String(v);
}

export const paramKey = (p: HuntParamInfo) => `${p.name}:${p.type}`;

/**
 * The values to send, as the form shows them: text (the engine coerces it by
 * the declared type, as the CLI's --param) and booleans. An empty field
 * leaves the hunt's default in force, unless the hunter emptied a text field.
 */
export function paramsToSend(params: HuntParamInfo[], edits: Record<string, string | boolean>): Record<string, HuntParamValueInfo> {
  const out: Record<string, HuntParamValueInfo> = {};
  for (const p of params) {
    const v = edits[paramKey(p)] ?? valueText(p.default);
    if (p.type === 'boolean') out[p.name] = v === true;
    else if (typeof v === 'string' && (v.trim() !== '' || ((p.type === 'varchar' || p.type === 'varchar[]') && paramKey(p) in edits))) out[p.name] = v;
  }
  return out;
}

/** Form edits that reproduce a recorded run's values. */
export function editsFromRun(params: HuntParamInfo[], run: HuntRunInfo): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const p of params) if (p.name in run.parameters) out[paramKey(p)] = valueText(run.parameters[p.name]);
  return out;
}

function inferType(v: HuntParamValueInfo): HuntParamInfo['type'] {
  if (Array.isArray(v)) return 'varchar[]';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'bigint' : 'double';
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(v) && !Number.isNaN(Date.parse(v))) return 'timestamptz';
  return 'varchar';
}

function headerDefault(v: HuntParamValueInfo, type: HuntParamInfo['type']): string {
  if (v === null) return '';
  if (Array.isArray(v)) return ` = ${JSON.stringify(v)}`;
  // Text is quoted so that "--" or spaces in it stay part of the value.
  if (type === 'varchar') return ` = '${String(v).split("'").join("''")}'`;
  return ` = ${String(v)}`;
}

/**
 * A recorded run back as a hunt file. The run keeps the SQL and the values,
 * not the header: the library's header is used when the hunt is still there,
 * otherwise one is written with each parameter typed from its recorded value.
 */
export function textFromRun(run: HuntRunInfo, libraryHeader: string[] | null): string {
  const header = libraryHeader ?? [
    `-- @id: ${run.hunt_id}`,
    `-- @title: ${run.title.replace(/\s*\n\s*/g, ' ')}`,
    ...Object.entries(run.parameters).map(([name, v]) => `-- @param ${name} ${inferType(v)}${headerDefault(v, inferType(v))}`),
  ];
  const kept = header.filter((l) => l.trim() !== '');
  return `${kept.join('\n')}\n${run.sql_text.trim()}\n`;
}
