import { useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { CountGrid, niceMax } from '../chartAxis';
import type { EventsHistogram as HistogramData } from '../../api/contract';
import { SERIES_COLORS } from '../VolumeChart';
import { formatCount, formatTime } from '../../format';
import { SOURCE_LABELS, SOURCES } from './filterText';

const H = 150;
const PAD = { left: 56, right: 12, top: 8, bottom: 26 };

function bucketLabel(seconds: number): string {
  if (seconds >= 86400) return `${seconds / 86400} d`;
  if (seconds >= 3600) return `${seconds / 3600} h`;
  if (seconds >= 60) return `${seconds / 60} min`;
  return `${seconds} s`;
}

interface Props {
  data: HistogramData;
  /** A range dragged across the chart, snapped to bucket edges (ISO 8601). */
  onZoom(from: string, to: string): void;
}

/**
 * Events per time bucket, stacked by source, drawn as SVG. Dragging across it
 * selects a range (brush) and zooms the whole screen to it.
 */
export function EventsHistogram({ data, onZoom }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [W, setW] = useState(960);
  const [hover, setHover] = useState<number | null>(null);
  const [brush, setBrush] = useState<{ x0: number; x1: number } | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setW(Math.max(320, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const n = data.buckets.length;
  const series = SOURCES.filter((s) => data.series[s]?.some((v) => v > 0));
  const totals = useMemo(() => Array.from({ length: n }, (_, i) => series.reduce((a, s) => a + (data.series[s]?.[i] ?? 0), 0)), [data]);
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = n > 0 ? plotW / n : plotW;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const startMs = n > 0 ? Date.parse(data.buckets[0]) : 0;
  const stepMs = data.bucketSeconds * 1000;
  const labelEvery = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / 150))));

  const xOf = (e: PointerEvent<SVGRectElement>) => {
    const box = (e.currentTarget.ownerSVGElement ?? e.currentTarget).getBoundingClientRect();
    return Math.min(Math.max(e.clientX - box.left, PAD.left), PAD.left + plotW);
  };
  const bucketAt = (x: number) => Math.min(n - 1, Math.max(0, Math.floor((x - PAD.left) / bw)));
  const onDown = (e: PointerEvent<SVGRectElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const x = xOf(e);
    setBrush({ x0: x, x1: x });
  };
  const onMove = (e: PointerEvent<SVGRectElement>) => {
    const x = xOf(e);
    setHover(bucketAt(x));
    if (brush) setBrush({ ...brush, x1: x });
  };
  const onUp = (e: PointerEvent<SVGRectElement>) => {
    if (!brush) return;
    const x1 = xOf(e);
    setBrush(null);
    if (Math.abs(x1 - brush.x0) < 4 || n === 0) return;
    const a = bucketAt(Math.min(brush.x0, x1));
    const b = bucketAt(Math.max(brush.x0, x1));
    onZoom(new Date(startMs + a * stepMs).toISOString(), new Date(startMs + (b + 1) * stepMs).toISOString());
  };

  if (n === 0) {
    return (
      <div className="chart tl-histogram muted" ref={host} data-testid="events-histogram">
        No events match.
      </div>
    );
  }
  return (
    <div className="chart tl-histogram" ref={host} data-testid="events-histogram">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Events over time by source (UTC); drag to zoom" onMouseLeave={() => setHover(null)}>
        <CountGrid max={max} y={y} left={PAD.left} right={W - PAD.right} />
        {totals.map((_, i) => {
          let acc = 0;
          const x = PAD.left + i * bw;
          return (
            <g key={i}>
              {hover === i && <rect x={x} y={PAD.top} width={Math.max(bw, 1)} height={plotH} className="hover-band on" />}
              {series.map((s) => {
                const v = data.series[s]?.[i] ?? 0;
                if (v === 0) return null;
                const top = y(acc + v);
                const h = y(acc) - top;
                acc += v;
                return <rect key={s} x={x + (bw > 3 ? 0.5 : 0)} y={top} width={Math.max(bw - (bw > 3 ? 1 : 0), 0.8)} height={Math.max(h, 0.5)} fill={SERIES_COLORS[s] ?? '#999'} />;
              })}
            </g>
          );
        })}
        {totals.map((_, i) =>
          i % labelEvery === 0 ? (
            <text key={`l${i}`} x={PAD.left + i * bw} y={H - 8} className="axis-label">
              {formatTime(data.buckets[i]).slice(0, 16)}
            </text>
          ) : null,
        )}
        {brush && <rect x={Math.min(brush.x0, brush.x1)} y={PAD.top} width={Math.abs(brush.x1 - brush.x0)} height={plotH} className="tl-brush" data-testid="histogram-brush" />}
        <rect
          x={PAD.left}
          y={PAD.top}
          width={plotW}
          height={plotH}
          className="tl-brush-target"
          data-testid="histogram-plot"
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={() => setBrush(null)}
        />
      </svg>
      <div className="chart-legend">
        {series.map((s) => (
          <span key={s}>
            <i className={`swatch swatch-${s}`} /> {SOURCE_LABELS[s]} {formatCount(data.series[s].reduce((a, v) => a + v, 0))}
          </span>
        ))}
        <span className="muted">bucket {bucketLabel(data.bucketSeconds)} · drag across the chart to zoom</span>
        {hover !== null && (
          <span className="mono chart-hover" data-testid="histogram-hover">
            {formatTime(data.buckets[hover])} · {formatCount(totals[hover])} events
          </span>
        )}
      </div>
    </div>
  );
}
