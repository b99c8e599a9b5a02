import { useEffect, useRef, useState } from 'react';
import type { CoverageInfo, EventFilterSpec } from '../../api/contract';
import { api } from '../../api/client';
import type { RecordRef } from '../../state/store';
import { SERIES_COLORS } from '../VolumeChart';
import { EntityValue } from '../EntityValue';
import { formatCount, formatTime } from '../../format';
import { SOURCE_LABELS } from './filterText';

const BUCKETS = [5, 10, 15, 30, 60];
const ROW_H = 22;

interface Props {
  dataVersion: number;
  onShowRecord(ref: RecordRef): void;
  onShowEvents(filter: EventFilterSpec): void;
}

type Series = CoverageInfo['series'][number];
type Gap = CoverageInfo['gaps'][number];
const seriesKey = (s: { source: string; account: string; region: string }) => `${s.source}|${s.account}|${s.region}`;

function minutesText(m: number): string {
  if (m < 120) return `${Math.round(m)} min`;
  if (m < 2 * 1440) return `${(m / 60).toFixed(1)} h`;
  return `${(m / 1440).toFixed(1)} days`;
}

function label(s: Series): string {
  return SOURCE_LABELS[s.source as keyof typeof SOURCE_LABELS] ?? s.source;
}

/**
 * Which periods have logs, per source, account and region: each series is a
 * bar from its first to its last record, with the gaps cut out in red and
 * listed below with what explains them (StopLogging, DeleteTrail, ...).
 */
