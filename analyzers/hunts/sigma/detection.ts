import { quoteIdent } from '../../store/schema';
import { SigmaRuleError, SigmaUnsupportedError } from './errors';
import { fieldTarget, type FieldTarget } from './fieldMap';
import type { ParamSink } from './params';
import { toRe2 } from './regexCheck';
import { isScalarNode, scalarText, type SigmaNode, type SigmaScalar } from './ruleYaml';
import { literalString, parseSigmaString, stringMatch, windashRegex, withWildcards, type Piece } from './sigmaString';
import { all, any, leaf, not, type SqlNode } from './sqlTree';

export interface DetectionContext {
  params: ParamSink;
  warn: (w: string) => void;
}

/** Modifiers that change the bytes matched (encodings) or need a processing pipeline: reported, never ignored. */
const UNSUPPORTED: Record<string, string> = {
  base64: 'CloudTrail fields are matched as written, and the base64 form of a value is not searched',
  base64offset: 'CloudTrail fields are matched as written, and the base64 forms of a value are not searched',
  utf16: 'UTF-16 encodings do not occur in CloudTrail JSON',
  utf16le: 'UTF-16 encodings do not occur in CloudTrail JSON',
  utf16be: 'UTF-16 encodings do not occur in CloudTrail JSON',
  wide: 'UTF-16 encodings do not occur in CloudTrail JSON',
  expand: 'placeholders (%name%) need values from a processing pipeline, which hunts do not have',
};
const STRING_MODS = ['contains', 'startswith', 'endswith', 'windash', 'cased'];
const REGEX_FLAGS: Record<string, string> = { i: 'i', ignorecase: 'i', m: 'm', multiline: 'm', s: 's', dotall: 's' };
const COMPARE: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };
const TIME_PARTS: Record<string, string> = { minute: 'minute', hour: 'hour', day: 'day', week: 'week', month: 'month', year: 'year' };
/** Modifiers that decide what kind of match an item is; an item has at most one. */
const KINDS = ['re', 'cidr', 'exists', 'fieldref', ...Object.keys(COMPARE), ...Object.keys(TIME_PARTS)];
const KNOWN = new Set([...STRING_MODS, ...Object.keys(REGEX_FLAGS), ...KINDS, 'all', 'neq']);

const RAW: FieldTarget = { field: '', jsonPath: '$', text: quoteIdent('raw'), native: quoteIdent('raw'), type: 'VARCHAR', many: false };

/** One search identifier's definition, as pySigma reads it: a map is AND, a list is OR, plain values are keywords. */
export function compileSearch(name: string, def: SigmaNode, ctx: DetectionContext): SqlNode {
  if (def.kind === 'map') {
    if (def.entries.length === 0) throw new SigmaRuleError(`search '${name}' is empty`);
    return all(def.entries.map(([key, value]) => compileItem(name, key, value, ctx)));
  }
  if (def.kind === 'list') {
    if (def.items.length === 0) throw new SigmaRuleError(`search '${name}' is empty`);
    if (def.items.every(isScalarNode)) return compileItem(name, null, def, ctx);
    return any(def.items.map((item) => compileSearch(name, item, ctx)));
  }
  return compileItem(name, null, def, ctx);
}

interface Item {
  where: string;
  target: FieldTarget;
  keyword: boolean;
  mods: Set<string>;
  values: SigmaScalar[];
  ctx: DetectionContext;
}

