import type { ColumnInfo, Filter, FilterOp, FilterScalar } from '../api/contract';

/** ag-grid's filter model (one condition per column) as the engine's filter descriptions. */

interface SimpleModel {
  filterType?: string;
  type?: string;
  filter?: string | number | null;
  filterTo?: string | number | null;
  dateFrom?: string | null;
  dateTo?: string | null;
}

const OPS: Record<string, FilterOp> = {
  equals: 'eq',
  notEqual: 'neq',
  contains: 'contains',
  notContains: 'notContains',
  startsWith: 'startsWith',
  endsWith: 'endsWith',
  lessThan: 'lt',
  lessThanOrEqual: 'lte',
  greaterThan: 'gt',
  greaterThanOrEqual: 'gte',
  inRange: 'between',
  blank: 'isNull',
  notBlank: 'notNull',
};

const DAY = 86_400_000;

/** The date filter hands over wall-clock text; the UI is in UTC, so it is read as UTC. */
function utcMs(s: string): number {
  return Date.parse(`${s.trim().replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? '' : 'Z'}`);
}

function dateFilter(column: string, m: SimpleModel): Filter | null {
  const from = m.dateFrom ? utcMs(m.dateFrom) : NaN;
  const to = m.dateTo ? utcMs(m.dateTo) : NaN;
  const iso = (ms: number) => new Date(ms).toISOString();
  switch (m.type) {
    case 'equals':
      return Number.isFinite(from) ? { column, op: 'between', value: [iso(from), iso(from + DAY - 1)] } : null;
    case 'lessThan':
      return Number.isFinite(from) ? { column, op: 'lt', value: iso(from) } : null;
    case 'greaterThan':
      return Number.isFinite(from) ? { column, op: 'gte', value: iso(from + DAY) } : null;
    case 'inRange':
      return Number.isFinite(from) && Number.isFinite(to) ? { column, op: 'between', value: [iso(from), iso(to + DAY - 1)] } : null;
    case 'notEqual':
      return null;
    case 'blank':
      return { column, op: 'isNull' };
    case 'notBlank':
      return { column, op: 'notNull' };
    default:
      return null;
  }
}

export function toFilters(model: Record<string, SimpleModel> | null | undefined, columns: ColumnInfo[]): Filter[] {
  const out: Filter[] = [];
  for (const [column, m] of Object.entries(model ?? {})) {
    const info = columns.find((c) => c.name === column);
    if (!info || !m?.type) continue;
    if (info.type === 'TIMESTAMPTZ') {
      const f = dateFilter(column, m);
      if (f) out.push(f);
      continue;
    }
    const op = OPS[m.type];
    if (!op) continue;
    if (op === 'isNull' || op === 'notNull') {
      out.push({ column, op });
    } else if (op === 'between') {
      if (m.filter !== null && m.filter !== undefined && m.filterTo !== null && m.filterTo !== undefined) out.push({ column, op, value: [m.filter, m.filterTo] });
    } else if (m.filter !== null && m.filter !== undefined && m.filter !== '') {
      out.push({ column, op, value: m.filter as FilterScalar });
    }
  }
  return out;
}
