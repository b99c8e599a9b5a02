import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_COLUMNS } from '../store/schema';
import { TACTICS, TECHNIQUE_ID } from './attack';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PARAM_TYPES = ['VARCHAR', 'INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR[]', 'INTEGER[]'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];
export type ParamValue = string | number | boolean | string[] | number[];

/** The tables a rule may read. */
export const RULE_SOURCES = ['cloudtrail', 'vpc_flow', 'elb', 's3_access'] as const;
export type RuleSource = (typeof RULE_SOURCES)[number];
const READABLE_TABLES = new Set<string>([...RULE_SOURCES, 'sources']);
const TYPED_CLOUDTRAIL = new Set(CLOUDTRAIL_COLUMNS.filter((c) => !c.generated && c.name !== 'raw').map((c) => c.name));
/** CloudTrail columns read from raw: the JSON parts, and raw itself. */
const CLOUDTRAIL_DETAIL = new Set(CLOUDTRAIL_COLUMNS.filter((c) => c.generated || c.name === 'raw').map((c) => c.name));
/** A string constant that may be an event name (CreateUser, StopLogging, ...). */
const EVENT_NAME_LIKE = /^[A-Z][A-Za-z0-9]{2,127}$/;

/** Folder under rules/ → the id prefix its files use. */
export const FOLDER_PREFIX: Record<string, string> = { cloudtrail: 'CT', vpc: 'VPC', elb: 'ELB', s3: 'S3', cross: 'X' };
const ID_PATTERN = /^CS-(CT|VPC|ELB|S3|X)-\d{3}$/;
const PARAM_NAME = /^[a-z][a-z0-9_]*$/;
/** Names the runner binds itself. */
const RESERVED_PARAM_PREFIX = 'cs_';

export interface ParamDef {
  type: ParamType;
  default: ParamValue;
  description: string;
  /** A shared case setting (e.g. allow.admin_networks) that supplies the value when no rule-specific one is set. */
  setting?: string;
}

export interface SampleSet {
  name: string;
  /** Parameter values for this set only, set as case settings before the rule runs. */
  parameters: Record<string, ParamValue>;
  cloudtrail?: Record<string, unknown>[];
  vpc_flow?: string[];
  elb?: string[];
  s3_access?: string[];
}

export const SAMPLE_KINDS = ['cloudtrail', 'vpc_flow', 'elb', 's3_access'] as const;

export interface Rule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  attack: { tactics: string[]; techniques: string[] };
  sources: RuleSource[];
  parameters: Record<string, ParamDef>;
  falsePositives: string[];
  sql: string;
  samples: { positive: SampleSet[]; negative: SampleSet[] };
  /** Path of the rule file, relative to the rules folder. */
  file: string;
  /** SHA-256 of the file's bytes: the rule's version. */
  sha256: string;
  /** Ways the SQL is known to run slower than it must (not errors; the rule test reports them). */
  advice: string[];
  /**
   * What the rule reads of CloudTrail beyond the typed columns: the columns
   * computed from raw that it names, and the event names its SQL mentions
   * (every capitalised string constant). Both empty when it names none of
   * those columns. The runner parses these once per run for all rules.
   */
  cloudtrailDetail: { columns: string[]; eventNames: string[] };
}

