import { formatCount } from '../format';

/** The round number (1, 2 or 5 times a power of ten) at or above the tallest bar: the top of the y axis. */
export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((x) => x >= v) ?? v;
}

/** Horizontal grid lines at zero, half and the top, with their counts. */
export function CountGrid({ max, y, left, right }: { max: number; y(v: number): number; left: number; right: number }) {
  return (
    <>
      {[0, max / 2, max].map((t) => (
        <g key={t}>
          <line x1={left} x2={right} y1={y(t)} y2={y(t)} className="grid-line" />
          <text x={left - 6} y={y(t) + 4} textAnchor="end" className="axis-label">
            {formatCount(Math.round(t))}
          </text>
        </g>
      ))}
    </>
  );
}
