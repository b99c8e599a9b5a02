/**
 * A hunt is a plain .sql file: a header of `-- @key value` comment lines,
 * then one SELECT. Hunters version and share them as files, so the format is
 * what a person would write by hand:
 *
 *   -- @id: CS-H-001
 *   -- @title: First-seen API calls per principal
 *   -- @description: Calls a principal makes for the first time after a baseline.
 *   -- @author: Cloudsift
 *   -- @attack: T1087, T1526
 *   -- @tags: discovery, baseline
 *   -- @param since timestamptz = 2024-01-01T00:00:00Z  -- start of the period
 *   -- @param min_count integer = 5                     -- ignore rarer calls
 *   SELECT ... WHERE event_time >= $since ...
 *
 * Parameters are bound as named parameters ($since), never pasted into SQL.
 */

export const PARAM_TYPES = ['timestamptz', 'date', 'varchar', 'integer', 'bigint', 'double', 'boolean', 'varchar[]'] as const;
export type HuntParamType = (typeof PARAM_TYPES)[number];

export type HuntParamValue = string | number | boolean | string[] | null;

export interface HuntParam {
  name: string;
  type: HuntParamType;
  default: HuntParamValue;
  description: string;
}

export interface Hunt {
  id: string;
  title: string;
  description: string;
  author: string;
  attack: string[];
  tags: string[];
  /** Sigma provenance and other keys the header carries. */
  meta: Record<string, string>;
  params: HuntParam[];
  sql: string;
  /** The file as written, header included. */
  text: string;
}

export class HuntFormatError extends Error {}

const KNOWN_KEYS = new Set(['id', 'title', 'description', 'author', 'attack', 'tags', 'param']);
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ATTACK_PATTERN = /^(T\d{4}(\.\d{3})?|TA\d{4})$/;

export function parseHunt(text: string, origin = 'hunt'): Hunt {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fields: Record<string, string[]> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const m = line.match(/^\s*--\s*@([a-zA-Z_][\w-]*)\s*:?\s*(.*)$/);
    if (m) {
      (fields[m[1].toLowerCase()] ??= []).push(m[2].trim());
      continue;
    }
    if (/^\s*(--.*)?$/.test(line)) continue;
    break;
  }
  const sql = lines.slice(i).join('\n').trim().replace(/;\s*$/, '');
  const one = (k: string): string | undefined => fields[k]?.[fields[k].length - 1];
  const id = one('id');
  if (!id) throw new HuntFormatError(`${origin}: missing '-- @id:' header`);
  if (!ID_PATTERN.test(id)) throw new HuntFormatError(`${origin}: id '${id}' must be letters, digits, '.', '_' or '-'`);
  const title = one('title');
  if (!title) throw new HuntFormatError(`${origin}: missing '-- @title:' header`);
  if (!sql) throw new HuntFormatError(`${origin}: no SQL after the header`);
  const attack = splitList(one('attack'));
  for (const a of attack) if (!ATTACK_PATTERN.test(a)) throw new HuntFormatError(`${origin}: '${a}' is not an ATT&CK id`);
  const params = (fields.param ?? []).map((p) => parseParam(p, origin));
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) throw new HuntFormatError(`${origin}: parameter '${p.name}' declared twice`);
    seen.add(p.name);
  }
  const used = new Set([...sqlWithoutStringsAndComments(sql).matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => m[1]));
  for (const u of used) if (!seen.has(u)) throw new HuntFormatError(`${origin}: $${u} is used but not declared with '-- @param'`);
  if (/\$\d+/.test(sqlWithoutStringsAndComments(sql))) throw new HuntFormatError(`${origin}: use named parameters ($name), not positional ones`);
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (!KNOWN_KEYS.has(k)) meta[k] = v.join('\n');
  return {
    id,
    title,
    description: (fields.description ?? []).join(' ').trim(),
    author: one('author') ?? '',
    attack,
    tags: splitList(one('tags')),
    meta,
    params,
    sql,
    text,
  };
}

function parseParam(spec: string, origin: string): HuntParam {
  // name type [= default] [-- description]; a quoted default or a JSON list may itself hold "--".
  const m = spec.match(/^([A-Za-z_]\w*)\s+([a-zA-Z]+(?:\[\])?)\s*(.*)$/);
  if (!m) throw new HuntFormatError(`${origin}: cannot read '@param ${spec}' (expected: name type = default -- description)`);
  const type = m[2].toLowerCase() as HuntParamType;
  if (!PARAM_TYPES.includes(type)) throw new HuntFormatError(`${origin}: parameter '${m[1]}' has unknown type '${m[2]}' (one of ${PARAM_TYPES.join(', ')})`);
  let rest = m[3];
  let raw: string | undefined;
  if (rest.startsWith('=')) {
    rest = rest.slice(1).trimStart();
    const end = defaultEnd(rest);
    if (end < 0) throw new HuntFormatError(`${origin}: the default of '${m[1]}' has an unclosed quote or list`);
    raw = rest.slice(0, end).trim();
    rest = rest.slice(end).trim();
  }
  if (rest !== '' && !rest.startsWith('--')) throw new HuntFormatError(`${origin}: cannot read '@param ${spec}' (expected: name type = default -- description)`);
  const def = raw === undefined || raw === '' ? null : coerceParam(type, raw, `${origin}: default of '${m[1]}'`);
  return { name: m[1], type, default: def, description: rest.replace(/^--/, '').trim() };
}