export class RuleLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in investigation files:\n  ${problems.join('\n  ')}`);
  }
}

export const DEFAULT_RULES_DIR = fileURLToPath(new URL('./rules', import.meta.url));

const TOP_KEYS = ['id', 'title', 'description', 'severity', 'attack', 'sources', 'parameters', 'false_positives', 'sql', 'samples'];

export interface LoadRulesOptions {
  /**
   * Parse and check the sample sets too (the rule test does). Running
   * investigations does not need them, and they are most of each file's
   * YAML, so by default only the part before the top-level `samples:` key is
   * parsed.
   */
  samples?: boolean;
  /** A connection to parse SQL with; default: a private in-memory DuckDB. */
  conn?: DuckDBConnection;
}

/**
 * Load and validate every rule file under dir. All problems in all files are
 * collected and thrown together, so one run shows everything to fix.
 */
export async function loadRules(dir: string = DEFAULT_RULES_DIR, options: LoadRulesOptions = {}): Promise<Rule[]> {
  const problems: string[] = [];
  const rules: Rule[] = [];
  const instance = options.conn ? undefined : await DuckDBInstance.create(':memory:');
  const conn = options.conn ?? (await instance!.connect());
  try {
    for (const file of ruleFiles(dir)) {
      const rel = path.relative(dir, file).split(path.sep).join('/');
      const bytes = fs.readFileSync(file);
      const fileProblems: string[] = [];
      const rule = parseRule(bytes.toString('utf8'), rel, fileProblems, options.samples ?? false);
      if (rule) {
        rule.sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
        await checkSql(conn, rule, fileProblems);
      }
      if (fileProblems.length > 0) problems.push(...fileProblems.map((p) => `${rel}: ${p}`));
      else if (rule) rules.push(rule);
    }
  } finally {
    if (instance) {
      conn.closeSync();
      instance.closeSync();
    }
  }
  const seen = new Map<string, string>();
  for (const r of rules) {
    const other = seen.get(r.id);
    if (other) problems.push(`${r.file}: id ${r.id} is also used by ${other}`);
    else seen.set(r.id, r.file);
  }
  if (problems.length > 0) throw new RuleLoadError(problems);
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}

function ruleFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new RuleLoadError([`no rules folder at ${dir}`]);
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const SAMPLES_KEY = /^samples:/m;

/** Structure, types and cross-field checks that need no database. Returns undefined when unusable. */
export function parseRule(text: string, rel: string, problems: string[], withSamples = true): Rule | undefined {
  let doc: unknown;
  const samplesAt = text.search(SAMPLES_KEY);
  if (samplesAt < 0 && !withSamples) problems.push(`'samples' is required (a top-level key with positive and negative sets)`);
  try {
    doc = YAML.parse(withSamples || samplesAt < 0 ? text : text.slice(0, samplesAt), { uniqueKeys: true, prettyErrors: true, merge: true });
  } catch (e) {
    problems.push(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
  if (!isObject(doc)) {
    problems.push('the file must be a YAML mapping');
    return undefined;
  }
  for (const k of Object.keys(doc)) if (!TOP_KEYS.includes(k)) problems.push(`unknown key '${k}'`);
  if (withSamples && Object.keys(doc).at(-1) !== 'samples') problems.push(`'samples' must be the last top-level key (investigations are run from the part above it)`);

  const id = str(doc, 'id', problems);
  if (id !== undefined && !ID_PATTERN.test(id)) problems.push(`id '${id}' does not match CS-(CT|VPC|ELB|S3|X)-###`);
  const folder = rel.split('/')[0];
  const prefix = FOLDER_PREFIX[folder];
  if (!rel.includes('/') || prefix === undefined) problems.push(`rule files live in rules/{${Object.keys(FOLDER_PREFIX).join(',')}}/`);
  else if (id !== undefined && ID_PATTERN.test(id) && !id.startsWith(`CS-${prefix}-`)) problems.push(`id ${id} in folder ${folder}/ must start with CS-${prefix}-`);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*\.ya?ml$/.test(path.posix.basename(rel))) problems.push('file name must be kebab-case');

  const title = str(doc, 'title', problems);
  const description = str(doc, 'description', problems);
  const severity = str(doc, 'severity', problems);
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) problems.push(`severity '${severity}' is not one of ${SEVERITIES.join(', ')}`);

  const attack = doc.attack;
  let tactics: string[] = [];
  let techniques: string[] = [];
  if (!isObject(attack)) problems.push(`'attack' must be a mapping with tactics and techniques`);
  else {
    for (const k of Object.keys(attack)) if (k !== 'tactics' && k !== 'techniques') problems.push(`unknown key 'attack.${k}'`);
    tactics = strList(attack, 'tactics', problems, 'attack.tactics', true);
    techniques = strList(attack, 'techniques', problems, 'attack.techniques', true);
    for (const t of tactics) if (!(t in TACTICS)) problems.push(`'${t}' is not an ATT&CK Enterprise tactic id (TA####)`);
    for (const t of techniques) if (!TECHNIQUE_ID.test(t)) problems.push(`'${t}' is not an ATT&CK technique id (T#### or T####.###)`);
  }

  const sources = strList(doc, 'sources', problems, 'sources', true);
  for (const s of sources) if (!(RULE_SOURCES as readonly string[]).includes(s)) problems.push(`source '${s}' is not one of ${RULE_SOURCES.join(', ')}`);

  const parameters = parseParameters(doc.parameters, problems);
  const falsePositives = strList(doc, 'false_positives', problems, 'false_positives', true);

  let sql = str(doc, 'sql', problems);
  if (sql !== undefined) {
    sql = sql.trim();
    if (sql.endsWith(';')) problems.push('sql must be one statement without a trailing semicolon');
  }

  const samples = withSamples ? parseSamples(doc.samples, parameters, problems) : { positive: [], negative: [] };

  if ([id, title, description, severity, sql].some((v) => v === undefined) || !samples) return undefined;
  return {
    id: id!,
    title: title!,
    description: description!.trim(),
    severity: severity as Severity,
    attack: { tactics, techniques },
    sources: sources as RuleSource[],
    parameters,
    falsePositives,
    sql: sql!,
    samples,
    file: rel,
    sha256: '',
    advice: [],
    cloudtrailDetail: { columns: [], eventNames: [] },
  };
}

