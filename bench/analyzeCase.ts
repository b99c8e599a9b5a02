/**
 * What an investigator waits for once the case is imported: every
 * investigation, a page of the unified events, an entity profile, the
 * histogram, and the built-in hunt pack through the sandbox runner. Runs in
 * a process of its own over the combined case and prints one JSON line.
 *
 *   node --import tsx bench/analyzeCase.ts <case-file>
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseStore } from '../analyzers/store/caseStore';
import { runInvestigations, slowestRules } from '../analyzers/investigations/runInvestigations';
import { ensureEventsTable, EVENTS_TABLE } from '../analyzers/timeline/eventsTable';
import { queryEvents, type EventFilter } from '../analyzers/timeline/eventsQuery';
import { histogram } from '../analyzers/timeline/histogram';
import { entityProfile } from '../analyzers/entities/entityProfile';
import type { EntityRef } from '../analyzers/timeline/entityRef';
import { HuntLibrary } from '../analyzers/hunts/library';
import { runHuntSandboxed } from '../analyzers/hunts/runHunt';

/** Repeated measurement of one operation; the median is the figure. */
export interface Timing {
  medianMs: number;
  samplesMs: number[];
  /** What was asked, in words. */
  what: string;
}

export interface AnalysisMeasurement {
  investigations: {
    rules: number;
    findings: number;
    failed: { id: string; error: string }[];
    seconds: number;
    slowest: { id: string; ms: number; findings: number }[];
  };
  /** Building the unified events table, once after an import (not a target). */
  eventsTableSeconds: number;
  eventsRows: number;
  eventsPage: { first: Timing; deep: Timing; entity: Timing; rareEntity: Timing };
  entityProfile: { ip: Timing; principal: Timing };
  histogram: { unfiltered: Timing; bySourceAndOutcome: Timing; byEntity: Timing };
  hunts: {
    hunts: number;
    failed: { id: string; error: string }[];
    seconds: number;
    slowest: { id: string; ms: number; rows: number }[];
  };
}

const PAGE = 200;
const round = (ms: number): number => Math.round(ms * 10) / 10;

async function timed(what: string, repeats: number, fn: () => Promise<unknown>): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(round(performance.now() - t0));
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], samplesMs: samples, what };
}

async function busiest(store: CaseStore, sql: string): Promise<string> {
  const row = await store.one<{ v: string }>(sql);
  if (!row) throw new Error(`no value for: ${sql}`);
  return row.v;
}

async function investigations(store: CaseStore): Promise<AnalysisMeasurement['investigations']> {
  const t0 = performance.now();
  const run = await runInvestigations(store);
  const seconds = (performance.now() - t0) / 1000;
  return {
    rules: run.rules.length,
    findings: run.findings.length,
    failed: run.rules.filter((r) => r.error).map((r) => ({ id: r.id, error: r.error! })),
    seconds: Number(seconds.toFixed(2)),
    slowest: slowestRules(run, 10).map((r) => ({ id: r.id, ms: r.ms, findings: r.findings })),
  };
}

async function huntPack(casePath: string): Promise<AnalysisMeasurement['hunts']> {
  const emptyUserDir = path.join(os.tmpdir(), `cloudsift-bench-no-user-hunts-${process.pid}`);
  const hunts = new HuntLibrary(emptyUserDir).list();
  const times: { id: string; ms: number; rows: number }[] = [];
  const failed: { id: string; error: string }[] = [];
  for (const hunt of hunts) {
    const t0 = performance.now();
    let rows = 0;
    try {
      rows = (await runHuntSandboxed(casePath, hunt, {})).rowCount;
    } catch (e) {
      failed.push({ id: hunt.id, error: e instanceof Error ? e.message : String(e) });
    }
    times.push({ id: hunt.id, ms: round(performance.now() - t0), rows });
  }
  const total = times.reduce((n, t) => n + t.ms, 0);
  return { hunts: hunts.length, failed, seconds: Number((total / 1000).toFixed(2)), slowest: [...times].sort((a, b) => b.ms - a.ms).slice(0, 5) };
}

async function main(): Promise<void> {
  const [casePath] = process.argv.slice(2);
  if (!casePath || !fs.existsSync(casePath)) throw new Error('usage: analyzeCase.ts <case-file>');
  const store = await CaseStore.open(casePath);

  const inv = await investigations(store);

  const t0 = performance.now();
  await store.run(`DROP TABLE IF EXISTS ${EVENTS_TABLE}`);
  await ensureEventsTable(store);
  const eventsTableSeconds = Number(((performance.now() - t0) / 1000).toFixed(2));
  const eventsRows = Number((await store.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${EVENTS_TABLE}`))!.n);

  const ipCounts = `SELECT ip AS v, count(*) AS n FROM (SELECT src_ip AS ip FROM ${EVENTS_TABLE} UNION ALL SELECT dst_ip FROM ${EVENTS_TABLE}) WHERE ip IS NOT NULL GROUP BY 1`;
  const busyIp: EntityRef = { kind: 'ip', value: await busiest(store, `${ipCounts} ORDER BY n DESC, v LIMIT 1`) };
  // The worst case for a page: so few matches that the whole table is scanned.
  const rareIp: EntityRef = { kind: 'ip', value: await busiest(store, `${ipCounts} ORDER BY n, v LIMIT 1`) };
  const principal: EntityRef = {
    kind: 'principal',
    value: await busiest(store, `SELECT actor AS v FROM ${EVENTS_TABLE} WHERE tbl = 'cloudtrail' AND actor LIKE 'arn:%' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`),
  };
  const deepCursor = Math.floor(eventsRows * 0.75);
  const page = (filter: EventFilter, cursor?: number) => () => queryEvents(store, filter, { cursor, limit: PAGE });
  const eventsPage = {
    first: await timed(`first page of ${PAGE}, no filter`, 7, page({})),
    deep: await timed(`page of ${PAGE} from row ${deepCursor.toLocaleString('en-US')}, no filter`, 7, page({}, deepCursor)),
    entity: await timed(`first page of ${PAGE}, ip:${busyIp.value} (busiest IP)`, 7, page({ entities: [busyIp] })),
    rareEntity: await timed(`first page of ${PAGE}, ip:${rareIp.value} (rarest IP: whole table scanned)`, 7, page({ entities: [rareIp] })),
  };
  const entity = {
    ip: await timed(`ip:${busyIp.value} (busiest IP)`, 5, () => entityProfile(store, busyIp)),
    principal: await timed(`principal:${principal.value} (busiest CloudTrail principal)`, 5, () => entityProfile(store, principal)),
  };
  const byOutcome: EventFilter = { sources: ['cloudtrail', 'elb'], outcomes: ['denied', 'error'] };
  const hist = {
    unfiltered: await timed('every event', 5, () => histogram(store, {})),
    bySourceAndOutcome: await timed('cloudtrail and elb, denied or error', 5, () => histogram(store, byOutcome)),
    byEntity: await timed(`principal:${principal.value}`, 5, () => histogram(store, { entities: [principal] })),
  };
  await store.close();

  const hunts = await huntPack(casePath);
  const result: AnalysisMeasurement = { investigations: inv, eventsTableSeconds, eventsRows, eventsPage, entityProfile: entity, histogram: hist, hunts };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
