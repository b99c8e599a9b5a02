import { useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, RowClickedEvent } from 'ag-grid-community';
import type { ImportJob, RejectRow, SourceRow } from '../api/contract';
import { api } from '../api/client';
import { useApp } from '../state/store';
import { gridTheme, styleNonce } from '../grid/agGrid';
import { FileBrowser } from '../components/FileBrowser';
import { formatBytes, formatCount, formatTime } from '../format';

const SOURCE_LIMIT = 5000;
const SOURCE_DEFAULT_COL_DEF: ColDef<SourceRow> = { sortable: true, resizable: true, filter: true };
const ROW_SELECTION = { mode: 'singleRow', checkboxes: false, enableClickSelection: true } as const;

const sourceColumns: ColDef<SourceRow>[] = [
  { field: 'sourceFileId', headerName: 'id', width: 70, cellClass: 'num' },
  { field: 'path', headerName: 'path', width: 380, tooltipField: 'path' },
  { field: 'kind', width: 110 },
  { field: 'format', width: 170 },
  { field: 'container', width: 110 },
  { field: 'status', width: 100 },
  { field: 'recordsImported', headerName: 'records', width: 100, cellClass: 'num', valueFormatter: (p) => formatCount(p.value) },
  { field: 'recordsDuplicate', headerName: 'dup', width: 70, cellClass: 'num', valueFormatter: (p) => formatCount(p.value) },
  { field: 'recordsRejected', headerName: 'rejected', width: 90, cellClass: (p) => (p.value ? 'num warn' : 'num'), valueFormatter: (p) => formatCount(p.value) },
  { field: 'size', width: 90, cellClass: 'num', valueFormatter: (p) => formatBytes(p.value) },
  { field: 'sha256', headerName: 'sha256', width: 300, cellClass: 'mono' },
  { field: 'firstEventTime', headerName: 'first event (UTC)', width: 200, valueFormatter: (p) => formatTime(p.value) },
  { field: 'lastEventTime', headerName: 'last event (UTC)', width: 200, valueFormatter: (p) => formatTime(p.value) },
  { field: 'importedAt', headerName: 'imported (UTC)', width: 200, valueFormatter: (p) => formatTime(p.value) },
  { field: 'message', width: 300 },
];