function parseParameters(v: unknown, problems: string[]): Record<string, ParamDef> {
  const out: Record<string, ParamDef> = {};
  if (v === undefined || v === null) return out;
  if (!isObject(v)) {
    problems.push(`'parameters' must be a mapping of name to { type, default, description }`);
    return out;
  }
  for (const [name, def] of Object.entries(v)) {
    if (!PARAM_NAME.test(name) || name.startsWith(RESERVED_PARAM_PREFIX)) {
      problems.push(`parameter name '${name}' must be lower_snake_case and not start with '${RESERVED_PARAM_PREFIX}'`);
      continue;
    }
    if (!isObject(def)) {
      problems.push(`parameter '${name}' must be a mapping { type, default, description }`);
      continue;
    }
    for (const k of Object.keys(def)) if (!['type', 'default', 'description', 'setting'].includes(k)) problems.push(`unknown key 'parameters.${name}.${k}'`);
    const type = def.type;
    if (typeof type !== 'string' || !(PARAM_TYPES as readonly string[]).includes(type)) {
      problems.push(`parameter '${name}': type must be one of ${PARAM_TYPES.join(', ')}`);
      continue;
    }
    const typeError = checkParamValue(type as ParamType, def.default);
    if (typeError) problems.push(`parameter '${name}': default ${typeError}`);
    if (typeof def.description !== 'string' || def.description.trim() === '') problems.push(`parameter '${name}': description is required`);
    if (def.setting !== undefined && (typeof def.setting !== 'string' || !/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/.test(def.setting))) {
      problems.push(`parameter '${name}': setting must be a dotted key such as allow.admin_networks`);
    }
    out[name] = {
      type: type as ParamType,
      default: def.default as ParamValue,
      description: String(def.description ?? ''),
      ...(typeof def.setting === 'string' ? { setting: def.setting } : {}),
    };
  }
  return out;
}

/** Why value is not of type, or undefined when it is. */
export function checkParamValue(type: ParamType, value: unknown): string | undefined {
  const scalar = (t: string, x: unknown): boolean => {
    switch (t) {
      case 'VARCHAR':
        return typeof x === 'string';
      case 'INTEGER':
        return typeof x === 'number' && Number.isInteger(x) && Math.abs(x) <= 2 ** 31 - 1;
      case 'BIGINT':
        return typeof x === 'number' && Number.isSafeInteger(x);
      case 'DOUBLE':
        return typeof x === 'number' && Number.isFinite(x);
      case 'BOOLEAN':
        return typeof x === 'boolean';
      default:
        return false;
    }
  };
  if (type.endsWith('[]')) {
    const item = type.slice(0, -2);
    if (!Array.isArray(value)) return `must be a list (${type})`;
    const bad = value.find((x) => !scalar(item, x));
    return bad === undefined ? undefined : `has an item ${JSON.stringify(bad)} that is not ${item}`;
  }
  return scalar(type, value) ? undefined : `${JSON.stringify(value)} is not ${type}`;
}

