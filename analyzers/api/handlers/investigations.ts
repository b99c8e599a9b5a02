import { loadRules, type Rule } from '../../investigations/ruleFile';
import { EVIDENCE_CAP, runInvestigations, slowestRules } from '../../investigations/runInvestigations';
import { getFindingEvidence, listFindings, type Finding } from '../../investigations/findingsApi';
import { setInvestigationSetting, settingCatalog } from '../../investigations/ruleSettings';
import { listSettings, SettingError, unsetSetting } from '../../settings/caseSettings';
import { SEVERITY_ORDER, type FindingInfo, type InvestigationInfo, type InvestigationRunInfo, type JsonValue, type SettingEntry, type Severity } from '../contract';
import type { ApiContext } from '../context';
import { ApiFailure } from '../errors';
import { optionalInt, requestObject, requiredInt, requiredString, stringList } from '../validate';
import type { HandlerMap } from './types';

let rulesLoaded: Promise<Rule[]> | undefined;

/** The rule files are read and checked once per process; a failed load is retried on the next call. */
function rules(): Promise<Rule[]> {
  if (!rulesLoaded) {
    rulesLoaded = loadRules();
    rulesLoaded.catch(() => {
      rulesLoaded = undefined;
    });
  }
  return rulesLoaded;
}

function refuseReadOnly(ctx: ApiContext): void {
  if (ctx.store.readOnly) throw new ApiFailure('CASE_READ_ONLY', 'This case is open read-only');
}

function optionalIds(v: unknown, name: string): string[] | undefined {
  return v === undefined ? undefined : stringList(v, name, 1000);
}

function investigationInfo(r: Rule): InvestigationInfo {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    attack: r.attack.techniques,
    tactics: r.attack.tactics,
    sources: r.sources,
    falsePositives: r.falsePositives,
  };
}

function findingInfo(f: Finding): FindingInfo {
  const perTable = new Map<string, number>();
  for (const e of f.evidence) perTable.set(e.table, (perTable.get(e.table) ?? 0) + 1);
  const { evidence, ...rest } = f;
  return {
    ...rest,
    evidenceCount: evidence.length,
    evidenceTables: [...perTable].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t),
  };
}

async function lastRun(ctx: ApiContext): Promise<InvestigationRunInfo | null> {
  const [r] = await ctx.engine.rows(
    `SELECT run_id, iso(started_at) AS started_at, iso(finished_at) AS finished_at, json_array_length(rules) AS rules, findings
       FROM investigation_runs ORDER BY run_id DESC LIMIT 1`,
  );
  if (!r) return null;
  return {
    runId: Number(r.run_id),
    startedAt: String(r.started_at),
    finishedAt: r.finished_at === null ? null : String(r.finished_at),
    rules: Number(r.rules ?? 0),
    findings: Number(r.findings ?? 0),
  };
}

async function settingEntries(ctx: ApiContext): Promise<SettingEntry[]> {
  const stored = await listSettings(ctx.store);
  const catalog = settingCatalog(await rules());
  const entries: SettingEntry[] = catalog.map((s) => ({
    key: s.key,
    type: s.type,
    description: s.description,
    usedBy: s.usedBy,
    default: s.default ?? null,
    value: s.key in stored ? stored[s.key] : null,
  }));
  // A value stored for a key no investigation reads any more is shown, so that it can be unset.
  for (const [key, value] of Object.entries(stored)) {
    if (!catalog.some((s) => s.key === key)) entries.push({ key, type: 'JSON', description: '(not read by any investigation)', usedBy: [], default: null, value });
  }
  return entries;
}

