/** The bench's results as a table for the terminal and as JSON for the README. */

export interface SourceResult {
  source: string;
  table: string;
  files: number;
  records: number;
  rejected: number;
  seconds: number;
  recordsPerSecond: number;
  gzBytes: number;
  rawBytes: number;
  gzMBps: number;
  rawMBps: number;
  peakRssSampledMB: number;
  maxRssMB: number;
  dbBytes: number;
  dbToGzRatio: number;
}

export interface JqResult {
  measured: boolean;
  /** Why it was not measured, and how to make it measurable. */
  note?: string;
  seconds?: number;
  /** CloudTrail import time divided by jq time: below 1, the import is faster than jq. */
  importToJqRatio?: number;
}

export interface BenchRun {
  scale: number;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; platform: string };
  /** One-minute load average before and after: other work on the machine skews every number. */
  loadAverage: { before: number; after: number };
  /** How long the data took to generate, when it was generated (it is reused across runs). */
  generationSeconds: number;
  sources: SourceResult[];
  jq: JqResult;
}

const MB = 1e6;

export function toResult(
  source: string,
  table: string,
  m: { files: number; records: number; rejected: number; seconds: number; peakRssSampled: number; maxRss: number; dbBytes: number },
  data: { gzBytes: number; rawBytes: number },
): SourceResult {
  const round = (v: number, digits = 1): number => Number(v.toFixed(digits));
  return {
    source,
    table,
    files: m.files,
    records: m.records,
    rejected: m.rejected,
    seconds: round(m.seconds, 2),
    recordsPerSecond: Math.round(m.records / m.seconds),
    gzBytes: data.gzBytes,
    rawBytes: data.rawBytes,
    gzMBps: round(data.gzBytes / MB / m.seconds),
    rawMBps: round(data.rawBytes / MB / m.seconds),
    peakRssSampledMB: Math.round(m.peakRssSampled / MB),
    maxRssMB: Math.round(m.maxRss / MB),
    dbBytes: m.dbBytes,
    dbToGzRatio: round(m.dbBytes / data.gzBytes, 2),
  };
}

export function formatTable(run: BenchRun): string {
  const header = ['source', 'records', 'rejected', 'seconds', 'records/s', 'gz MB/s', 'raw MB/s', 'peak RSS MB', 'maxRSS MB', 'DB MB', 'DB/gz'];
  const rows = run.sources.map((s) => [
    s.source,
    s.records.toLocaleString('en-US'),
    String(s.rejected),
    s.seconds.toFixed(1),
    s.recordsPerSecond.toLocaleString('en-US'),
    s.gzMBps.toFixed(1),
    s.rawMBps.toFixed(1),
    String(s.peakRssSampledMB),
    String(s.maxRssMB),
    (s.dbBytes / MB).toFixed(1),
    s.dbToGzRatio.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (run.jq.measured) {
    out.push('', `jq -c '.Records[]' over the same CloudTrail files: ${run.jq.seconds!.toFixed(1)} s; import / jq = ${run.jq.importToJqRatio!.toFixed(2)}`);
  } else {
    out.push('', `jq ratio not measured: ${run.jq.note}`);
  }
  return out.join('\n');
}