function Progress({ job }: { job: ImportJob }) {
  const p = job.progress;
  const pct = p.bytesTotal > 0 ? Math.min(100, (100 * p.bytesDone) / p.bytesTotal) : job.state === 'running' ? 0 : 100;
  return (
    <div className="import-progress" data-testid="import-progress" aria-live="polite">
      <div className="progress-line">
        <span className={`badge ${job.state}`} data-testid="import-state">
          {job.state === 'running' ? p.phase : job.state}
        </span>
        <span>
          files {formatCount(p.filesDone)} / {formatCount(p.filesTotal)}
        </span>
        <span>records {formatCount(p.records)}</span>
        <span className={p.rejected ? 'warn' : ''}>rejected {formatCount(p.rejected)}</span>
        <span>
          {formatBytes(p.bytesDone)} / {formatBytes(p.bytesTotal)}
        </span>
      </div>
      <div className="bar" role="progressbar" aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
        <div className="bar-fill" style={{ width: `${pct}%` }} />
      </div>
      {job.error && <div className="error">{job.error.message}</div>}
      <ul className="file-progress">
        {job.files.slice(0, 12).map((f) => (
          <li key={f.path} className={f.state}>
            <span className="badge small">{f.state === 'importing' ? '…' : '✓'}</span>
            <span className="mono">{f.path}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ImportScreen() {
  const { dataVersion, caseChanged, caseInfo } = useApp();
  const [pathsText, setPathsText] = useState('');
  const [browsing, setBrowsing] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [sources, setSources] = useState<{ total: number; rows: SourceRow[] }>({ total: 0, rows: [] });
  const [selected, setSelected] = useState<SourceRow | null>(null);
  const [rejects, setRejects] = useState<{ total: number; rows: RejectRow[] } | null>(null);
  const [reject, setReject] = useState<RejectRow | null>(null);
  const [sourceFilter, setSourceFilter] = useState('');
  const nonce = useMemo(styleNonce, []);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const polling = useRef(false);

  useEffect(() => {
    api.invoke('sources/list', { limit: SOURCE_LIMIT }).then((r) => r.ok && setSources(r.value));
    // Imports also start outside this screen (a drop on the window, the File menu): look for them now and then.
    const look = () =>
      api.invoke('import/jobs', {}).then((r) => {
        if (polling.current || !r.ok) return;
        const running = r.value.find((j) => j.state === 'running');
        if (running) poll(running.jobId);
        else if (r.value[0]) setJob((j) => j ?? r.value[0]);
      });
    void look();
    const every = setInterval(look, 2000);
    return () => {
      clearInterval(every);
      if (timer.current) clearTimeout(timer.current);
      polling.current = false;
    };
  }, [dataVersion]);

  const poll = (jobId: string) => {
    polling.current = true;
    api.invoke('import/progress', { jobId }).then((r) => {
      if (!r.ok) {
        polling.current = false;
        return setStartError(r.error.message);
      }
      setJob(r.value);
      if (r.value.state === 'running') timer.current = setTimeout(() => poll(jobId), 250);
      else {
        polling.current = false;
        caseChanged();
      }
    });
  };

  const start = async () => {
    const paths = pathsText
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    if (paths.length === 0) return setStartError('Add at least one folder, file or archive.');
    setStartError(null);
    const r = await api.invoke('import/start', { paths });
    if (!r.ok) return setStartError(r.error.message);
    setJob(r.value);
    poll(r.value.jobId);
  };

  const openSource = (row: SourceRow | undefined) => {
    if (!row) return;
    setSelected(row);
    setReject(null);
    api.invoke('rejects/list', { sourceFileId: row.sourceFileId, limit: 500 }).then((r) => setRejects(r.ok ? r.value : { total: 0, rows: [] }));
  };

  const allRejects = () => {
    setSelected(null);
    setReject(null);
    api.invoke('rejects/list', { limit: 500 }).then((r) => setRejects(r.ok ? r.value : { total: 0, rows: [] }));
  };

  const readOnly = caseInfo?.readOnly ?? false;
  return (
    <div className="import-screen">
      <section className="panel import-form">
        <div className="panel-title">Import evidence</div>
        <p className="muted">
          Folders, files, .gz, .zip and .tar.gz on {api.transport === 'http' ? 'the workstation running cloudsift serve' : 'this computer'}, one path per line. The
          format is detected from content; every file is hashed as received.
        </p>
        <div className="import-inputs">
          <textarea
            className="input paths"
            aria-label="Paths to import"
            placeholder="/evidence/AWSLogs"
            value={pathsText}
            onChange={(e) => setPathsText(e.target.value)}
            rows={3}
            spellCheck={false}
          />
          <div className="import-actions">
            <button className="btn" onClick={() => setBrowsing(!browsing)}>
              Browse…
            </button>
            <button className="btn primary" onClick={start} disabled={readOnly || job?.state === 'running'}>
              Import
            </button>
          </div>
        </div>
        {browsing && (
          <FileBrowser
            onPick={(p) => setPathsText((t) => (t.trim() ? `${t.trim()}\n${p}` : p))}
            onClose={() => setBrowsing(false)}
          />
        )}
        {startError && <div className="error">{startError}</div>}
        {job && <Progress job={job} />}
      </section>
      <section className="panel sources">
        <div className="panel-title">
          Sources <span className="muted">(chain of custody: {formatCount(sources.total)} files{sources.total > sources.rows.length ? `, first ${formatCount(sources.rows.length)} shown` : ''})</span>
          <input
            className="input source-filter"
            placeholder="Filter sources (path, kind, hash…)"
            aria-label="Filter sources"
            value={sourceFilter}
            onChange={(e) => setSourceFilter(e.target.value)}
          />
          <button className="btn small" onClick={allRejects}>
            All rejects
          </button>
        </div>
        <div className="grid-host sources-grid" data-testid="sources-grid">
          <AgGridReact<SourceRow>
            theme={gridTheme}
            styleNonce={nonce}
            rowData={sources.rows}
            quickFilterText={sourceFilter}
            columnDefs={sourceColumns}
            defaultColDef={SOURCE_DEFAULT_COL_DEF}
            getRowId={(p) => String(p.data.sourceFileId)}
            onRowClicked={(e: RowClickedEvent<SourceRow>) => openSource(e.data)}
            onCellKeyDown={(e) => (e.event as KeyboardEvent | undefined)?.key === 'Enter' && openSource(e.data)}
            rowSelection={ROW_SELECTION}
            enableCellTextSelection={true}
          />
        </div>
      </section>
      {rejects && (
        <section className="panel rejects" data-testid="rejects-panel">
          <div className="panel-title">
            Rejects {selected ? <span className="mono">in {selected.path}</span> : <span className="muted">in every file</span>}{' '}
            <span className="muted">({formatCount(rejects.total)})</span>
          </div>
          <div className="rejects-body">
            <ul className="reject-list" role="listbox" aria-label="Rejected records">
              {rejects.rows.length === 0 && <li className="muted">No rejects.</li>}
              {rejects.rows.map((r) => (
                <li key={`${r.sourceFileId}:${r.position}:${r.reason}`}>
                  <button
                    className={reject === r ? 'reject-item active' : 'reject-item'}
                    onClick={() => setReject(r)}
                    role="option"
                    aria-selected={reject === r}
                  >
                    <span className="mono muted">
                      {r.positionKind} {r.position}
                    </span>
                    <span>{r.reason}</span>
                  </button>
                </li>
              ))}
            </ul>
            {reject && (
              <div className="reject-detail" data-testid="reject-detail">
                <dl>
                  <dt>File</dt>
                  <dd className="mono">{reject.sourcePath ?? reject.sourceFileId}</dd>
                  <dt>Position</dt>
                  <dd className="mono">
                    {reject.positionKind} {reject.position}
                  </dd>
                  <dt>Reason</dt>
                  <dd data-testid="reject-reason">{reject.reason}</dd>
                </dl>
                <div className="section-title">Excerpt</div>
                <pre className="raw" data-testid="reject-excerpt">
                  {reject.excerpt}
                </pre>
              </div>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
