import os from 'node:os';
import { LIST, VARCHAR, INTEGER, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { errorMessage } from '../store/caseStore';
import { quoteIdent } from '../store/schema';
import { listSettings } from '../settings/caseSettings';
import { TOOL_VERSION } from '../version';
import { listFindings, type Finding } from './findingsApi';
import { loadRules, SEVERITIES, type ParamValue, type Rule } from './ruleFile';
import { bindParameters, resolveParameters } from './ruleSettings';
import { createInvestigationMacros } from './sqlMacros';
import { prepareCloudTrailDetails, readsCloudTrailDetail, useCloudTrailDetails, type CloudTrailDetails } from './cloudtrailDetails';

/** Evidence rows kept per finding; the rest are still in the case, reachable by the finding's entities. */
export const EVIDENCE_CAP = 1000;

export interface RuleRunResult {
  id: string;
  sha256: string;
  ms: number;
  findings: number;
  error?: string;
}

export interface InvestigationProgress {
  total: number;
  done: number;
  /** The rule that has just finished. */
  ruleId: string;
}

export interface RunInvestigationsOptions {
  /** Run only these investigations (default: all). */
  ids?: string[];
  onProgress?: (p: InvestigationProgress) => void;
  /** Rules already loaded (tests, the app); default: every rule file. */
  rules?: Rule[];
  /** Rules run at once, each on a connection of its own (default: one per core, at most 4). */
  concurrency?: number;
}

export interface InvestigationRun {
  runId: number;
  startedAt: string;
  finishedAt: string;
  /** Findings of the rules that ran, ranked by severity then time. */
  findings: Finding[];
  rules: RuleRunResult[];
}

export class UnknownInvestigationError extends Error {}

/**
 * Run investigations over a case. Each rule's findings replace what that rule
 * found before; a rule that fails is reported in the result and the run goes
 * on. The run, with the rule versions and settings it used, is recorded in
 * investigation_runs.
 *
 * Rules run a few at a time on connections of their own: DuckDB already
 * spreads one query over every core, but a rule also has stretches one
 * thread does (planning, small joins, the final aggregate), which another
 * rule fills. What the run writes while it goes (the CloudTrail rows parsed
 * ahead, each rule's findings) lives in an in-memory database of its own,
 * so nothing is written to the case file until every rule has run.
 */
export async function runInvestigations(store: CaseStore, opts: RunInvestigationsOptions = {}): Promise<InvestigationRun> {
  const all = opts.rules ?? (await loadRules(undefined, { conn: store.conn }));
  const rules = selectRules(all, opts.ids);
  const startedAt = new Date().toISOString();
  const settings = await listSettings(store);
  const runId = Number((await store.one<{ id: bigint }>(`SELECT nextval('investigation_run_id_seq') AS id`))!.id);
  const scratch = `cs_investigation_run_${runId}`;
  const stage = `${quoteIdent(scratch)}.main.findings_stage`;
  const usedParameters: Record<string, Record<string, ParamValue>> = {};
  const results: RuleRunResult[] = new Array(rules.length);

  await store.run(`ATTACH ':memory:' AS ${quoteIdent(scratch)}`);
  const workers: Worker[] = [];
  try {
    // rule_seq keeps the findings in rule order whichever rule finishes first.
    await store.run(`CREATE TABLE ${stage} AS SELECT 0 AS rule_seq, * EXCLUDE (finding_id) FROM findings LIMIT 0`);
    const details = await prepareCloudTrailDetails(store, scratch, rules);
    const n = Math.max(1, Math.min(opts.concurrency ?? Math.min(4, os.availableParallelism()), rules.length));
    for (let i = 0; i < n; i++) workers.push(await openWorker(store, details));

    let next = 0;
    let reported = 0;
    let stopped: unknown;
    const report = () => {
      // Progress is told in rule order, so it reads the same however the rules interleave.
      while (reported < rules.length && results[reported]) {
        opts.onProgress?.({ total: rules.length, done: reported + 1, ruleId: rules[reported].id });
        reported++;
      }
    };
    await Promise.all(
      workers.map(async (w) => {
        while (stopped === undefined && next < rules.length) {
          const seq = next++;
          const rule = rules[seq];
          const t0 = performance.now();
          let findings = 0;
          let error: string | undefined;
          try {
            const params = resolveParameters(rule, settings);
            usedParameters[rule.id] = params;
            const conn = details && readsCloudTrailDetail(rule) ? w.detail : w.plain;
            findings = await runRule(conn, stage, rule, runId, seq, params);
          } catch (e) {
            error = errorMessage(e).split('\n')[0];
          }
          results[seq] = { id: rule.id, sha256: rule.sha256, ms: Math.round((performance.now() - t0) * 10) / 10, findings, ...(error ? { error } : {}) };
          try {
            report();
          } catch (e) {
            stopped = e;
          }
        }
      }),
    );
    if (stopped !== undefined) throw stopped;

    const finishedAt = new Date().toISOString();
    await store.run('BEGIN TRANSACTION');
    try {
      // A rule that failed loses its earlier findings too: they would look current.
      await store.conn.run(`DELETE FROM findings WHERE list_contains($ids, rule_id)`, { ids: listValue(rules.map((r) => r.id)) }, { ids: LIST(VARCHAR) });
      await store.run(`INSERT INTO findings SELECT nextval('finding_id_seq'), * FROM (SELECT * EXCLUDE (rule_seq) FROM ${stage} ORDER BY rule_seq)`);
      await store.run(
        `INSERT INTO investigation_runs VALUES ($1, $2::TIMESTAMPTZ, $3::TIMESTAMPTZ, $4, $5::JSON, $6::JSON, $7::JSON, $8::JSON, $9, $10)`,
        [
          runId,
          startedAt,
          finishedAt,
          TOOL_VERSION,
          JSON.stringify(Object.fromEntries(rules.map((r) => [r.id, r.sha256]))),
          JSON.stringify(settings),
          JSON.stringify(Object.fromEntries(rules.filter((r) => usedParameters[r.id]).map((r) => [r.id, usedParameters[r.id]]))),
          JSON.stringify(results),
          results.reduce((n, r) => n + r.findings, 0),
          results.filter((r) => r.error).length,
        ],
      );
      await store.run('COMMIT');
    } catch (e) {
      await store.run('ROLLBACK');
      throw e;
    }
    const findings = await listFindings(store, { ruleIds: rules.map((r) => r.id) });
    return { runId, startedAt, finishedAt, findings, rules: results };
  } finally {
    for (const w of workers) {
      w.plain.closeSync();
      w.detail.closeSync();
    }
    await store.run(`DETACH ${quoteIdent(scratch)}`);
  }
}

interface Worker {
  plain: DuckDBConnection;
  /** Reads `cloudtrail` through the rows parsed ahead, when there are any. */
  detail: DuckDBConnection;
}

async function openWorker(store: CaseStore, details: CloudTrailDetails | null): Promise<Worker> {
  const plain = await store.connect();
  await createInvestigationMacros(plain);
  const detail = await store.connect();
  await createInvestigationMacros(detail);
  if (details) await useCloudTrailDetails(detail, details);
  return { plain, detail };
}

function selectRules(all: Rule[], ids: string[] | undefined): Rule[] {
  if (!ids || ids.length === 0) return all;
  const unknown = ids.filter((id) => !all.some((r) => r.id === id));
  if (unknown.length > 0) throw new UnknownInvestigationError(`no investigation with id ${unknown.join(', ')}`);
  return all.filter((r) => ids.includes(r.id));
}

/**
 * The rule's SELECT is wrapped, not trusted: every output column is cast to
 * the contract type (a missing column fails the rule), entity lists are made
 * distinct and non-null, and evidence is capped.
 */
function insertSql(stage: string, ruleSql: string): string {
  const entity = (c: string) => `list_sort(list_distinct(coalesce(CAST(r.${c} AS VARCHAR[]), [])))`;
  return `INSERT INTO ${stage}
    SELECT $cs_rule_seq, $cs_run_id, $cs_rule_id, $cs_title, $cs_severity, $cs_severity_rank, $cs_tactics, $cs_techniques,
           CAST(r.first_seen AS TIMESTAMPTZ), CAST(r.last_seen AS TIMESTAMPTZ), CAST(r.event_count AS BIGINT), CAST(r.detail AS VARCHAR),
           ${entity('principals')}, ${entity('access_keys')}, ${entity('ips')}, ${entity('resources')}, ${entity('instances')},
           list_filter(coalesce(CAST(r.evidence AS STRUCT(tbl VARCHAR, source_file_id INTEGER, record_index BIGINT)[]), []),
                       lambda e: e.source_file_id IS NOT NULL AND e.record_index IS NOT NULL)[1:${EVIDENCE_CAP}]
      FROM (${ruleSql}
      ) AS r`;
}

async function runRule(conn: DuckDBConnection, stage: string, rule: Rule, runId: number, seq: number, params: Record<string, ParamValue>): Promise<number> {
  const bound = bindParameters(rule, params);
  const values: Record<string, DuckDBValue> = {
    ...bound.values,
    cs_rule_seq: seq,
    cs_run_id: runId,
    cs_rule_id: rule.id,
    cs_title: rule.title,
    cs_severity: rule.severity,
    cs_severity_rank: SEVERITIES.indexOf(rule.severity),
    cs_tactics: listValue(rule.attack.tactics),
    cs_techniques: listValue(rule.attack.techniques),
  };
  const types: Record<string, DuckDBType> = {
    ...bound.types,
    cs_rule_seq: INTEGER,
    cs_run_id: INTEGER,
    cs_rule_id: VARCHAR,
    cs_title: VARCHAR,
    cs_severity: VARCHAR,
    cs_severity_rank: INTEGER,
    cs_tactics: LIST(VARCHAR),
    cs_techniques: LIST(VARCHAR),
  };
  const result = await conn.run(insertSql(stage, rule.sql), values, types);
  return Number(result.rowsChanged);
}

/** The slowest rules of a run, slowest first: what the bench prints. */
export function slowestRules(run: InvestigationRun, n = 10): RuleRunResult[] {
  return [...run.rules].sort((a, b) => b.ms - a.ms).slice(0, n);
}
