/**
 * The case the analysis bench runs on: every source in one case, as an
 * investigator would have it. It starts as a copy of the CloudTrail import
 * case (the slowest import, already measured) and the other sources are
 * imported into it, so each source is imported once per bench run. Prints
 * one JSON line.
 *
 *   node --import tsx bench/combineCase.ts <base-case> <case-file> <source-dir>...
 */
import fs from 'node:fs';
import { CaseStore } from '../analyzers/store/caseStore';
import { importPaths } from '../analyzers/importers/importRun';

export interface CombineMeasurement {
  /** Seconds to import the other sources into the copy. */
  seconds: number;
  records: Record<string, number>;
  dbBytes: number;
}

async function main(): Promise<void> {
  const [base, dbFile, ...dirs] = process.argv.slice(2);
  if (!base || !dbFile || dirs.length === 0) throw new Error('usage: combineCase.ts <base-case> <case-file> <source-dir>...');
  for (const f of [dbFile, `${dbFile}.wal`]) fs.rmSync(f, { force: true });
  if (fs.existsSync(`${base}.wal`)) throw new Error(`${base} has a WAL: it was not closed cleanly`);
  fs.copyFileSync(base, dbFile);
  const started = performance.now();
  const store = await CaseStore.open(dbFile);
  await importPaths(store, dirs);
  const counts = await store.all<{ t: string; n: bigint }>(
    `SELECT 'cloudtrail' AS t, count(*) AS n FROM cloudtrail UNION ALL SELECT 'vpc_flow', count(*) FROM vpc_flow
     UNION ALL SELECT 'elb', count(*) FROM elb UNION ALL SELECT 's3_access', count(*) FROM s3_access`,
  );
  await store.close();
  const result: CombineMeasurement = {
    seconds: (performance.now() - started) / 1000,
    records: Object.fromEntries(counts.map((r) => [r.t, Number(r.n)])),
    dbBytes: fs.statSync(dbFile).size,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
