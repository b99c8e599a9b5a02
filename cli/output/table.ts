export { csvCell } from '../../analyzers/format/csv';

/** Plain-text tables for the terminal. Cells are printed as text; control characters from logs are made visible. */
export function formatTable(headers: string[], rows: unknown[][], align: ('l' | 'r')[] = []): string {
  const cells = rows.map((r) => r.map(cellText));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (vals: string[]) =>
    vals.map((v, i) => (align[i] === 'r' ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'object') s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  else s = String(v);
  // Terminal escape sequences in log fields must not reach the terminal.
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}