function parseSamples(v: unknown, parameters: Record<string, ParamDef>, problems: string[]): Rule['samples'] | undefined {
  if (!isObject(v)) {
    problems.push(`'samples' must be a mapping with positive and negative lists`);
    return undefined;
  }
  for (const k of Object.keys(v)) if (k !== 'positive' && k !== 'negative') problems.push(`unknown key 'samples.${k}'`);
  const out: Rule['samples'] = { positive: [], negative: [] };
  for (const polarity of ['positive', 'negative'] as const) {
    const sets = v[polarity];
    if (!Array.isArray(sets) || sets.length === 0) {
      problems.push(`samples.${polarity} must list at least one sample set`);
      continue;
    }
    const names = new Set<string>();
    sets.forEach((set: unknown, i) => {
      const where = `samples.${polarity}[${i}]`;
      if (!isObject(set)) {
        problems.push(`${where} must be a mapping`);
        return;
      }
      const name = typeof set.name === 'string' && set.name.trim() !== '' ? set.name : undefined;
      if (!name) problems.push(`${where} needs a name`);
      else if (names.has(name)) problems.push(`${where}: name '${name}' is used twice`);
      else names.add(name);
      const sample: SampleSet = { name: name ?? `#${i}`, parameters: {} };
      let records = 0;
      for (const [k, val] of Object.entries(set)) {
        if (k === 'name') continue;
        if (k === 'parameters') {
          if (!isObject(val)) {
            problems.push(`${where}.parameters must be a mapping`);
            continue;
          }
          for (const [p, pv] of Object.entries(val)) {
            const def = parameters[p];
            if (!def) problems.push(`${where}.parameters: '${p}' is not a declared parameter`);
            else {
              const err = checkParamValue(def.type, pv);
              if (err) problems.push(`${where}.parameters.${p} ${err}`);
              else sample.parameters[p] = pv as ParamValue;
            }
          }
        } else if (k === 'cloudtrail') {
          if (!Array.isArray(val) || !val.every(isObject)) problems.push(`${where}.cloudtrail must be a list of CloudTrail records (mappings)`);
          else {
            val.forEach((r, j) => {
              for (const key of numericIdKeys(r)) problems.push(`${where}.cloudtrail[${j}]: ${key} is a number; quote it ('123456789012')`);
            });
            sample.cloudtrail = val;
            records += val.length;
          }
        } else if (k === 'vpc_flow' || k === 'elb' || k === 's3_access') {
          if (!Array.isArray(val) || !val.every((x) => typeof x === 'string')) problems.push(`${where}.${k} must be a list of log lines (strings)`);
          else {
            sample[k] = val as string[];
            records += val.length;
          }
        } else problems.push(`${where}: unknown key '${k}' (expected name, parameters, ${SAMPLE_KINDS.join(', ')})`);
      }
      if (polarity === 'positive' && records === 0) problems.push(`${where} holds no records`);
      out[polarity].push(sample);
    });
  }
  return out;
}

/** Account ids written unquoted in YAML become numbers and lose leading zeros. */
function numericIdKeys(v: unknown, prefix = ''): string[] {
  if (!isObject(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const here = prefix ? `${prefix}.${k}` : k;
    if (typeof x === 'number' && /(accountId|AccountId|account)$/.test(k)) return [here];
    return isObject(x) ? numericIdKeys(x, here) : [];
  });
}

interface SqlNode {
  type?: string;
  children?: unknown[];
  table_name?: string;
  schema_name?: string;
  catalog_name?: string;
  function_name?: string;
  identifier?: string;
}

/**
 * Parse the SQL with DuckDB itself (json_serialize_sql) and check it: one
 * SELECT, no table functions (they read files), only case tables or its own
 * CTEs, and named parameters exactly the declared ones.
 */
