import type { SqlValue } from '../store/caseStore';
import { quoteIdent, tableDef, type ColumnDef, type TableDef } from '../store/schema';
import { PAGE_MAX_ROWS, PAGE_TEXT_CHARS, type Filter, type FilterScalar, type QueryDescription, type SortSpec } from '../api/contract';
import { QueryError } from './queryError';

/**
 * Query descriptions become SQL here and nowhere else. Every identifier is
 * looked up in schema.ts and quoted; every value is a bound parameter.
 */

export interface CompiledWhere {
  /** `WHERE ...` or the empty string. */
  where: string;
  params: Record<string, SqlValue>;
}

export function resolveTable(name: unknown): TableDef {
  const def = typeof name === 'string' ? tableDef(name) : undefined;
  if (!def) throw new QueryError('UNKNOWN_TABLE', `No table named ${JSON.stringify(name)}`);
  return def;
}

export function resolveColumn(def: TableDef, name: unknown): ColumnDef {
  const col = typeof name === 'string' ? def.columns.find((c) => c.name === name) : undefined;
  if (!col) throw new QueryError('UNKNOWN_COLUMN', `Table ${def.name} has no column ${JSON.stringify(name)}`);
  return col;
}

/** Large text is left out of a page unless asked for by name. */
export function isLarge(col: ColumnDef): boolean {
  return col.zstd === true || col.type === 'JSON';
}

export function selectedColumns(def: TableDef, columns: unknown): ColumnDef[] {
  if (columns === undefined) return def.columns.filter((c) => !isLarge(c));
  if (!Array.isArray(columns) || columns.length === 0) throw new QueryError('BAD_REQUEST', 'columns must be a non-empty list');
  const seen = new Set<string>();
  const out: ColumnDef[] = [];
  for (const name of columns) {
    const col = resolveColumn(def, name);
    if (!seen.has(col.name)) out.push(col);
    seen.add(col.name);
  }
  return out;
}

/** The expression a page carries for a column: timestamps as epoch ms, large text cut short. */
export function pageExpression(col: ColumnDef): string {
  const id = quoteIdent(col.name);
  if (col.type === 'TIMESTAMPTZ') return `epoch_ms(${id}) AS ${id}`;
  if (col.type === 'JSON') return `left(${id}::VARCHAR, ${PAGE_TEXT_CHARS}) AS ${id}`;
  if (isLarge(col)) return `left(${id}, ${PAGE_TEXT_CHARS}) AS ${id}`;
  return id;
}

const TEXT_TYPES = new Set(['VARCHAR', 'JSON']);
const NUMERIC_TYPES = new Set(['INTEGER', 'BIGINT', 'SMALLINT', 'DOUBLE']);

class Params {
  readonly values: Record<string, SqlValue> = {};
  private n = 0;
  add(v: SqlValue): string {
    const name = `p${this.n++}`;
    this.values[name] = v;
    return `$${name}`;
  }
}

function likePattern(s: string, prefix: string, suffix: string): string {
  return prefix + s.replace(/[\\%_]/g, (m) => `\\${m}`) + suffix;
}

function scalarFor(col: ColumnDef, v: unknown): SqlValue {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    throw new QueryError('BAD_REQUEST', `Filter on ${col.name} needs a string, number or boolean value`);
  }
  if (NUMERIC_TYPES.has(col.type)) {
    const n = typeof v === 'number' ? v : Number(v);
    if (typeof v === 'boolean' || !Number.isFinite(n) || (typeof v === 'string' && v.trim() === '')) {
      throw new QueryError('BAD_REQUEST', `Filter on ${col.name} needs a number, got ${JSON.stringify(v)}`);
    }
    return n;
  }
  if (col.type === 'BOOLEAN') {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new QueryError('BAD_REQUEST', `Filter on ${col.name} needs true or false`);
  }
  if (col.type === 'TIMESTAMPTZ') {
    const ms = typeof v === 'number' ? v : Date.parse(String(v));
    if (!Number.isFinite(ms)) throw new QueryError('BAD_REQUEST', `Filter on ${col.name} needs an ISO-8601 time, got ${JSON.stringify(v)}`);
    return new Date(ms).toISOString();
  }
  return String(v);
}

/** A bound value with the cast its column needs, so DuckDB compares like with like. */
function bind(p: Params, col: ColumnDef, v: unknown): string {
  const value = scalarFor(col, v);
  const ref = p.add(value);
  if (col.type === 'TIMESTAMPTZ') return `${ref}::TIMESTAMPTZ`;
  if (col.type === 'BOOLEAN') return `${ref}::BOOLEAN`;
  // An integer column compared with an integer keeps DuckDB's zone-map pruning; 3.5 still compares exactly as a DOUBLE.
  if (NUMERIC_TYPES.has(col.type)) return `${ref}::${col.type !== 'DOUBLE' && Number.isInteger(value) ? 'BIGINT' : 'DOUBLE'}`;
  return `${ref}::VARCHAR`;
}

function textOf(col: ColumnDef): string {
  const id = quoteIdent(col.name);
  return col.type === 'VARCHAR' ? id : `${id}::VARCHAR`;
}

