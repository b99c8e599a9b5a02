import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { quoteIdent } from '../../../analyzers/store/schema';
import { importPaths } from '../../../analyzers/importers/importRun';
import { setSetting } from '../../../analyzers/settings/caseSettings';
import { loadRules, type Rule, type SampleSet } from '../../../analyzers/investigations/ruleFile';
import { runInvestigations, type InvestigationRun } from '../../../analyzers/investigations/runInvestigations';
import { getFindingEvidence } from '../../../analyzers/investigations/findingsApi';
import { tempDir } from '../../helpers/tempCase';

// Every investigation proves itself on its own samples: each positive set
// fires, each negative set stays silent. CLOUDSIFT_RULE=<id>[,<id>] runs only those.
let rules: Rule[] = [];
let loadError: unknown;
try {
  rules = await loadRules(undefined, { samples: true });
} catch (e) {
  loadError = e;
}
const only = process.env.CLOUDSIFT_RULE?.split(',').map((s) => s.trim());

// Sample sets run a few at a time, each in a case of its own that is emptied
// first: opening and migrating a new DuckDB file per set would cost more than
// the rest of the test.
const pool: CaseStore[] = [];
async function withEmptyCase<T>(fn: (store: CaseStore, dir: string) => Promise<T>): Promise<T> {
  const dir = tempDir('cloudsift-rule-');
  const store = pool.pop() ?? (await CaseStore.open(path.join(dir, 'case.duckdb'), { threads: 1 }));
  try {
    const tables = await store.all<{ t: string }>(
      `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = 'case_db' AND NOT temporary AND table_name <> 'cloudsift_meta'`,
    );
    for (const { t } of tables) await store.run(`DELETE FROM ${quoteIdent(t)}`);
    return await fn(store, dir);
  } finally {
    pool.push(store);
  }
}
const CONCURRENCY = Math.max(2, os.availableParallelism() * 2);

test('every investigation file parses and validates, with unique ids', () => {
  if (loadError) assert.fail((loadError as Error).message);
  assert.ok(rules.length > 0, 'no investigation files found');
});

test('no investigation filters with IN (...) lists, which make the bench scan every raw record', () => {
  const slow = rules.flatMap((r) => r.advice.map((a) => `${r.file}: ${a}`));
  assert.deepEqual(slow, []);
});

function sampleFiles(set: SampleSet): Record<string, string> {
  const files: Record<string, string> = {};
  if (set.cloudtrail) files['cloudtrail.json'] = JSON.stringify({ Records: set.cloudtrail });
  if (set.vpc_flow) files['vpc_flow.log'] = `${set.vpc_flow.join('\n')}\n`;
  if (set.elb) files['elb.log'] = `${set.elb.join('\n')}\n`;
  if (set.s3_access) files['s3_access.log'] = `${set.s3_access.join('\n')}\n`;
  return files;
}

const EXPECTED_TABLE: Record<string, keyof SampleSet> = { cloudtrail: 'cloudtrail', vpc_flow: 'vpc_flow', elb: 'elb', s3_access: 's3_access' };

async function runSample(rule: Rule, set: SampleSet, check: (store: CaseStore, run: InvestigationRun) => Promise<void>): Promise<void> {
  await withEmptyCase(async (store, dir) => {
    const input = path.join(dir, 'logs');
    fs.mkdirSync(input);
    for (const [name, text] of Object.entries(sampleFiles(set))) fs.writeFileSync(path.join(input, name), text);
    const summary = await importPaths(store, [input]);
    const rejects = await store.all<{ reason: string; excerpt: string }>(`SELECT reason, excerpt FROM rejects`);
    assert.deepEqual(rejects, [], 'every sample record must import');
    for (const [table, key] of Object.entries(EXPECTED_TABLE)) {
      const given = (set[key] as unknown[] | undefined)?.filter((l) => typeof l !== 'string' || !/^\s*$|^version |^#/.test(l)).length ?? 0;
      assert.equal(summary.records[table as keyof typeof summary.records], given, `${table}: records imported`);
    }
    for (const [name, value] of Object.entries(set.parameters)) await setSetting(store, `${rule.id}.${name}`, value);
    const run = await runInvestigations(store, { ids: [rule.id], rules: [rule] });
    assert.equal(run.rules[0].error, undefined, `the rule failed: ${run.rules[0].error}`);
    await check(store, run);
  });
}

test('every investigation fires on its positive samples and stays silent on its negative ones', { concurrency: CONCURRENCY }, async (t) => {
  const runs: Promise<void>[] = [];
  for (const rule of rules.filter((r) => !only || only.includes(r.id))) {
    for (const set of rule.samples.positive) {
      runs.push(t.test(`${rule.id} fires on: ${set.name}`, async () => {
        await runSample(rule, set, async (store, run) => {
          assert.ok(run.findings.length >= 1, 'expected at least one finding');
          for (const f of run.findings) {
            assert.equal(f.id, rule.id);
            assert.ok(f.detail.length > 0, 'detail is empty');
            assert.ok(f.first_seen && f.last_seen && f.first_seen <= f.last_seen, `bad time span ${f.first_seen}..${f.last_seen}`);
            assert.ok(f.count >= 1, 'event_count must be >= 1');
            assert.ok(f.evidence.length >= 1, 'a finding needs evidence');
            const ev = await getFindingEvidence(store, f.finding_id, 1000, 0);
            assert.equal(ev.total, f.evidence.length);
            for (const row of ev.rows) {
              assert.ok((rule.sources as string[]).includes(row.table), `evidence from ${row.table}, not in sources`);
              assert.ok(row.raw !== null, `evidence ${row.table} ${row.source_file_id}:${row.record_index} is not a row of the case`);
              assert.ok(row.path, 'evidence has no source path');
            }
          }
        });
      }));
    }
    for (const set of rule.samples.negative) {
      runs.push(t.test(`${rule.id} stays silent on: ${set.name}`, async () => {
        await runSample(rule, set, async (_store, run) => {
          assert.deepEqual(run.findings.map((f) => f.detail), [], 'expected no finding');
        });
      }));
    }
  }
  await Promise.all(runs);
  for (const store of pool.splice(0)) await store.close();
});
