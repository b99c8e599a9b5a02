/** The bench's results as a table for the terminal and as JSON for the README. */
import type { AnalysisMeasurement, Timing } from './analyzeCase';

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
  /** Every source in one case, and what an investigator waits for on it. */
  analysis?: AnalysisResult;
}

export interface AnalysisResult extends AnalysisMeasurement {
  /** How the combined case was made, and how long importing the other sources into a copy of the CloudTrail case took. */
  combinedCase: { how: string; seconds: number; records: Record<string, number>; dbBytes: number };
  /** One-minute load average around the analysis alone. */
  loadAverage: { before: number; after: number };
  targets: typeof TARGETS;
  /** Which targets were met, by name. */
  met: Record<keyof typeof TARGETS, boolean>;
}

/** The targets the analysis must meet on the full bench dataset, on 2 cores. */
export const TARGETS = {
  investigationsSeconds: 10,
  eventsPageMs: 50,
  entityProfileMs: 500,
  histogramMs: 300,
  huntPackSeconds: 15,
};

export function targetsMet(a: AnalysisMeasurement): AnalysisResult['met'] {
  const worst = (ts: Timing[]) => Math.max(...ts.map((t) => t.medianMs));
  return {
    investigationsSeconds: a.investigations.seconds <= TARGETS.investigationsSeconds,
    eventsPageMs: worst(Object.values(a.eventsPage)) <= TARGETS.eventsPageMs,
    entityProfileMs: worst(Object.values(a.entityProfile)) <= TARGETS.entityProfileMs,
    histogramMs: worst(Object.values(a.histogram)) <= TARGETS.histogramMs,
    huntPackSeconds: a.hunts.seconds <= TARGETS.huntPackSeconds,
  };
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

export function formatAnalysis(a: AnalysisResult): string {
  const recs = Object.entries(a.combinedCase.records)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`)
    .join(', ');
  const verdict = (ok: boolean): string => (ok ? 'ok' : 'OVER');
  const rows: string[][] = [];
  const timing = (label: string, t: Timing, target: number, ok: boolean): void => {
    rows.push([label, `${t.medianMs.toFixed(1)} ms`, `<= ${target} ms`, verdict(ok), t.what]);
  };
  const inv = a.investigations;
  rows.push(['investigations', `${inv.seconds.toFixed(1)} s`, `<= ${a.targets.investigationsSeconds} s`, verdict(a.met.investigationsSeconds),
    `${inv.rules} rules, ${inv.findings} findings${inv.failed.length ? `, ${inv.failed.length} FAILED` : ''}`]);
  for (const [name, t] of Object.entries(a.eventsPage)) timing(`events page: ${name}`, t, a.targets.eventsPageMs, t.medianMs <= a.targets.eventsPageMs);
  for (const [name, t] of Object.entries(a.entityProfile)) timing(`entity profile: ${name}`, t, a.targets.entityProfileMs, t.medianMs <= a.targets.entityProfileMs);
  for (const [name, t] of Object.entries(a.histogram)) timing(`histogram: ${name}`, t, a.targets.histogramMs, t.medianMs <= a.targets.histogramMs);
  rows.push(['hunt pack', `${a.hunts.seconds.toFixed(1)} s`, `<= ${a.targets.huntPackSeconds} s`, verdict(a.met.huntPackSeconds),
    `${a.hunts.hunts} hunts through the sandbox runner${a.hunts.failed.length ? `, ${a.hunts.failed.length} FAILED` : ''}`]);
  const header = ['measure', 'median', 'target', 'met', 'what'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const out = [
    `one case with every source (${recs}; ${(a.combinedCase.dbBytes / MB).toFixed(1)} MB): ${a.combinedCase.how}, ${a.combinedCase.seconds.toFixed(1)} s`,
    `load average ${a.loadAverage.before} before the analysis, ${a.loadAverage.after} after`,
    `unified events table: ${a.eventsRows.toLocaleString('en-US')} rows built in ${a.eventsTableSeconds.toFixed(1)} s (once per import; not a target)`,
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    `ten slowest investigations: ${inv.slowest.map((r) => `${r.id} ${Math.round(r.ms)} ms`).join(', ')}`,
    `five slowest hunts: ${a.hunts.slowest.map((h) => `${h.id} ${Math.round(h.ms)} ms`).join(', ')}`,
  ];
  for (const f of inv.failed) out.push(`investigation ${f.id} failed: ${f.error}`);
  for (const f of a.hunts.failed) out.push(`hunt ${f.id} failed: ${f.error}`);
  return out.join('\n');
}