function compileFilter(def: TableDef, f: Filter, p: Params): string {
  if (typeof f !== 'object' || f === null) throw new QueryError('BAD_REQUEST', 'A filter must be an object');
  const col = resolveColumn(def, f.column);
  const id = quoteIdent(col.name);
  const text = (op: 'ILIKE' | 'NOT ILIKE', pre: string, suf: string) => {
    if (typeof f.value !== 'string' && typeof f.value !== 'number') throw new QueryError('BAD_REQUEST', `Filter ${f.op} on ${col.name} needs text`);
    const ref = p.add(likePattern(String(f.value), pre, suf));
    const cond = `${textOf(col)} ${op} ${ref} ESCAPE '\\'`;
    // A row without the value does not contain the text, so NOT ILIKE keeps it.
    return op === 'NOT ILIKE' ? `(${id} IS NULL OR ${cond})` : cond;
  };
  switch (f.op) {
    case 'eq':
      return `${id} = ${bind(p, col, f.value)}`;
    case 'neq':
      return `${id} IS DISTINCT FROM ${bind(p, col, f.value)}`;
    case 'lt':
      return `${id} < ${bind(p, col, f.value)}`;
    case 'lte':
      return `${id} <= ${bind(p, col, f.value)}`;
    case 'gt':
      return `${id} > ${bind(p, col, f.value)}`;
    case 'gte':
      return `${id} >= ${bind(p, col, f.value)}`;
    case 'between': {
      if (!Array.isArray(f.value) || f.value.length !== 2) throw new QueryError('BAD_REQUEST', `between on ${col.name} needs [low, high]`);
      return `${id} BETWEEN ${bind(p, col, f.value[0])} AND ${bind(p, col, f.value[1])}`;
    }
    case 'in': {
      const values: FilterScalar[] | undefined = Array.isArray(f.value) ? f.value : undefined;
      if (!values || values.length === 0 || values.length > 1000) throw new QueryError('BAD_REQUEST', `in on ${col.name} needs 1 to 1000 values`);
      return `${id} IN (${values.map((v) => bind(p, col, v)).join(', ')})`;
    }
    case 'contains':
      return text('ILIKE', '%', '%');
    case 'notContains':
      return text('NOT ILIKE', '%', '%');
    case 'startsWith':
      return text('ILIKE', '', '%');
    case 'endsWith':
      return text('ILIKE', '%', '');
    case 'isNull':
      return `${id} IS NULL`;
    case 'notNull':
      return `${id} IS NOT NULL`;
    default:
      throw new QueryError('BAD_REQUEST', `Unknown filter operator ${JSON.stringify((f as { op: unknown }).op)}`);
  }
}

export function compileWhere(def: TableDef, desc: Pick<QueryDescription, 'filters' | 'quickSearch' | 'columns'>): CompiledWhere {
  const p = new Params();
  const conds: string[] = [];
  if (desc.filters !== undefined && !Array.isArray(desc.filters)) throw new QueryError('BAD_REQUEST', 'filters must be a list');
  for (const f of desc.filters ?? []) conds.push(compileFilter(def, f, p));
  if (desc.quickSearch !== undefined && typeof desc.quickSearch !== 'string') throw new QueryError('BAD_REQUEST', 'quickSearch must be text');
  const q = desc.quickSearch?.trim();
  if (q) {
    const textCols = selectedColumns(def, desc.columns).filter((c) => TEXT_TYPES.has(c.type));
    if (textCols.length === 0) {
      conds.push('FALSE');
    } else {
      const ref = p.add(likePattern(q, '%', '%'));
      conds.push(`(${textCols.map((c) => `${textOf(c)} ILIKE ${ref} ESCAPE '\\'`).join(' OR ')})`);
    }
  }
  return { where: conds.length ? `WHERE ${conds.map((c) => `(${c})`).join(' AND ')}` : '', params: p.values };
}

/** ORDER BY for a user sort; rowid breaks ties so that pages never overlap. */
export function compileOrder(def: TableDef, sort: unknown): string {
  if (sort === undefined) return '';
  if (!Array.isArray(sort)) throw new QueryError('BAD_REQUEST', 'sort must be a list');
  if (sort.length === 0) return '';
  const parts = (sort as SortSpec[]).map((s) => {
    const col = resolveColumn(def, s?.column);
    if (s.dir !== 'asc' && s.dir !== 'desc') throw new QueryError('BAD_REQUEST', `sort direction must be asc or desc`);
    return `${quoteIdent(col.name)} ${s.dir === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS LAST'}`;
  });
  return `ORDER BY ${parts.join(', ')}, rowid`;
}

export function checkWindow(desc: Pick<QueryDescription, 'offset' | 'limit'>): { offset: number; limit: number } {
  const { offset, limit } = desc;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new QueryError('BAD_REQUEST', 'offset must be a non-negative integer');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > PAGE_MAX_ROWS) throw new QueryError('BAD_REQUEST', `limit must be 1 to ${PAGE_MAX_ROWS}`);
  return { offset, limit };
}

/** True when the rows can be paged straight from the table in the order they were imported. */
export function isPlainScan(desc: Pick<QueryDescription, 'filters' | 'quickSearch' | 'sort'>): boolean {
  return (desc.filters ?? []).length === 0 && !desc.quickSearch?.trim() && (desc.sort ?? []).length === 0;
}