function compileItem(search: string, key: string | null, value: SigmaNode, ctx: DetectionContext): SqlNode {
  const [field, ...modList] = (key ?? '').split('|');
  const where = `${search}: ${key ?? 'keywords'}`;
  for (const m of modList) {
    if (Object.hasOwn(UNSUPPORTED, m)) throw new SigmaUnsupportedError(`modifier '${m}'`, `${where}: the '${m}' modifier is not supported (${UNSUPPORTED[m]})`);
    if (!KNOWN.has(m)) throw new SigmaUnsupportedError(`modifier '${m}'`, `${where}: '${m}' is not a Sigma modifier this compiler knows`);
  }
  const mods = new Set(modList);
  const raw = value.kind === 'list' ? value.items : [value];
  const values = raw.map((v) => {
    if (!isScalarNode(v)) throw new SigmaRuleError(`${where}: values must be plain values or a list of them`);
    return v;
  });
  const keyword = field === '';
  if (keyword) ctx.warn(`${search}: keywords are searched in each record's JSON text as written in the log file`);
  const item: Item = { where, target: keyword ? RAW : fieldTarget(field, ctx.warn), keyword, mods, values, ctx };
  const node = matchItem(item);
  return mods.has('neq') ? not(node) : node;
}

function matchItem(item: Item): SqlNode {
  const { mods, where } = item;
  const kinds = KINDS.filter((k) => mods.has(k));
  const combination = () => new SigmaUnsupportedError(`modifier combination '${[...mods].join('|')}'`, `${where}: the modifiers ${[...mods].map((m) => `'${m}'`).join(', ')} cannot be combined`);
  if (kinds.length > 1) throw combination();
  const flags = Object.keys(REGEX_FLAGS).filter((f) => mods.has(f));
  if (flags.length > 0 && kinds[0] !== 're') throw new SigmaRuleError(`${where}: the '${flags[0]}' modifier applies only to 're'`);
  const kind = kinds[0];
  const allowOnly = (allowed: string[]) => {
    for (const m of mods) if (m !== kind && !allowed.includes(m)) throw combination();
  };
  if (item.values.length === 0) {
    if (item.keyword) throw new SigmaRuleError(`${where}: an empty keyword list`);
    return leaf(isNull(item.target));
  }
  if (item.keyword && kind !== undefined && kind !== 're') throw new SigmaRuleError(`${where}: '${kind}' needs a field`);
  switch (kind) {
    case undefined:
      return stringItem(item);
    case 're':
      allowOnly([...Object.keys(REGEX_FLAGS), 'all', 'neq', 'contains', 'startswith', 'endswith']);
      return regexItem(item, flags.map((f) => REGEX_FLAGS[f]));
    case 'cidr':
      allowOnly(['all', 'neq']);
      return cidrItem(item);
    case 'exists':
      allowOnly([]);
      return existsItem(item);
    case 'fieldref':
      allowOnly(['contains', 'startswith', 'endswith', 'cased', 'all', 'neq']);
      return fieldrefItem(item);
    default:
      allowOnly(['all', 'neq']);
      return COMPARE[kind] ? numberItem(item, (s, ref) => `TRY_CAST(${s} AS DOUBLE) ${COMPARE[kind]} ${ref}`) : timePartItem(item, TIME_PARTS[kind]);
  }
}

/** A NULL-safe leaf: for a field inside a JSON array, true when some element passes. */
function predicate(target: FieldTarget, inner: (s: string) => string): SqlNode {
  if (!target.many) return leaf(`coalesce(${inner(target.text)}, false)`);
  return leaf(`coalesce(len(list_filter(${target.text}, lambda sv: ${inner('sv')})) > 0, false)`);
}

function isNull(t: FieldTarget): string {
  return t.many ? `coalesce(len(${t.text}) = 0, true)` : `(${t.native} IS NULL)`;
}

/** Values linked as the rule says: any of them, or all of them with `|all`. */
function link(item: Item, parts: ((s: string) => string)[], extra: SqlNode[] = []): SqlNode {
  if (item.mods.has('all')) return all([...parts.map((p) => predicate(item.target, p)), ...extra]);
  const nodes = parts.length > 0 ? [predicate(item.target, (s) => parts.map((p) => p(s)).join(' OR '))] : [];
  return any([...nodes, ...extra]);
}

function describe(item: Item, what?: string): string {
  return what ? `${item.where} (${what})` : item.where;
}

