import { useEffect, useMemo, useRef, useState } from 'react';
import { CountGrid, niceMax } from './chartAxis';
import type { HistogramResponse } from '../api/contract';
import { formatCount, formatTime } from '../format';

export const SERIES_COLORS: Record<string, string> = {
  cloudtrail: '#4f8fd6',
  vpc_flow: '#5fb37d',
  elb: '#d6a34f',
  s3_access: '#b46fd1',
  other_records: '#8a94a3',
};

const H = 220;
const PAD = { left: 56, right: 12, top: 10, bottom: 34 };

/** Stacked event counts per time bucket, drawn as SVG; labels are text nodes. */
export function VolumeChart({ data, onPick }: { data: HistogramResponse; onPick?(fromMs: number, toMs: number): void }) {
  const [hover, setHover] = useState<number | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const [W, setW] = useState(960);
  useEffect(() => {
    // Drawn at the pixel width it gets, so that labels keep their size.
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setW(Math.max(320, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [data.bucketCount === 0]);
  const totals = useMemo(() => Array.from({ length: data.bucketCount }, (_, i) => data.series.reduce((a, s) => a + (s.counts[i] ?? 0), 0)), [data]);
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = data.bucketCount > 0 ? plotW / data.bucketCount : plotW;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(data.bucketCount / 6));
  if (data.bucketCount === 0) {
    return (
      <div className="chart muted" ref={host}>
        No events with a time yet.
      </div>
    );
  }
  return (
    <div className="chart" data-testid="volume-chart" ref={host}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Event volume over time (UTC)" onMouseLeave={() => setHover(null)}>
        <CountGrid max={max} y={y} left={PAD.left} right={W - PAD.right} />
        {totals.map((_, i) => {
          let acc = 0;
          const x = PAD.left + i * bw;
          return (
            <g key={i} onMouseEnter={() => setHover(i)} onClick={() => onPick?.(data.startMs + i * data.bucketMs, data.startMs + (i + 1) * data.bucketMs)} className="bucket">
              <rect x={x} y={PAD.top} width={Math.max(bw, 1)} height={plotH} className={hover === i ? 'hover-band on' : 'hover-band'} />
              {data.series.map((s) => {
                const v = s.counts[i] ?? 0;
                if (v === 0) return null;
                const top = y(acc + v);
                const h = y(acc) - top;
                acc += v;
                return <rect key={s.table} x={x + (bw > 3 ? 0.5 : 0)} y={top} width={Math.max(bw - (bw > 3 ? 1 : 0), 0.8)} height={Math.max(h, 0.5)} fill={SERIES_COLORS[s.table] ?? '#999'} />;
              })}
            </g>
          );
        })}
        {totals.map((_, i) =>
          i % labelEvery === 0 ? (
            <text key={`l${i}`} x={PAD.left + i * bw} y={H - 14} className="axis-label">
              {formatTime(data.startMs + i * data.bucketMs).slice(0, 16)}
            </text>
          ) : null,
        )}
        <text x={W - PAD.right} y={H - 2} textAnchor="end" className="axis-label">
          UTC · bucket {Math.round(data.bucketMs / 60000) >= 1 ? `${Math.round(data.bucketMs / 60000)} min` : `${data.bucketMs / 1000} s`}
        </text>
      </svg>
      <div className="chart-legend">
        {data.series.map((s) => (
          <span key={s.table}>
            <i className={`swatch swatch-${s.table}`} /> {s.table}
          </span>
        ))}
        {hover !== null && (
          <span className="mono chart-hover" data-testid="chart-hover">
            {formatTime(data.startMs + hover * data.bucketMs)} · {formatCount(totals[hover])} events
          </span>
        )}
      </div>
    </div>
  );
}
