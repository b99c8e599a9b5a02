/**
 * Imports one bench source into a fresh case and prints what it measured as
 * one JSON line. It runs in a process of its own so that each source's peak
 * memory (resourceUsage().maxRSS is a lifetime maximum) is its own.
 *
 *   node --import tsx bench/importSource.ts <source-dir> <case-file>
 */
import fs from 'node:fs';
import { CaseStore } from '../analyzers/store/caseStore';
import { importPaths } from '../analyzers/importers/importRun';

export interface ImportMeasurement {
  files: number;
  records: Record<string, number>;
  rejected: number;
  /** Seconds as importPaths reports them, and as measured around the call (case open and close included). */
  seconds: number;
  wallSeconds: number;
  bytes: number;
  peakRssSampled: number;
  maxRss: number;
  dbBytes: number;
}

const SAMPLE_MS = 50;

async function main(): Promise<void> {
  const [dir, dbFile] = process.argv.slice(2);
  if (!dir || !dbFile) throw new Error('usage: importSource.ts <source-dir> <case-file>');
  for (const f of [dbFile, `${dbFile}.wal`]) fs.rmSync(f, { force: true });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, SAMPLE_MS);
  const started = performance.now();
  const store = await CaseStore.open(dbFile);
  const summary = await importPaths(store, [dir]);
  await store.close();
  const wallSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const wal = `${dbFile}.wal`;
  const result: ImportMeasurement = {
    files: summary.files,
    records: summary.records,
    rejected: summary.rejected,
    seconds: summary.seconds,
    wallSeconds,
    bytes: summary.bytes,
    peakRssSampled: peak,
    // Linux reports maxRSS in kilobytes.
    maxRss: process.resourceUsage().maxRSS * 1024,
    dbBytes: fs.statSync(dbFile).size + (fs.existsSync(wal) ? fs.statSync(wal).size : 0),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
