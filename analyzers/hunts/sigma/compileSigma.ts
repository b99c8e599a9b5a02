import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { quoteIdent } from '../../store/schema';
import { formatHunt, parseHunt, type Hunt } from '../huntFile';
import { parseCondition, type Condition } from './condition';
import { compileSearch, type DetectionContext } from './detection';
import { SigmaRuleError, SigmaUnsupportedError } from './errors';
import { ParamSink } from './params';
import { metaList, metaText, readRuleYaml, isScalarNode, type SigmaNode } from './ruleYaml';
import { all, any, not, renderSql, type SqlNode } from './sqlTree';

export { SigmaRuleError, SigmaUnsupportedError } from './errors';

export interface SigmaCompileResult {
  hunt: Omit<Hunt, 'text'>;
  /** The hunt file: formatHunt(hunt). */
  sqlText: string;
  /** Things a hunter should know about the translation; nothing in them changes what matches. */
  warnings: string[];
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SELECT_COLUMNS = ['event_source', 'event_name', 'user_arn', 'source_ip', 'user_agent', 'error_code', 'aws_region', 'source_file_id', 'record_index'];

/**
 * Compile one Sigma rule (YAML text) for CloudTrail into a hunt over the
 * cloudtrail table that returns the matching events. Throws
 * SigmaUnsupportedError naming the construct it does not translate, and
 * SigmaRuleError for text that is not a valid rule.
 */
export function compileSigma(yamlText: string, origin?: string): SigmaCompileResult {
  const rule = readRuleYaml(yamlText);
  if (rule.has('correlation')) throw new SigmaUnsupportedError('correlation rule', 'Sigma correlation rules are not compiled to hunts');
  if (!rule.has('detection') && rule.has('filter')) throw new SigmaUnsupportedError('filter rule', 'Sigma filters (rules that amend other rules) are not compiled to hunts');
  checkLogsource(rule.get('logsource'));
  const title = metaText(rule, 'title');
  if (!title) throw new SigmaRuleError("the rule has no 'title'");

  const warnings: string[] = [];
  const ctx: DetectionContext = { params: new ParamSink(), warn: (w) => {
      if (!warnings.includes(w)) warnings.push(w);
    },
  };
  const { where, conditions } = compileDetection(rule.get('detection'), ctx);

  const sigmaId = metaText(rule, 'id');
  const { attack, tags } = splitTags(metaList(rule, 'tags'));
  const meta: Record<string, string> = {};
  const setMeta = (k: string, v: string | string[] | undefined) => {
    const text = Array.isArray(v) ? v.join('\n') : v;
    if (text) meta[k] = text;
  };
  setMeta('level', metaText(rule, 'level'));
  setMeta('status', metaText(rule, 'status'));
  setMeta('date', metaText(rule, 'date'));
  setMeta('modified', metaText(rule, 'modified'));
  setMeta('references', metaList(rule, 'references'));
  setMeta('falsepositives', metaList(rule, 'falsepositives'));
  setMeta('fields', metaList(rule, 'fields').join(', '));
  setMeta('sigma_id', sigmaId);
  setMeta('sigma_condition', conditions);
  setMeta('sigma_source', origin);
  setMeta('sigma_sha256', crypto.createHash('sha256').update(yamlText).digest('hex'));

  const sql = [
    `SELECT iso(${quoteIdent('event_time')}) AS ${quoteIdent('event_time')}, ${SELECT_COLUMNS.map(quoteIdent).join(', ')}`,
    `FROM ${quoteIdent('cloudtrail')}`,
    `WHERE ${renderSql(where, '  ')}`,
    `ORDER BY ${quoteIdent('cloudtrail')}.${quoteIdent('event_time')}, ${quoteIdent('source_file_id')}, ${quoteIdent('record_index')}`,
  ].join('\n');
  const draft: Omit<Hunt, 'text'> = {
    id: huntId(sigmaId, yamlText),
    title,
    description: metaText(rule, 'description') ?? '',
    author: metaText(rule, 'author') ?? '',
    attack,
    tags: ['sigma', ...tags],
    meta,
    params: ctx.params.params,
    sql,
  };
  const sqlText = formatHunt(draft);
  const { text: _text, ...hunt } = parseHunt(sqlText, origin ?? draft.id);
  for (const p of hunt.params) {
    if (!isDeepStrictEqual(p.default, ctx.params.expected.get(p.name))) throw new Error(`parameter ${p.name} does not read back from the hunt header as written`);
  }
  return { hunt, sqlText, warnings };
}

export function compileSigmaFile(file: string): SigmaCompileResult {
  return compileSigma(fs.readFileSync(file, 'utf8'), file);
}

/** Every .yml / .yaml rule under a folder; a rule that does not compile is listed with the reason, and the rest still are. */
export function compileSigmaFolder(dir: string): { compiled: SigmaCompileResult[]; failed: { file: string; error: string }[] } {
  const compiled: SigmaCompileResult[] = [];
  const failed: { file: string; error: string }[] = [];
  const byId = new Map<string, string>();
  for (const file of ruleFiles(dir)) {
    try {
      const result = compileSigmaFile(file);
      const first = byId.get(result.hunt.id);
      if (first !== undefined) {
        failed.push({ file, error: `hunt id ${result.hunt.id} is also the id of ${first}` });
        continue;
      }
      byId.set(result.hunt.id, file);
      compiled.push(result);
    } catch (e) {
      failed.push({ file, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { compiled, failed };
}

function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
      else if (/\.ya?ml$/i.test(e.name) && (e.isFile() || (e.isSymbolicLink() && fs.statSync(p, { throwIfNoEntry: false })?.isFile()))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function checkLogsource(node: SigmaNode | undefined): void {
  if (node?.kind !== 'map') throw new SigmaRuleError("the rule has no 'logsource' mapping");
  const ls = new Map(node.entries.filter(([k]) => ['category', 'product', 'service'].includes(k)).map(([k, v]) => [k, isScalarNode(v) && v.kind === 'string' ? v.value : '']));
  const described = ['category', 'product', 'service'].filter((k) => ls.get(k)).map((k) => `${k} ${ls.get(k)}`).join(', ');
  if (ls.get('product')?.toLowerCase() !== 'aws' || ls.get('service')?.toLowerCase() !== 'cloudtrail' || ls.get('category')) {
    throw new SigmaUnsupportedError(`logsource ${described || '(empty)'}`, `the rule is for logsource ${described || '(empty)'}; only product aws, service cloudtrail compiles to a hunt over the cloudtrail table`);
  }
}

function compileDetection(node: SigmaNode | undefined, ctx: DetectionContext): { where: SqlNode; conditions: string[] } {
  if (node?.kind !== 'map') throw new SigmaRuleError("the rule has no 'detection' mapping");
  const searches = new Map<string, SigmaNode>();
  let condNode: SigmaNode | undefined;
  for (const [k, v] of node.entries) {
    if (k === 'condition') condNode = v;
    else if (k === 'timeframe') throw new SigmaUnsupportedError('timeframe', "'timeframe' belongs to aggregations and correlations, which are not compiled to hunts");
    else searches.set(k, v);
  }
  const conditions = (condNode?.kind === 'list' ? condNode.items : condNode ? [condNode] : []).map((c) => {
    if (c.kind !== 'string' || c.value.trim() === '') throw new SigmaRuleError("'condition' must be text (or a list of texts)");
    return c.value.trim();
  });
  if (conditions.length === 0) throw new SigmaRuleError("the detection has no 'condition'");

  const compiled = new Map<string, SqlNode>();
  const used = new Set<string>();
  const search = (name: string): SqlNode => {
    const def = searches.get(name);
    if (def === undefined) throw new SigmaRuleError(`the condition names '${name}', which the detection does not define`);
    used.add(name);
    let sql = compiled.get(name);
    if (!sql) {
      sql = compileSearch(name, def, ctx);
      compiled.set(name, sql);
    }
    return sql;
  };
  const toSql = (c: Condition): SqlNode => {
    switch (c.kind) {
      case 'and':
        return all(c.args.map(toSql));
      case 'or':
        return any(c.args.map(toSql));
      case 'not':
        return not(toSql(c.arg));
      case 'ref':
        return search(c.name);
      case 'of': {
        const re = c.pattern === 'them' ? /^/ : new RegExp(`^${c.pattern.split('*').map(escapeRegex).join('.*')}$`);
        const names = [...searches.keys()].filter((n) => !n.startsWith('_') && re.test(n));
        if (names.length === 0) throw new SigmaRuleError(`'${c.quantifier === 'all' ? 'all' : '1'} of ${c.pattern}' matches no search identifier`);
        const parts = names.map(search);
        return c.quantifier === 'all' ? all(parts) : any(parts);
      }
    }
  };
  const where = any(conditions.map((c) => toSql(parseCondition(c))));
  for (const name of searches.keys()) if (!used.has(name)) ctx.warn(`search '${name}' is not used by the condition`);
  return { where, conditions };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** ATT&CK technique and tactic ids go to @attack; every other tag (tactic names, cve.*, detection.*) stays a tag. */
function splitTags(sigmaTags: string[]): { attack: string[]; tags: string[] } {
  const attack: string[] = [];
  const tags: string[] = [];
  for (const t of sigmaTags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?|ta\d{4})$/i.exec(t);
    const target = m ? attack : tags;
    const value = m ? m[1].toUpperCase() : t.replace(/[,'"]/g, '');
    if (value && !target.includes(value)) target.push(value);
  }
  return { attack, tags };
}

/** The rule's own id where the hunt id pattern allows it (Sigma UUIDs do); else the id or the rule's hash under a `sigma-` prefix. */
function huntId(sigmaId: string | undefined, text: string): string {
  if (sigmaId && ID_PATTERN.test(sigmaId)) return sigmaId;
  const base = sigmaId ? sigmaId.replace(/[^A-Za-z0-9._-]+/g, '-') : crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
  return `sigma-${base}`.slice(0, 64);
}