function stringItem(item: Item): SqlNode {
  const { mods, target, ctx } = item;
  const cased = mods.has('cased');
  const stringMods = STRING_MODS.some((m) => mods.has(m));
  const lc = (e: string) => (cased ? e : `lower(${e})`);
  const parts: ((s: string) => string)[] = [];
  const nulls: SqlNode[] = [];
  const equals: string[] = [];
  for (const v of item.values) {
    if (v.kind === 'null') {
      if (item.keyword) throw new SigmaRuleError(`${item.where}: null is not a keyword`);
      if (stringMods) throw new SigmaRuleError(`${item.where}: null cannot take string modifiers`);
      nulls.push(leaf(isNull(target)));
      continue;
    }
    if (v.kind === 'boolean' && !item.keyword) {
      if (stringMods) throw new SigmaRuleError(`${item.where}: ${v.value} is not a string`);
      const ref = ctx.params.boolean(v.value, describe(item));
      parts.push(target.type === 'BOOLEAN' ? () => `${target.native} = ${ref}` : (s) => `lower(${s}) = CAST(${ref} AS VARCHAR)`);
      continue;
    }
    if (v.kind === 'number' && !item.keyword && !stringMods) {
      const ref = ctx.params.number(v.value, describe(item));
      parts.push((s) => `TRY_CAST(${s} AS DOUBLE) = ${ref}`);
      continue;
    }
    let pieces: Piece[] = v.kind === 'string' ? parseSigmaString(v.value) : literalString(scalarText(v));
    const contains = item.keyword || mods.has('contains');
    pieces = withWildcards(pieces, contains || mods.has('endswith'), contains || mods.has('startswith'));
    if (mods.has('windash')) {
      const w = windashRegex(pieces, cased);
      if (w.expanded) {
        const ref = ctx.params.text(w.pattern, describe(item, 'RE2 regular expression'));
        parts.push((s) => `regexp_matches(${s}, ${ref})`);
        continue;
      }
    }
    const m = stringMatch(pieces);
    if (m.how === 'equals') {
      equals.push(m.value);
    } else if (m.how === 'like') {
      const ref = ctx.params.text(m.pattern, describe(item, 'LIKE pattern'));
      parts.push((s) => `${lc(s)} LIKE ${lc(ref)}${m.escape ? ` ESCAPE '\\'` : ''}`);
    } else {
      const [fn, what] = { contains: ['contains', 'substring'], startswith: ['starts_with', 'prefix'], endswith: ['ends_with', 'suffix'] }[m.how];
      const ref = ctx.params.text(m.value, describe(item, what));
      parts.push((s) => `${fn}(${lc(s)}, ${lc(ref)})`);
    }
  }
  const listRef = equals.length > 1 && !mods.has('all') ? ctx.params.list(equals, describe(item, 'any of')) : null;
  if (listRef) {
    const list = cased ? listRef : `list_transform(${listRef}, lambda pv: lower(pv))`;
    parts.unshift((s) => `list_contains(${list}, ${lc(s)})`);
  } else {
    const refs = equals.map((e) => ctx.params.text(e, describe(item)));
    parts.unshift(...refs.map((ref) => (s: string) => `${lc(s)} = ${lc(ref)}`));
  }
  return link(item, parts, nulls);
}

function textValue(item: Item, v: SigmaScalar): string {
  if (v.kind === 'string' || v.kind === 'number') return scalarText(v);
  throw new SigmaRuleError(`${item.where}: ${v.kind === 'null' ? 'null' : String(v.value)} is not a string`);
}

function regexItem(item: Item, flags: string[]): SqlNode {
  const anchoring = ['contains', 'startswith', 'endswith'].filter((m) => item.mods.has(m));
  if (anchoring.length > 0) {
    item.ctx.warn(`${item.where}: '${anchoring[0]}' does not change a regular expression, which matches anywhere in the value (as in pySigma)`);
  }
  const prefix = flags.length > 0 ? `'(?${[...new Set(flags)].sort().join('')})' || ` : '';
  const parts = item.values.map((v) => {
    const ref = item.ctx.params.text(toRe2(textValue(item, v), item.where), describe(item, 'RE2 regular expression'));
    return (s: string) => `regexp_matches(${s}, ${prefix}${ref})`;
  });
  return link(item, parts);
}