/** Where a default ends: after its closing quote or bracket, else at the first "--"; -1 if a quote or list is left open. */
function defaultEnd(text: string): number {
  const q = text[0];
  if (q === "'" || q === '"') {
    for (let i = 1; i < text.length; i++) {
      if (text[i] !== q) continue;
      if (text[i + 1] === q) i++;
      else return i + 1;
    }
    return -1;
  }
  if (q === '[') {
    let inString = false;
    for (let i = 1; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === ']') return i + 1;
    }
    return -1;
  }
  const dash = text.indexOf('--');
  return dash < 0 ? text.length : dash;
}

/** Turn text (a header default or a --param value) into a typed value; throws with a clear message. */
export function coerceParam(type: HuntParamType, raw: string, what: string): HuntParamValue {
  const v = raw.trim();
  if (v.toLowerCase() === 'null') return null;
  switch (type) {
    case 'integer':
    case 'bigint': {
      if (!/^-?\d+$/.test(v)) throw new HuntFormatError(`${what}: '${v}' is not an integer`);
      return Number(v);
    }
    case 'double': {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new HuntFormatError(`${what}: '${v}' is not a number`);
      return n;
    }
    case 'boolean': {
      if (!/^(true|false)$/i.test(v)) throw new HuntFormatError(`${what}: '${v}' is not true or false`);
      return v.toLowerCase() === 'true';
    }
    case 'timestamptz': {
      if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/.test(v) || Number.isNaN(Date.parse(v))) {
        throw new HuntFormatError(`${what}: '${v}' is not an ISO 8601 time`);
      }
      return v;
    }
    case 'date': {
      if (!/^\d{4}-\d\d-\d\d$/.test(v)) throw new HuntFormatError(`${what}: '${v}' is not a date (YYYY-MM-DD)`);
      return v;
    }
    case 'varchar[]':
      if (v.startsWith('[')) {
        const arr = JSON.parse(v) as unknown;
        if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'string')) throw new HuntFormatError(`${what}: expected a JSON list of strings`);
        return arr as string[];
      }
      return splitList(v);
    default:
      return unquote(v);
  }
}

function unquote(v: string): string {
  const q = v[0];
  if (v.length >= 2 && (q === "'" || q === '"') && v.endsWith(q)) return v.slice(1, -1).split(q + q).join(q);
  return v;
}

/** A varchar default as the header must carry it: quoted when it would otherwise be read differently. */
function headerDefault(v: string | number | boolean): string {
  if (typeof v !== 'string' || (v === v.trim() && v !== '' && !v.includes('--') && !/^['"]/.test(v) && v.toLowerCase() !== 'null')) return String(v);
  return `'${v.split("'").join("''")}'`;
}

function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => unquote(s.trim()))
    .filter((s) => s !== '');
}

/** SQL with string literals, quoted identifiers and comments blanked, for scanning parameter names. */
export function sqlWithoutStringsAndComments(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) => ' '.repeat(m.length));
}

/** A hunt file's text from its parts: how created and edited hunts are written. */
export function formatHunt(h: Omit<Hunt, 'text'>): string {
  const lines = [`-- @id: ${h.id}`, `-- @title: ${oneLine(h.title)}`];
  if (h.description) lines.push(`-- @description: ${oneLine(h.description)}`);
  if (h.author) lines.push(`-- @author: ${oneLine(h.author)}`);
  if (h.attack.length) lines.push(`-- @attack: ${h.attack.join(', ')}`);
  if (h.tags.length) lines.push(`-- @tags: ${h.tags.join(', ')}`);
  for (const [k, v] of Object.entries(h.meta)) for (const part of v.split('\n')) lines.push(`-- @${k}: ${oneLine(part)}`);
  for (const p of h.params) {
    const def = p.default === null ? '' : ` = ${Array.isArray(p.default) ? JSON.stringify(p.default) : headerDefault(p.default)}`;
    lines.push(`-- @param ${p.name} ${p.type}${def}${p.description ? `  -- ${oneLine(p.description)}` : ''}`);
  }
  return `${lines.join('\n')}\n${h.sql.trim()}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
