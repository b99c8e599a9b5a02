import fs from 'node:fs';
import { CaseError, CaseStore } from '../../analyzers/store/caseStore';
import { runInvestigations, slowestRules, UnknownInvestigationError, type InvestigationRun } from '../../analyzers/investigations/runInvestigations';
import type { Finding } from '../../analyzers/investigations/findingsApi';
import { formatNumber, formatTable } from '../output/table';
import { parseCommandArgs, requireCase, UsageError, type Command } from './registry';

const USAGE = `Usage: cloudsift investigate --case <file> [--json] [--rule <id>]... [--timings]
  Runs the built-in investigations over the case, stores their findings in
  the case (table findings) and prints them ranked by severity.
  --json      print the findings as a JSON array
  --rule      run only this investigation (repeatable), e.g. --rule CS-CT-001
  --timings   also print the ten slowest investigations`;

export const investigateCommand: Command = {
  name: 'investigate',
  summary: 'run the investigations on a case and list the findings',
  usage: USAGE,
  async run(args) {
    const { values } = parseCommandArgs(
      args,
      { case: { type: 'string' }, json: { type: 'boolean' }, rule: { type: 'string', multiple: true }, timings: { type: 'boolean' } },
      false,
    );
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const casePath = requireCase(values);
    if (!fs.existsSync(casePath)) throw new CaseError('CASE_NOT_FOUND', `no case file at ${casePath}`);
    const store = await CaseStore.open(casePath);
    const progress = process.stderr.isTTY
      ? (p: { done: number; total: number; ruleId: string }) => process.stderr.write(`\r\x1b[Kinvestigating ${p.done}/${p.total} ${p.ruleId}`)
      : undefined;
    let run: InvestigationRun;
    try {
      run = await runInvestigations(store, { ids: values.rule, onProgress: progress });
    } catch (e) {
      if (e instanceof UnknownInvestigationError) throw new UsageError(e.message);
      throw e;
    } finally {
      if (progress) process.stderr.write('\r\x1b[K');
      await store.close();
    }
    const failed = run.rules.filter((r) => r.error);
    for (const r of failed) process.stderr.write(`cloudsift investigate: ${r.id} failed: ${r.error}\n`);
    const out = values.json ? process.stderr : process.stdout;
    if (values.json) process.stdout.write(`${JSON.stringify(run.findings)}\n`);
    else process.stdout.write(`${findingsText(run.findings)}\n\n${formatNumber(run.findings.length)} findings from ${run.rules.length} investigations${failed.length > 0 ? `, ${failed.length} failed` : ''} (run ${run.runId}).\n`);
    if (values.timings) {
      out.write(`${formatTable(['investigation', 'ms', 'findings'], slowestRules(run, 10).map((r) => [r.id, r.ms.toFixed(1), r.findings]), ['l', 'r', 'r'])}\n`);
    }
    return 0;
  },
};

function findingsText(findings: Finding[]): string {
  if (findings.length === 0) return 'No findings.';
  return formatTable(
    ['severity', 'id', 'title', 'ATT&CK', 'count', 'first seen', 'last seen', 'entities'],
    findings.map((f) => [f.severity, f.id, f.title, f.attack.join(' '), formatNumber(f.count), f.first_seen ?? '', f.last_seen ?? '', mainEntities(f)]),
    ['l', 'l', 'l', 'l', 'r', 'l', 'l', 'l'],
  );
}

/** A few entities that say who and where, for a one-line row. */
function mainEntities(f: Finding): string {
  const e = f.entities;
  const parts = [...e.principals.slice(0, 2), ...e.ips.slice(0, 2), ...e.instances.slice(0, 1)];
  const more = e.principals.length + e.ips.length + e.instances.length - parts.length;
  return parts.join(', ') + (more > 0 ? ` +${more}` : '');
}
