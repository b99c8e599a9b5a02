import { LIST, VARCHAR, INTEGER, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { errorMessage } from '../store/caseStore';
import { listSettings } from '../settings/caseSettings';
import { TOOL_VERSION } from '../version';
import { listFindings, type Finding } from './findingsApi';
import { loadRules, SEVERITIES, type ParamValue, type Rule } from './ruleFile';
import { bindParameters, resolveParameters } from './ruleSettings';
import { createInvestigationMacros } from './sqlMacros';

const STAGE = 'cs_findings_stage';

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
 */
export async function runInvestigations(store: CaseStore, opts: RunInvestigationsOptions = {}): Promise<InvestigationRun> {
  const all = opts.rules ?? (await loadRules(undefined, { conn: store.conn }));
  const rules = selectRules(all, opts.ids);
  const startedAt = new Date().toISOString();
  await createInvestigationMacros(store.conn);
  const settings = await listSettings(store);
  const runId = Number((await store.one<{ id: bigint }>(`SELECT nextval('investigation_run_id_seq') AS id`))!.id);

  // Each rule writes to a temp table (no write to the case file per rule); the
  // run's findings then replace the old ones in one transaction.
  await store.run(`CREATE OR REPLACE TEMP TABLE ${STAGE} AS SELECT * EXCLUDE (finding_id) FROM findings LIMIT 0`);
  const results: RuleRunResult[] = [];
  const usedParameters: Record<string, Record<string, ParamValue>> = {};
  for (const rule of rules) {
    const t0 = performance.now();
    let findings = 0;
    let error: string | undefined;
    try {
      const params = resolveParameters(rule, settings);
      usedParameters[rule.id] = params;
      findings = await runRule(store, rule, runId, params);
    } catch (e) {
      error = errorMessage(e).split('\n')[0];
    }
    results.push({ id: rule.id, sha256: rule.sha256, ms: Math.round((performance.now() - t0) * 10) / 10, findings, ...(error ? { error } : {}) });
    opts.onProgress?.({ total: rules.length, done: results.length, ruleId: rule.id });
  }

  const finishedAt = new Date().toISOString();
  await store.run('BEGIN TRANSACTION');
  try {
    // A rule that failed loses its earlier findings too: they would look current.
    await store.conn.run(`DELETE FROM findings WHERE list_contains($ids, rule_id)`, { ids: listValue(rules.map((r) => r.id)) }, { ids: LIST(VARCHAR) });
    await store.run(`INSERT INTO findings SELECT nextval('finding_id_seq'), * FROM ${STAGE}`);
    await store.run(
      `INSERT INTO investigation_runs VALUES ($1, $2::TIMESTAMPTZ, $3::TIMESTAMPTZ, $4, $5::JSON, $6::JSON, $7::JSON, $8::JSON, $9, $10)`,
      [
        runId,
        startedAt,
        finishedAt,
        TOOL_VERSION,
        JSON.stringify(Object.fromEntries(rules.map((r) => [r.id, r.sha256]))),
        JSON.stringify(settings),
        JSON.stringify(usedParameters),
        JSON.stringify(results),
        results.reduce((n, r) => n + r.findings, 0),
        results.filter((r) => r.error).length,
      ],
    );
    await store.run('COMMIT');
  } catch (e) {
    await store.run('ROLLBACK');
    throw e;
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${STAGE}`);
  }
  const findings = await listFindings(store, { ruleIds: rules.map((r) => r.id) });
  return { runId, startedAt, finishedAt, findings, rules: results };
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
function insertSql(ruleSql: string): string {
  const entity = (c: string) => `list_sort(list_distinct(coalesce(CAST(r.${c} AS VARCHAR[]), [])))`;
  return `INSERT INTO ${STAGE}
    SELECT $cs_run_id, $cs_rule_id, $cs_title, $cs_severity, $cs_severity_rank, $cs_tactics, $cs_techniques,
           CAST(r.first_seen AS TIMESTAMPTZ), CAST(r.last_seen AS TIMESTAMPTZ), CAST(r.event_count AS BIGINT), CAST(r.detail AS VARCHAR),
           ${entity('principals')}, ${entity('access_keys')}, ${entity('ips')}, ${entity('resources')}, ${entity('instances')},
           list_filter(coalesce(CAST(r.evidence AS STRUCT(tbl VARCHAR, source_file_id INTEGER, record_index BIGINT)[]), []),
                       lambda e: e.source_file_id IS NOT NULL AND e.record_index IS NOT NULL)[1:${EVIDENCE_CAP}]
      FROM (${ruleSql}
      ) AS r`;
}

async function runRule(store: CaseStore, rule: Rule, runId: number, params: Record<string, ParamValue>): Promise<number> {
  const bound = bindParameters(rule, params);
  const values: Record<string, DuckDBValue> = {
    ...bound.values,
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
    cs_run_id: INTEGER,
    cs_rule_id: VARCHAR,
    cs_title: VARCHAR,
    cs_severity: VARCHAR,
    cs_severity_rank: INTEGER,
    cs_tactics: LIST(VARCHAR),
    cs_techniques: LIST(VARCHAR),
  };
  const result = await store.conn.run(insertSql(rule.sql), values, types);
  return Number(result.rowsChanged);
}

/** The slowest rules of a run, slowest first: what the bench prints. */
export function slowestRules(run: InvestigationRun, n = 10): RuleRunResult[] {
  return [...run.rules].sort((a, b) => b.ms - a.ms).slice(0, n);
}
