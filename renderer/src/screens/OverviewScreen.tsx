import { useEffect, useState } from 'react';
import type { HistogramResponse, OverviewResponse } from '../api/contract';
import { api } from '../api/client';
import { useApp } from '../state/store';
import { VolumeChart } from '../components/VolumeChart';
import { formatBytes, formatCount, formatTime } from '../format';

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

export function OverviewScreen() {
  const { dataVersion, openTable, setScreen } = useApp();
  const [ov, setOv] = useState<OverviewResponse | null>(null);
  const [hist, setHist] = useState<HistogramResponse | null>(null);
  const [chartMs, setChartMs] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.invoke('overview/get', {}).then((r) => (r.ok ? setOv(r.value) : setError(r.error.message)));
    const t0 = performance.now();
    api.invoke('histogram/get', { buckets: 160 }).then((r) => {
      if (r.ok) {
        setHist(r.value);
        setChartMs(Math.round(performance.now() - t0));
      } else setError(r.error.message);
    });
  }, [dataVersion]);

  if (error) return <div className="error">{error}</div>;
  if (!ov) return <div className="muted pad">Loading overview…</div>;
  const total = ov.tables.reduce((a, t) => a + (t.table === 'digests' ? 0 : t.rows), 0);
  if (ov.sources.files === 0) {
    return (
      <div className="empty-case">
        <h2>This case is empty</h2>
        <p className="muted">Import a folder, file or archive of exported AWS logs to begin.</p>
        <button className="btn primary" onClick={() => setScreen('import')}>
          Import evidence
        </button>
      </div>
    );
  }
  return (
    <div className="overview">
      <div className="stats">
        <Stat label="records" value={formatCount(total)} testId="ov-records" />
        <Stat label="source files" value={formatCount(ov.sources.files)} />
        <Stat label="bytes received" value={formatBytes(ov.sources.bytes)} />
        <Stat label="rejected records" value={formatCount(ov.sources.rejectedRecords)} />
        <Stat label="first event" value={formatTime(ov.timeSpan.first)} testId="ov-first" />
        <Stat label="last event" value={formatTime(ov.timeSpan.last)} />
      </div>
      <section className="panel">
        <div className="panel-title">
          Event volume <span className="muted">(UTC{chartMs !== null ? ` · ${chartMs} ms` : ''})</span>
        </div>
        {hist ? (
          <VolumeChart
            data={hist}
            onPick={(from, to) =>
              openTable(ov.tables.find((t) => t.table === 'cloudtrail' && t.rows > 0) ? 'cloudtrail' : (ov.tables.find((t) => t.rows > 0)?.table ?? 'cloudtrail'), [
                { column: 'event_time', op: 'between', value: [new Date(from).toISOString(), new Date(to - 1).toISOString()] },
              ])
            }
          />
        ) : (
          <div className="muted">Counting…</div>
        )}
      </section>
      <div className="overview-columns">
        <section className="panel">
          <div className="panel-title">Records per table</div>
          <table className="dense" data-testid="ov-tables">
            <thead>
              <tr>
                <th>table</th>
                <th className="num">rows</th>
                <th>first (UTC)</th>
                <th>last (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {ov.tables.map((t) => (
                <tr key={t.table} className="clickable" onClick={() => openTable(t.table)}>
                  <td className="mono">{t.table}</td>
                  <td className="num">{formatCount(t.rows)}</td>
                  <td className="mono">{formatTime(t.firstEventTime)}</td>
                  <td className="mono">{formatTime(t.lastEventTime)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="panel-title">Sources by kind</div>
          <table className="dense">
            <thead>
              <tr>
                <th>kind</th>
                <th className="num">files</th>
                <th className="num">records</th>
              </tr>
            </thead>
            <tbody>
              {ov.sources.byKind.map((k) => (
                <tr key={k.kind}>
                  <td className="mono">{k.kind}</td>
                  <td className="num">{formatCount(k.files)}</td>
                  <td className="num">{formatCount(k.records)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <div className="panel-title">Accounts</div>
          <table className="dense" data-testid="ov-accounts">
            <tbody>
              {ov.accounts.map((a) => (
                <tr key={a.key}>
                  <td className="mono">{a.key}</td>
                  <td className="num">{formatCount(a.records)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="panel-title">Regions</div>
          <table className="dense" data-testid="ov-regions">
            <tbody>
              {ov.regions.map((a) => (
                <tr key={a.key}>
                  <td className="mono">{a.key}</td>
                  <td className="num">{formatCount(a.records)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