const IPV4 = `'(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}'`;

/** An IPv4 address as an integer, NULL for anything else (service names, "AWS Internal", IPv6). */
function ipv4Int(e: string): string {
  const octet = (n: number) => `TRY_CAST(split_part(${e}, '.', ${n}) AS BIGINT)`;
  return `(CASE WHEN regexp_full_match(${e}, ${IPV4}) THEN ${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)} END)`;
}

function cidrItem(item: Item): SqlNode {
  const parts = item.values.map((v) => {
    const text = textValue(item, v).trim();
    if (text.includes(':')) throw new SigmaUnsupportedError("modifier 'cidr' with an IPv6 network", `${item.where}: '${text}' is an IPv6 network; only IPv4 networks are compiled`);
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || (m[5] !== undefined && Number(m[5]) > 32)) {
      throw new SigmaRuleError(`${item.where}: '${text}' is not an IPv4 network`);
    }
    const ref = item.ctx.params.text(m[5] === undefined ? `${text}/32` : text, describe(item, 'IPv4 network'));
    const shift = `(32 - TRY_CAST(split_part(${ref}, '/', 2) AS INTEGER))`;
    return (s: string) => `${ipv4Int(s)} >> ${shift} = ${ipv4Int(`split_part(${ref}, '/', 1)`)} >> ${shift}`;
  });
  return link(item, parts);
}

function existsItem(item: Item): SqlNode {
  const v = item.values[0];
  if (item.values.length !== 1 || v.kind !== 'boolean') throw new SigmaRuleError(`${item.where}: 'exists' takes true or false`);
  const ref = item.ctx.params.boolean(v.value, describe(item));
  const t = item.target;
  const present = t.many ? `coalesce(len(${t.text}) > 0, false)` : `json_exists(${quoteIdent('raw')}, '${t.jsonPath.replaceAll("'", "''")}')`;
  return leaf(`coalesce(${present} = ${ref}, false)`);
}

function fieldrefItem(item: Item): SqlNode {
  const cased = item.mods.has('cased');
  const lc = (e: string) => (cased ? e : `lower(${e})`);
  const m = item.mods;
  const fn = m.has('contains') || (m.has('startswith') && m.has('endswith')) ? 'contains' : m.has('startswith') ? 'starts_with' : m.has('endswith') ? 'ends_with' : null;
  if (item.target.many) throw new SigmaUnsupportedError("modifier 'fieldref' on a field inside a JSON array", `${item.where}: 'fieldref' on a field inside a JSON array`);
  const parts = item.values.map((v) => {
    const other = fieldTarget(textValue(item, v), item.ctx.warn);
    if (other.many) throw new SigmaUnsupportedError("modifier 'fieldref' on a field inside a JSON array", `${item.where}: 'fieldref' to a field inside a JSON array`);
    return (s: string) => (fn ? `${fn}(${lc(s)}, ${lc(other.text)})` : `${lc(s)} = ${lc(other.text)}`);
  });
  return link(item, parts);
}

function numberItem(item: Item, cmp: (s: string, ref: string) => string): SqlNode {
  const parts = item.values.map((v) => {
    if (v.kind !== 'number') throw new SigmaRuleError(`${item.where}: ${v.kind === 'string' ? `'${v.value}'` : v.kind} is not a number`);
    if (!Number.isFinite(v.value)) throw new SigmaRuleError(`${item.where}: ${v.text} is not a finite number`);
    const ref = item.ctx.params.number(v.value, describe(item));
    return (s: string) => cmp(s, ref);
  });
  return link(item, parts);
}

function timePartItem(item: Item, part: string): SqlNode {
  const ts = (s: string) => (item.target.field === 'eventTime' ? quoteIdent('event_time') : `TRY_CAST(${s} AS TIMESTAMPTZ)`);
  return numberItem(item, (s, ref) => `extract(${part} FROM ${ts(s)}) = ${ref}`);
}
