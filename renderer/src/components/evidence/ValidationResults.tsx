import { useMemo, useState } from 'react';
import type { ValidationResultInfo, ValidationStatus } from '../../api/contract';
import { formatCount } from '../../format';
import { isProblem, STATUS_LABELS, STATUS_ORDER, tone } from './validationStatus';

type StatusFilter = 'all' | 'problems' | ValidationStatus;

interface Group {
  key: string;
  account: string | null;
  trail: string | null;
  region: string | null;
  rows: ValidationResultInfo[];
  counts: Map<ValidationStatus, number>;
}

const GROUP_PAGE = 500;

const KIND_ORDER: Record<ValidationResultInfo['kind'], number> = { digest: 0, log: 1, chain: 2, gap: 3 };

function shortTime(t: string | null): string {
  return t ? t.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : '';
}

function countBy(rows: ValidationResultInfo[]): Map<ValidationStatus, number> {
  const m = new Map<ValidationStatus, number>();
  for (const r of rows) m.set(r.status, (m.get(r.status) ?? 0) + 1);
  return m;
}

function groupResults(results: ValidationResultInfo[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of results) {
    const key = r.trail === null && r.region === null ? 'none' : `${r.account ?? ''}|${r.trail ?? ''}|${r.region ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, account: r.account, trail: r.trail, region: r.region, rows: [], counts: new Map() }));
    g.rows.push(r);
  }
  for (const g of groups.values()) {
    g.rows.sort((a, b) => (a.from_time ?? '').localeCompare(b.from_time ?? '') || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    g.counts = countBy(g.rows);
  }
  return [...groups.values()].sort((a, b) => (a.key === 'none' ? 1 : b.key === 'none' ? -1 : a.key.localeCompare(b.key)));
}

function StatusBadge({ status }: { status: ValidationStatus }) {
  return <span className={`badge ev-status ${tone(status)}`}>{STATUS_LABELS[status] ?? status}</span>;
}

function Hashes({ r }: { r: ValidationResultInfo }) {
  if (!r.expected && !r.actual) return null;
  const differs = r.expected !== null && r.actual !== null && r.expected.toLowerCase() !== r.actual.toLowerCase();
  return (
    <div className="ev-hashes mono">
      <span className="muted">expected</span>
      <span data-testid="hash-expected">{r.expected ?? '—'}</span>
      <span className="muted">actual</span>
      <span data-testid="hash-actual" className={differs || (r.expected && !r.actual) ? 'ev-bad-text' : ''}>
        {r.actual ?? (r.kind === 'log' ? 'not in the case' : '—')}
      </span>
    </div>
  );
}

function ResultRow({ r }: { r: ValidationResultInfo }) {
  return (
    <tr className={`ev-result ${tone(r.status)}`} data-testid="validation-result" data-status={r.status} data-kind={r.kind}>
      <td>
        <StatusBadge status={r.status} />
      </td>
      <td className="muted">{r.kind}</td>
      <td className="mono ev-period">
        <div>{shortTime(r.from_time)}</div>
        {r.to_time && r.to_time !== r.from_time ? <div className="muted">→ {shortTime(r.to_time)}</div> : null}
      </td>
      <td className="ev-file">
        <div className="mono" data-testid="result-path">
          {r.path ?? r.s3_object ?? ''}
        </div>
        {r.path && r.s3_object && !r.path.endsWith(r.s3_object) && <div className="mono muted">{r.s3_object}</div>}
        <Hashes r={r} />
      </td>
      <td className="ev-detail">{r.detail}</td>
    </tr>
  );
}

/** One account, trail and region; long ones show a page at a time so that a year of digests does not stall the page. */
function ResultGroup({ group: g }: { group: Group }) {
  const [limit, setLimit] = useState(GROUP_PAGE);
  return (
    <details className="ev-group" open data-testid="validation-group" data-region={g.region ?? ''} data-trail={g.trail ?? ''}>
      <summary>
        {g.key === 'none' ? (
          <span>In the case, listed in no digest</span>
        ) : (
          <span className="ev-group-title">
            <span className="mono">{g.account ?? '?'}</span>
            <span className="muted">·</span>
            <span className="mono">{g.trail ?? '?'}</span>
            <span className="muted">·</span>
            <span className="mono">{g.region ?? '?'}</span>
          </span>
        )}
        <span className="ev-group-counts">
          {STATUS_ORDER.filter((s) => g.counts.has(s)).map((s) => (
            <span key={s} className={`ev-count-chip ${tone(s)}`}>
              {STATUS_LABELS[s]} {formatCount(g.counts.get(s))}
            </span>
          ))}
        </span>
      </summary>
      <table className="dense ev-table">
        <colgroup>
          <col className="ev-col-status" />
          <col className="ev-col-kind" />
          <col className="ev-col-period" />
          <col />
          <col className="ev-col-detail" />
        </colgroup>
        <thead>
          <tr>
            <th>status</th>
            <th>kind</th>
            <th>period (UTC)</th>
            <th>file and hashes</th>
            <th>detail</th>
          </tr>
        </thead>
        <tbody>
          {g.rows.slice(0, limit).map((r, i) => (
            <ResultRow key={`${r.kind}:${r.status}:${r.s3_object ?? ''}:${r.from_time ?? ''}:${i}`} r={r} />
          ))}
        </tbody>
      </table>
      {g.rows.length > limit && (
        <div className="ev-more">
          <span className="muted">
            {formatCount(limit)} of {formatCount(g.rows.length)} shown
          </span>
          <button className="btn small" onClick={() => setLimit(limit + GROUP_PAGE)}>
            Show {formatCount(Math.min(GROUP_PAGE, g.rows.length - limit))} more
          </button>
        </div>
      )}
    </details>
  );
}

function FilterButton({ value, label, n, filter, onFilter }: { value: StatusFilter; label: string; n: number; filter: StatusFilter; onFilter(f: StatusFilter): void }) {
  const toneClass = value === 'all' || value === 'problems' ? '' : ` ${tone(value)}`;
  return (
    <button className={`btn small ev-filter${toneClass}${filter === value ? ' active' : ''}`} aria-pressed={filter === value} onClick={() => onFilter(value)} data-testid={`status-filter-${value}`}>
      {label} <span className="muted">{formatCount(n)}</span>
    </button>
  );
}

export function ValidationResults({ results }: { results: ValidationResultInfo[] }) {
  const [filter, setFilter] = useState<StatusFilter>('all');
  const counts = useMemo(() => countBy(results), [results]);
  const problems = useMemo(() => results.filter((r) => isProblem(r.status)).length, [results]);
  const shown = useMemo(() => results.filter((r) => filter === 'all' || (filter === 'problems' ? isProblem(r.status) : r.status === filter)), [results, filter]);
  const groups = useMemo(() => groupResults(shown), [shown]);

  return (
    <div className="ev-results">
      <div className="ev-filters" role="group" aria-label="Filter results by status">
        <FilterButton value="all" label="all" n={results.length} filter={filter} onFilter={setFilter} />
        <FilterButton value="problems" label="problems" n={problems} filter={filter} onFilter={setFilter} />
        {STATUS_ORDER.filter((s) => counts.has(s)).map((s) => (
          <FilterButton key={s} value={s} label={STATUS_LABELS[s]} n={counts.get(s) ?? 0} filter={filter} onFilter={setFilter} />
        ))}
      </div>
      {groups.length === 0 && <div className="muted pad">No result with this status.</div>}
      <div data-testid="validation-groups">
        {groups.map((g) => (
          <ResultGroup key={`${filter}:${g.key}`} group={g} />
        ))}
      </div>
    </div>
  );
}