export async function checkSql(conn: DuckDBConnection, rule: Rule, problems: string[]): Promise<void> {
  const reader = await conn.runAndReadAll(`SELECT json_serialize_sql($1::VARCHAR) AS j`, [rule.sql]);
  const ast = JSON.parse(String(reader.getRowObjectsJS()[0].j)) as { error?: boolean; error_message?: string; statements?: unknown[] };
  if (ast.error) {
    problems.push(`sql does not parse as one SELECT: ${ast.error_message ?? 'syntax error'}`);
    return;
  }
  if (!ast.statements || ast.statements.length !== 1) {
    problems.push('sql must be exactly one SELECT statement');
    return;
  }
  const used = new Set<string>();
  const tables = new Set<string>();
  const cteNames = new Set<string>();
  const detailColumns = new Set<string>();
  const constants = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    const n = node as SqlNode & Record<string, unknown>;
    if (n.type === 'VALUE_PARAMETER' && typeof n.identifier === 'string') used.add(n.identifier);
    if (n.type === 'COLUMN_REF') {
      const name = columnName(n).split('.').at(-1) ?? '';
      if (CLOUDTRAIL_DETAIL.has(name)) detailColumns.add(name);
    }
    if (n.type === 'VALUE_CONSTANT' && isObject(n.value) && typeof n.value.value === 'string' && EVENT_NAME_LIKE.test(n.value.value)) constants.add(n.value.value);
    if (n.type === 'FUNCTION' && (n.function_name === '->>' || n.function_name === '->') && Array.isArray(n.children)) {
      const left = n.children[0] as SqlNode | undefined;
      const t = left?.type ?? '';
      if (/^(CONJUNCTION_|COMPARE_|OPERATOR_)/.test(t) || (t === 'FUNCTION' && !/^[a-z_]/i.test(left?.function_name ?? '') && !/^->>?$/.test(left?.function_name ?? ''))) {
        problems.push(`sql has ${n.function_name} applied to a whole ${t === 'FUNCTION' ? `'${left?.function_name}'` : t.toLowerCase()} expression: write (column->>'key'), since ->> binds looser than AND, = and ||`);
      }
    }
    if (n.type === 'COMPARE_IN' && Array.isArray(n.children)) {
      const [col, ...items] = n.children as SqlNode[];
      const name = col?.type === 'COLUMN_REF' ? columnName(col).split('.').at(-1) ?? '' : '';
      // Only where it costs: cloudtrail's JSON columns are computed from raw, which the scan then fetches.
      const advice = `write list_contains([...], ${name}) instead of ${name} IN (...): an IN list is only a zone-map hint to the scan (see README, Performance)`;
      if ((rule.sources as string[]).includes('cloudtrail') && TYPED_CLOUDTRAIL.has(name) && items.length > 0 && items.every((i) => i.type === 'VALUE_CONSTANT') && !rule.advice.includes(advice)) {
        rule.advice.push(advice);
      }
    }
    if (n.type === 'TABLE_FUNCTION') problems.push(`sql calls a table function${functionName(n)}: rules read only the case tables`);
    if (n.type === 'BASE_TABLE' && typeof n.table_name === 'string') {
      if (n.catalog_name || n.schema_name) problems.push(`sql names ${n.catalog_name || n.schema_name}.${n.table_name}: use the bare case table name`);
      tables.add(n.table_name);
    }
    if (isObject(n.cte_map) && Array.isArray(n.cte_map.map)) {
      for (const e of n.cte_map.map) if (isObject(e) && typeof e.key === 'string') cteNames.add(e.key);
    }
    for (const v of Object.values(n)) if (typeof v === 'object' && v !== null) walk(v);
  };
  walk(ast.statements);
  for (const p of used) {
    if (/^\d+$/.test(p)) problems.push(`sql uses positional parameter $${p}: use named parameters`);
    else if (!(p in rule.parameters)) problems.push(`sql uses $${p}, which is not declared under parameters`);
  }
  for (const p of Object.keys(rule.parameters)) if (!used.has(p)) problems.push(`parameter '${p}' is declared but the sql never uses $${p}`);
  for (const t of tables) {
    if (cteNames.has(t)) continue;
    if (!READABLE_TABLES.has(t)) problems.push(`sql reads '${t}', which is not a case table (${[...READABLE_TABLES].join(', ')})`);
    else if (t !== 'sources' && !(rule.sources as string[]).includes(t)) problems.push(`sql reads '${t}' but sources does not list it`);
  }
  for (const s of rule.sources) if (!tables.has(s)) problems.push(`sources lists '${s}' but the sql never reads it`);
  if (tables.has('cloudtrail') && detailColumns.size > 0) {
    rule.cloudtrailDetail = { columns: [...detailColumns].sort(), eventNames: [...constants].sort() };
  }
}

function columnName(n: SqlNode): string {
  const names = (n as { column_names?: unknown }).column_names;
  return Array.isArray(names) ? names.join('.') : 'column';
}

function functionName(n: Record<string, unknown>): string {
  const f = isObject(n.function) ? (n.function as SqlNode).function_name : undefined;
  return f ? ` (${f})` : '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, key: string, problems: string[]): string | undefined {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') {
    problems.push(`'${key}' is required and must be text`);
    return undefined;
  }
  return v;
}

function strList(o: Record<string, unknown>, key: string, problems: string[], label: string, nonEmpty: boolean): string[] {
  const v = o[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string') || (nonEmpty && v.length === 0)) {
    problems.push(`'${label}' must be a list of text${nonEmpty ? ' with at least one item' : ''}`);
    return [];
  }
  return v as string[];
}
