import { useEffect, useState } from 'react';
import type { ExportRequest, FindingInfo, HuntSummary } from '../../api/contract';
import { api } from '../../api/client';
import { useApp } from '../../state/store';
import { formatCount } from '../../format';
import { useEvidence } from './evidenceStore';
import { jobStarted, useJob } from './useJob';
import { JobProgress } from './JobProgress';
import { PathField } from './PathField';
import { ExportResult } from './ExportResult';
import { basename, defaultBundlePath, joinPath } from './paths';

type Loaded<T> = { value: T } | { error: string } | null;

function useList<T>(load: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>(null);
  useEffect(() => {
    let stopped = false;
    setState(null);
    load().then((r) => !stopped && setState(r.ok ? { value: r.value } : { error: r.error.message }));
    return () => {
      stopped = true;
    };
  }, deps);
  return state;
}

function FindingPicker({ findings, selected, onChange }: { findings: Loaded<FindingInfo[]>; selected: Set<number>; onChange(s: Set<number>): void }) {
  if (findings === null) return <div className="muted">Loading findings…</div>;
  if ('error' in findings) return <div className="error ev-inline-error">Findings could not be listed ({findings.error}); every finding in the case will be included.</div>;
  const list = findings.value;
  if (list.length === 0) return <div className="muted">No findings in the case (run the investigations on the Findings screen to add them).</div>;
  const all = list.every((f) => selected.has(f.finding_id));
  return (
    <div>
      <label className="ev-check">
        <input type="checkbox" checked={all} onChange={() => onChange(all ? new Set() : new Set(list.map((f) => f.finding_id)))} data-testid="findings-all" />
        <span>
          All findings <span className="muted">({formatCount(selected.size)} of {formatCount(list.length)} chosen)</span>
        </span>
      </label>
      <ul className="ev-pick-list" aria-label="Findings to include">
        {list.map((f) => (
          <li key={f.finding_id}>
            <label className="ev-check">
              <input
                type="checkbox"
                checked={selected.has(f.finding_id)}
                onChange={() => {
                  const next = new Set(selected);
                  if (!next.delete(f.finding_id)) next.add(f.finding_id);
                  onChange(next);
                }}
              />
              <span className={`badge ev-sev ${f.severity}`}>{f.severity}</span>
              <span className="mono">{f.id}</span>
              <span className="ev-ellipsis">{f.title}</span>
              <span className="muted num">{formatCount(f.count)}</span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}

function HuntPicker({ hunts, selected, onChange, disabled }: { hunts: Loaded<HuntSummary[]>; selected: Set<string>; onChange(s: Set<string>): void; disabled: boolean }) {
  if (hunts === null) return <div className="muted">Loading hunts…</div>;
  if ('error' in hunts) return <div className="error ev-inline-error">Hunts could not be listed ({hunts.error}); the bundle will hold none.</div>;
  if (hunts.value.length === 0) return <div className="muted">No hunts in the library.</div>;
  return (
    <ul className="ev-pick-list" aria-label="Hunts to include">
      {hunts.value.map((h) => (
        <li key={h.id}>
          <label className="ev-check">
            <input
              type="checkbox"
              disabled={disabled}
              checked={selected.has(h.id)}
              onChange={() => {
                const next = new Set(selected);
                if (!next.delete(h.id)) next.add(h.id);
                onChange(next);
              }}
            />
            <span className="mono">{h.id}</span>
            <span className="ev-ellipsis">{h.title}</span>
            <span className="muted">{h.origin}</span>
          </label>
        </li>
      ))}
    </ul>
  );
}

/** An evidence bundle: what goes in, who exports it, where it is written, and the signing key. */
export function ExportPanel() {
  const { caseInfo, dataVersion } = useApp();
  const ev = useEvidence();
  const findings = useList<FindingInfo[]>(() => api.invoke('findings/list', {}).then((r) => (r.ok ? { ok: true as const, value: r.value.findings } : r)), [dataVersion]);
  const timeline = useList(() => api.invoke('timeline/list', {}), [dataVersion]);
  const hunts = useList(() => api.invoke('hunts/list', {}), [dataVersion]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [includeTimeline, setIncludeTimeline] = useState(true);
  const [selectedHunts, setSelectedHunts] = useState<Set<string>>(new Set());
  const [startError, setStartError] = useState<string | null>(null);
  const { job, error: jobError } = useJob('export', ev.exportJobId, (j) => {
    if (j.state !== 'done' || !j.result) return;
    const key = useEvidence.getState().signKey;
    ev.set({ verifyBundle: j.result.out, ...(j.result.signed && key.endsWith('.key') && !useEvidence.getState().verifyKey ? { verifyKey: key.replace(/\.key$/, '.pub') } : {}) });
  });

  useEffect(() => {
    if (findings && 'value' in findings) setSelected(new Set(findings.value.map((f) => f.finding_id)));
  }, [findings]);

  useEffect(() => {
    if (caseInfo && !useEvidence.getState().out) ev.set({ out: defaultBundlePath(caseInfo.path) });
  }, [caseInfo?.path]);

  const pickOut = async (picked: string) => {
    // A folder picked for the output keeps the file name; a file picked is the file.
    const isFolder = (await api.invoke('fs/list', { path: picked })).ok;
    ev.set({ out: isFolder ? joinPath(picked, basename(ev.out || (caseInfo ? defaultBundlePath(caseInfo.path) : 'evidence.zip'))) : picked });
  };

  const start = async () => {
    const out = ev.out.trim();
    if (!out) return setStartError('Choose where to write the bundle.');
    const req: ExportRequest = { out, timeline: includeTimeline, overwrite: ev.overwrite };
    if (findings && 'value' in findings && !findings.value.every((f) => selected.has(f.finding_id))) req.findings = findings.value.filter((f) => selected.has(f.finding_id)).map((f) => String(f.finding_id));
    if (selectedHunts.size) req.hunts = [...selectedHunts].sort();
    if (ev.analyst.trim()) req.analyst = ev.analyst.trim();
    if (ev.signKey.trim()) req.signKey = ev.signKey.trim();
    setStartError(null);
    const r = await api.invoke('evidence/export', req);
    if (!r.ok) return setStartError(r.error.message);
    jobStarted(r.value.jobId);
    ev.set({ exportJobId: r.value.jobId });
  };

  const readOnly = caseInfo?.readOnly ?? false;
  const running = job?.state === 'running';
  const timelineCount = timeline && 'value' in timeline ? timeline.value.length : null;
  return (
    <section className="panel ev-panel" aria-label="Export a bundle">
      <div className="panel-title">Export an evidence bundle</div>
      <p className="muted ev-small">
        A .zip anyone can check offline with <span className="mono">cloudsift verify</span>: inventory of the input files with their hashes, the digest validation, findings with their evidence
        records, the incident timeline, hunts, report.html, and SHA256SUMS (signed if you give a key).
      </p>
      <div className="section-title">Findings</div>
      <FindingPicker findings={findings} selected={selected} onChange={setSelected} />
      <div className="section-title">Incident timeline</div>
      <label className="ev-check">
        <input type="checkbox" checked={includeTimeline} onChange={(e) => setIncludeTimeline(e.target.checked)} data-testid="export-timeline" />
        <span>
          Include the incident timeline{' '}
          {timeline === null ? (
            <span className="muted">(…)</span>
          ) : 'error' in timeline ? (
            <span className="ev-bad-text">(its items could not be counted: {timeline.error})</span>
          ) : (
            <span className="muted" data-testid="timeline-count">
              ({formatCount(timelineCount)} {timelineCount === 1 ? 'item' : 'items'})
            </span>
          )}
        </span>
      </label>
      <div className="section-title">Hunts</div>
      <p className="muted ev-small">Hunts in a bundle are run again on the case when you export, with their last parameters; their SQL and results go in, and the run is recorded in the hunt history.</p>
      <HuntPicker hunts={hunts} selected={selectedHunts} onChange={setSelectedHunts} disabled={readOnly} />
      {readOnly && <div className="warn ev-small">This case is open read-only: hunts cannot be added to a bundle.</div>}
      <div className="section-title">Export</div>
      <div className="ev-form">
        <div className="ev-path-field">
          <label className="ev-label" htmlFor="ev-analyst">
            Analyst
          </label>
          <input id="ev-analyst" className="input" value={ev.analyst} onChange={(e) => ev.set({ analyst: e.target.value })} placeholder="your name (the workstation's user name when empty)" maxLength={200} />
        </div>
        <PathField label="Signing key (optional)" value={ev.signKey} onChange={(p) => ev.set({ signKey: p })} placeholder="Ed25519 private key from cloudsift keygen" testId="export-sign-key" />
        <PathField label="Output file" value={ev.out} onChange={(p) => ev.set({ out: p })} onPicked={pickOut} placeholder="/cases/evidence.zip" testId="export-out" />
        <label className="ev-check">
          <input type="checkbox" checked={ev.overwrite} onChange={(e) => ev.set({ overwrite: e.target.checked })} data-testid="export-overwrite" />
          <span>Replace the file if it exists</span>
        </label>
        <div className="ev-actions">
          <button className="btn primary" onClick={start} disabled={running} data-testid="export-run">
            Export
          </button>
        </div>
      </div>
      {startError && <div className="error">{startError}</div>}
      {jobError && <div className="error">{jobError}</div>}
      {job && <JobProgress job={job} testId="export-progress" />}
      {job?.state === 'done' && job.result && <ExportResult result={job.result} />}
    </section>
  );
}