export function CoverageView({ dataVersion, onShowRecord, onShowEvents }: Props) {
  const [bucketMinutes, setBucketMinutes] = useState(15);
  const [data, setData] = useState<CoverageInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  /** The window the chart shows, when zoomed to a gap; all time otherwise. */
  const [focus, setFocus] = useState<{ lo: number; hi: number } | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const [W, setW] = useState(800);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setW(Math.max(300, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [data !== null]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    api.call('coverage/get', { bucketMinutes }).then(
      (r) => {
        if (!live) return;
        setData(r);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [bucketMinutes, dataVersion]);

  const allLo = data && data.series.length ? Math.min(...data.series.map((s) => Date.parse(s.first))) : 0;
  const allHi = data && data.series.length ? Math.max(...data.series.map((s) => Date.parse(s.last))) : 1;
  const lo = focus?.lo ?? allLo;
  const hi = focus?.hi ?? allHi;
  const x = (t: string) => Math.min(W, Math.max(0, ((Date.parse(t) - lo) / Math.max(1, hi - lo)) * W));
  /** A span as [x, width] on the chart, or null when it is outside the window shown. */
  const span = (from: string, to: string): [number, number] | null => (Date.parse(to) < lo || Date.parse(from) > hi ? null : [x(from), Math.max(2, x(to) - x(from))]);
  const gapsOf = (s: Series) => data?.gaps.filter((g) => seriesKey(g) === seriesKey(s)) ?? [];
  // Gaps something explains (a trail stopped, a flow log deleted) first: those are the ones an attacker made.
  const gaps = data ? [...data.gaps].sort((a, b) => Number(b.explanations.length > 0) - Number(a.explanations.length > 0) || a.from.localeCompare(b.from)) : [];
  const zoomTo = (g: Gap) => {
    const len = Date.parse(g.to) - Date.parse(g.from);
    const margin = Math.max(2 * len, 3 * 3_600_000);
    setFocus({ lo: Math.max(allLo, Date.parse(g.from) - margin), hi: Math.min(allHi, Date.parse(g.to) + margin) });
  };

  return (
    <div className="tl-coverage" data-testid="coverage-view">
      <div className="toolbar">
        <span className="toolbar-title">Coverage</span>
        <label className="tl-field">
          <span className="muted">Bucket</span>
          <select className="input" aria-label="Coverage bucket" value={bucketMinutes} onChange={(e) => setBucketMinutes(Number(e.target.value))}>
            {BUCKETS.map((b) => (
              <option key={b} value={b}>
                {b} min
              </option>
            ))}
          </select>
        </label>
        <span className="muted">A gap is more than two buckets without a record. Times in UTC.</span>
      </div>
      {loading && (
        <div className="bar tl-bar" aria-label="Computing coverage">
          <div className="bar-fill tl-indeterminate" />
        </div>
      )}
      {error && <div className="error">{error}</div>}
      {data && data.series.length === 0 && <div className="muted pad">No events with a time in this case.</div>}
      {data && data.series.length > 0 && (
        <div className="panel">
          <div className="panel-title">
            Records over time · <span className="mono" data-testid="coverage-window">{formatTime(new Date(lo).toISOString())} → {formatTime(new Date(hi).toISOString())}</span>
            <button className="btn small" onClick={() => setFocus(null)} disabled={!focus}>
              All time
            </button>
          </div>
          <div className="tl-cov-grid">
            <div className="tl-cov-labels">
              {data.series.map((s) => (
                <div key={seriesKey(s)} className="tl-cov-label" title={`${s.source} · ${s.account} · ${s.region}`}>
                  <i className={`swatch swatch-${s.source}`} /> <span>{label(s)}</span> <span className="mono muted">{s.account}</span> <span className="mono">{s.region}</span>
                </div>
              ))}
            </div>
            <div className="tl-cov-bars" ref={host}>
              <svg width={W} height={data.series.length * ROW_H} role="img" aria-label="Coverage per source, account and region; gaps in red">
                {data.series.map((s, i) => {
                  const band = span(s.first, s.last);
                  return (
                    <g key={seriesKey(s)} data-testid="coverage-series" data-source={s.source} data-region={s.region}>
                      <rect x={0} y={i * ROW_H + 5} width={W} height={ROW_H - 10} className="tl-cov-track" />
                      {band && (
                        <rect x={band[0]} y={i * ROW_H + 5} width={band[1]} height={ROW_H - 10} fill={SERIES_COLORS[s.source] ?? '#8a94a3'} opacity={0.75}>
                          <title>{`${label(s)} ${s.account} ${s.region}: ${formatCount(s.events)} records, ${s.bucketsWithData} of ${s.bucketsSpanned} buckets have data`}</title>
                        </rect>
                      )}
                      {gapsOf(s).map((g) => {
                        const r = span(g.from, g.to);
                        return r ? (
                          <rect key={g.from} x={r[0]} y={i * ROW_H + 2} width={r[1]} height={ROW_H - 4} className="tl-cov-gap">
                            <title>{`No records ${formatTime(g.from)} → ${formatTime(g.to)} (${minutesText(g.minutes)})`}</title>
                          </rect>
                        ) : null;
                      })}
                    </g>
                  );
                })}
              </svg>
            </div>
          </div>
        </div>
      )}
      {data && (
        <div className="panel">
          <div className="panel-title">Gaps · {data.gaps.length} · explained ones first</div>
          {data.gaps.length === 0 ? (
            <div className="muted">No gaps longer than two {bucketMinutes}-minute buckets.</div>
          ) : (
            <table className="dense" data-testid="coverage-gaps">
              <thead>
                <tr>
                  <th>source</th>
                  <th>account</th>
                  <th>region</th>
                  <th>no records from (UTC)</th>
                  <th>until (UTC)</th>
                  <th className="num">length</th>
                  <th>explained by</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {gaps.map((g) => (
                  <tr key={`${seriesKey(g)}|${g.from}`} data-testid="coverage-gap" data-source={g.source} data-region={g.region} className={g.explanations.length ? 'tl-gap-explained' : undefined}>
                    <td>{SOURCE_LABELS[g.source as keyof typeof SOURCE_LABELS] ?? g.source}</td>
                    <td className="mono tl-cov-account" title={g.account}>
                      {g.account}
                    </td>
                    <td className="mono">{g.region}</td>
                    <td className="mono">{formatTime(g.from)}</td>
                    <td className="mono">{formatTime(g.to)}</td>
                    <td className="num">{minutesText(g.minutes)}</td>
                    <td>
                      {g.explanations.length === 0 && <span className="muted">nothing in CloudTrail</span>}
                      <ul className="tl-explanations">
                        {g.explanations.map((e) => (
                          <li key={`${e.source_file_id}:${e.record_index}`}>
                            <button className="btn small" onClick={() => onShowRecord({ table: 'cloudtrail', sourceFileId: e.source_file_id, recordIndex: e.record_index })} title="Show the record">
                              {e.event}
                            </button>{' '}
                            <span className="mono">{formatTime(e.time)}</span> {e.actor && <>by <EntityValue kind="principal" value={e.actor} /></>}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <div className="tl-cov-actions">
                        <button className="btn small" onClick={() => zoomTo(g)} title="Show this gap on the chart">
                          Zoom
                        </button>
                        <button className="btn small" onClick={() => onShowEvents({ from: g.from, to: g.to })} title="Every source's events during the gap">
                          Events
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
