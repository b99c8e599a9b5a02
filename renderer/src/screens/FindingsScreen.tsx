import { useEffect, useMemo, useState } from 'react';
import { SEVERITY_ORDER, type FindingInfo, type FindingsListResponse, type InvestigationInfo, type Severity } from '../api/contract';
import { api } from '../api/client';
import { useApp } from '../state/store';
import { formatCount } from '../format';
import { useFindingsView } from '../components/findings/findingsView';
import { useInvestigateJob } from '../components/findings/useInvestigateJob';
import { InvestigateProgress } from '../components/findings/InvestigateProgress';
import { FindingsTable } from '../components/findings/FindingsTable';
import { FindingDetail } from '../components/findings/FindingDetail';
import { tacticName } from '../components/findings/attack';
import { utcText } from '../components/findings/time';
import '../styles/findings.css';

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'Critical only',
  high: 'High and above',
  medium: 'Medium and above',
  low: 'Low and above',
  info: 'All severities',
};

/** Everything a text filter may match in a finding: ids, titles, ATT&CK, entities. */
function haystack(f: FindingInfo): string {
  const e = f.entities;
  return [f.id, f.title, f.detail, ...f.attack, ...f.tactics, ...f.tactics.map(tacticName), ...e.principals, ...e.access_keys, ...e.ips, ...e.resources, ...e.instances]
    .join('\n')
    .toLowerCase();
}

export function FindingsScreen() {
  const { dataVersion, caseChanged, caseInfo } = useApp();
  const { selectedId, select, minSeverity, setMinSeverity, text, setText } = useFindingsView();
  const [list, setList] = useState<FindingsListResponse | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [investigations, setInvestigations] = useState<Map<string, InvestigationInfo>>(new Map());
  const investigate = useInvestigateJob(caseChanged);
  const readOnly = caseInfo?.readOnly ?? false;

  useEffect(() => {
    let live = true;
    api.invoke('investigations/list', {}).then((r) => {
      if (!live) return;
      if (r.ok) setInvestigations(new Map(r.value.map((i) => [i.id, i])));
      else setListError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    api.invoke('findings/list', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setList(r.value);
        setListError(null);
      } else setListError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [dataVersion]);

  const all = list?.findings ?? [];
  const bySeverity = useMemo(() => {
    const n = new Map<Severity, number>();
    for (const f of all) n.set(f.severity, (n.get(f.severity) ?? 0) + 1);
    return n;
  }, [all]);
  const shown = useMemo(() => {
    const rank = SEVERITY_ORDER.indexOf(minSeverity);
    const needle = text.trim().toLowerCase();
    return all.filter((f) => SEVERITY_ORDER.indexOf(f.severity) <= rank && (needle === '' || haystack(f).includes(needle)));
  }, [all, minSeverity, text]);
  const selected = all.find((f) => f.finding_id === selectedId) ?? null;
  const atOrAbove = (s: Severity) => SEVERITY_ORDER.slice(0, SEVERITY_ORDER.indexOf(s) + 1).reduce((n, x) => n + (bySeverity.get(x) ?? 0), 0);

  const investigateButton = (primary: boolean) => (
    <button
      className={primary ? 'btn primary' : 'btn'}
      onClick={() => void investigate.start()}
      disabled={investigate.running || readOnly}
      title={readOnly ? 'The case is open read-only' : `Run the ${investigations.size || ''} built-in investigations over the case`}
      data-testid="investigate-button"
    >
      Investigate
    </button>
  );

  const neverRun = list !== null && list.lastRun === null;
  const eventRows = (caseInfo?.tables ?? []).filter((t) => t.isEvents).reduce((n, t) => n + t.rows, 0);
  return (
    <section className="screen findings-screen" aria-label="Findings">
      <div className="toolbar">
        <span className="toolbar-title">Findings</span>
        {list && !neverRun && (
          <span className="muted" data-testid="findings-count">
            {shown.length === all.length ? `${formatCount(all.length)} findings` : `${formatCount(shown.length)} of ${formatCount(all.length)} findings`}
          </span>
        )}
        <select className="input" aria-label="Minimum severity" value={minSeverity} onChange={(e) => setMinSeverity(e.target.value as Severity)} disabled={neverRun}>
          {SEVERITY_ORDER.map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABEL[s]} ({formatCount(atOrAbove(s))})
            </option>
          ))}
        </select>
        <input
          className="input quick"
          placeholder="Filter: id, title, ATT&CK, IP, principal, resource…"
          aria-label="Filter findings"
          value={text}
          onChange={(e) => setText(e.target.value)}
          disabled={neverRun}
        />
        {list?.lastRun && (
          <span className="muted last-run" data-testid="last-run">
            last run {utcText(list.lastRun.finishedAt ?? list.lastRun.startedAt)} · {formatCount(list.lastRun.rules)} investigations
          </span>
        )}
        {!neverRun && investigateButton(false)}
      </div>
      <InvestigateProgress job={investigate.job} running={investigate.running} error={investigate.error} onCancel={() => void investigate.cancel()} />
      {listError && <div className="error">{listError}</div>}
      {neverRun ? (
        <div className="findings-empty" data-testid="findings-empty">
          <h2>This case has not been investigated yet</h2>
          <p className="muted">
            Investigate runs the {investigations.size > 0 ? formatCount(investigations.size) : ''} built-in investigations over every record in the case and ranks what they
            find by severity, each finding with its ATT&amp;CK techniques, the entities it names and the exact records behind it.
          </p>
          {eventRows === 0 && <p className="warn">The case holds no records yet: import logs first.</p>}
          {investigateButton(true)}
        </div>
      ) : (
        <div className={selected ? 'findings-body with-detail' : 'findings-body'}>
          <div className="findings-list">
            {list && all.length === 0 && <div className="muted pad">The last run found nothing.</div>}
            {list && all.length > 0 && shown.length === 0 && <div className="muted pad">No finding matches the filter.</div>}
            {shown.length > 0 && <FindingsTable findings={shown} selectedId={selectedId} onSelect={select} />}
          </div>
          {selected && <FindingDetail key={selected.finding_id} finding={selected} info={investigations.get(selected.id)} readOnly={readOnly} />}
        </div>
      )}
    </section>
  );
}