export const investigationsHandlers: HandlerMap<'investigations/list' | 'investigate/start' | 'findings/list' | 'findings/evidence' | 'settings/list' | 'settings/set'> = {
  'investigations/list': async () => (await rules()).map(investigationInfo),

  'investigate/start': async (ctx, req) => {
    const r = requestObject(req);
    const ids = optionalIds(r.ids, 'ids');
    refuseReadOnly(ctx);
    const all = await rules();
    const unknown = (ids ?? []).filter((id) => !all.some((rule) => rule.id === id));
    if (unknown.length > 0) throw new ApiFailure('BAD_REQUEST', `No investigation with id ${unknown.join(', ').slice(0, 300)}`);
    // The case has one writer: an import and an investigation would share its connection.
    if (ctx.imports.list().some((j) => j.state === 'running')) throw new ApiFailure('JOB_RUNNING', 'An import is running in this case; investigate when it has finished');
    return ctx.jobs.start('investigate', { writes: true }, async (ctl) => {
      const selected = ids ? all.filter((rule) => ids.includes(rule.id)) : all;
      ctl.progress(0, selected.length, null);
      const run = await runInvestigations(ctx.store, {
        rules: all,
        ids,
        onProgress: (p) => {
          // Findings are written only once every rule has run, so stopping here leaves the case as it was.
          if (ctl.signal.aborted) throw new ApiFailure('CANCELLED', 'The investigation was cancelled');
          ctl.progress(p.done, p.total, p.ruleId);
        },
      });
      return {
        runId: run.runId,
        findings: run.findings.length,
        rules: run.rules.length,
        failed: run.rules.filter((x) => x.error !== undefined).map((x) => ({ id: x.id, error: x.error ?? '' })),
        slowest: slowestRules(run, 10).map((x) => ({ id: x.id, ms: x.ms })),
      };
    });
  },

  'findings/list': async (ctx, req) => {
    const r = requestObject(req);
    let minSeverity: Severity | undefined;
    if (r.minSeverity !== undefined) {
      if (!SEVERITY_ORDER.includes(r.minSeverity as Severity)) throw new ApiFailure('BAD_REQUEST', `minSeverity must be one of ${SEVERITY_ORDER.join(', ')}`);
      minSeverity = r.minSeverity as Severity;
    }
    const ruleIds = optionalIds(r.ruleIds, 'ruleIds');
    const rank = minSeverity === undefined ? SEVERITY_ORDER.length : SEVERITY_ORDER.indexOf(minSeverity);
    const findings = (await listFindings(ctx.store, { ruleIds })).filter((f) => SEVERITY_ORDER.indexOf(f.severity) <= rank);
    return { findings: findings.map(findingInfo), lastRun: await lastRun(ctx) };
  },

  'findings/evidence': async (ctx, req) => {
    const r = requestObject(req);
    const findingId = requiredInt(r.findingId, 'findingId', 0, Number.MAX_SAFE_INTEGER);
    const offset = optionalInt(r.offset, 'offset', 0, EVIDENCE_CAP) ?? 0;
    const limit = optionalInt(r.limit, 'limit', 1, EVIDENCE_CAP) ?? 100;
    const [exists] = await ctx.engine.rows(`SELECT 1 AS hit FROM findings WHERE finding_id = $id`, { id: findingId });
    if (!exists) throw new ApiFailure('NOT_FOUND', `No finding ${findingId}; the case may have been investigated again`);
    return getFindingEvidence(ctx.store, findingId, limit, offset);
  },

  'settings/list': async (ctx) => settingEntries(ctx),

  'settings/set': async (ctx, req) => {
    const r = requestObject(req);
    const key = requiredString(r.key, 'key', 200);
    if (!('value' in r)) throw new ApiFailure('BAD_REQUEST', 'value is required (null restores the default)');
    refuseReadOnly(ctx);
    const value = r.value as JsonValue;
    if (value === null) {
      const known = settingCatalog(await rules()).some((s) => s.key === key);
      if (!(await unsetSetting(ctx.store, key)) && !known) throw new ApiFailure('BAD_REQUEST', `Unknown setting '${key}'`);
    } else {
      try {
        await setInvestigationSetting(ctx.store, await rules(), key, value);
      } catch (e) {
        if (e instanceof SettingError) throw new ApiFailure('BAD_REQUEST', e.message);
        throw e;
      }
    }
    return settingEntries(ctx);
  },
};
