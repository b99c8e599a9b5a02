import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadRules, RuleLoadError } from '../../../analyzers/investigations/ruleFile';
import { tempDir } from '../../helpers/tempCase';

const SQL = `SELECT event_time AS first_seen, event_time AS last_seen, 1 AS event_count, event_name AS detail,
         [user_arn] AS principals, []::VARCHAR[] AS access_keys, [source_ip] AS ips, []::VARCHAR[] AS resources, []::VARCHAR[] AS instances,
         [{'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index}] AS evidence
    FROM cloudtrail WHERE event_name = $name`;

function ruleText(over: { id?: string; extra?: string; sql?: string; params?: string; severity?: string; techniques?: string; samplesFirst?: boolean } = {}): string {
  const sql = (over.sql ?? SQL).split('\n').map((l) => `  ${l}`).join('\n');
  const samples = `samples:
  positive:
    - name: one event
      cloudtrail:
        - { eventVersion: '1.08', eventTime: '2024-03-02T02:10:00Z', eventSource: cloudtrail.amazonaws.com, eventName: StopLogging, recipientAccountId: '111122223333', eventID: e1 }
  negative:
    - name: nothing
      cloudtrail: []
`;
  const head = `id: ${over.id ?? 'CS-CT-901'}
title: Test rule
description: A rule for the loader test.
severity: ${over.severity ?? 'high'}
attack:
  tactics: [TA0005]
  techniques: [${over.techniques ?? 'T1562.008'}]
sources: [cloudtrail]
parameters:
${over.params ?? '  name: { type: VARCHAR, default: StopLogging, description: the event name }'}
false_positives:
  - None.
${over.extra ?? ''}sql: |
${sql}
`;
  return over.samplesFirst ? samples + head : head + samples;
}

function rulesDir(files: Record<string, string>): string {
  const dir = path.join(tempDir('cloudsift-rules-'), 'rules');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function problems(files: Record<string, string>): Promise<string[]> {
  try {
    await loadRules(rulesDir(files), { samples: true });
    return [];
  } catch (e) {
    assert.ok(e instanceof RuleLoadError, String(e));
    return e.problems;
  }
}

test('a valid rule loads with its parameters, samples and sha256', async () => {
  const rules = await loadRules(rulesDir({ 'cloudtrail/test-rule.yml': ruleText() }), { samples: true });
  assert.equal(rules.length, 1);
  assert.equal(rules[0].id, 'CS-CT-901');
  assert.deepEqual(Object.keys(rules[0].parameters), ['name']);
  assert.equal(rules[0].samples.positive[0].cloudtrail?.length, 1);
  assert.match(rules[0].sha256, /^[0-9a-f]{64}$/);
  const lean = await loadRules(rulesDir({ 'cloudtrail/test-rule.yml': ruleText() }));
  assert.deepEqual(lean[0].samples, { positive: [], negative: [] }, 'samples are skipped unless asked for');
  assert.equal(lean[0].sql, rules[0].sql);
});

test('duplicate ids across files fail, naming both files', async () => {
  const p = await problems({ 'cloudtrail/a-rule.yml': ruleText(), 'cloudtrail/b-rule.yml': ruleText() });
  assert.equal(p.length, 1);
  assert.match(p[0], /b-rule\.yml: id CS-CT-901 is also used by cloudtrail\/a-rule\.yml/);
});

test('unparsable YAML fails', async () => {
  const p = await problems({ 'cloudtrail/bad-yaml.yml': 'id: CS-CT-901\ntitle: [unclosed\n' });
  assert.match(p[0], /bad-yaml\.yml: not valid YAML/);
});

test('parameters declared and used must match, with defaults of the declared type', async () => {
  const undeclared = await problems({ 'cloudtrail/r.yml': ruleText({ params: '  other: { type: INTEGER, default: 3, description: x }' }) });
  assert.ok(undeclared.some((p) => /uses \$name, which is not declared/.test(p)), undeclared.join('\n'));
  assert.ok(undeclared.some((p) => /'other' is declared but the sql never uses/.test(p)), undeclared.join('\n'));
  const badDefault = await problems({ 'cloudtrail/r.yml': ruleText({ params: '  name: { type: INTEGER, default: abc, description: x }' }) });
  assert.ok(badDefault.some((p) => /default "abc" is not INTEGER/.test(p)), badDefault.join('\n'));
  const positional = await problems({ 'cloudtrail/r.yml': ruleText({ sql: SQL.replace('$name', '$1'), params: '' }) });
  assert.ok(positional.some((p) => /positional parameter \$1/.test(p)), positional.join('\n'));
});

test('severity, ATT&CK ids, id pattern, folder prefix and unknown keys are checked', async () => {
  const p = await problems({
    'cloudtrail/r.yml': ruleText({ severity: 'urgent', techniques: 'T15620, TA0005', extra: 'owner: me\n' }),
    'vpc/s.yml': ruleText({ id: 'CS-CT-902' }),
    'cloudtrail/t.yml': ruleText({ id: 'CT-1' }),
  });
  const all = p.join('\n');
  assert.match(all, /severity 'urgent' is not one of/);
  assert.match(all, /'T15620' is not an ATT&CK technique id/);
  assert.match(all, /'TA0005' is not an ATT&CK technique id/);
  assert.match(all, /unknown key 'owner'/);
  assert.match(all, /id CS-CT-902 in folder vpc\/ must start with CS-VPC-/);
  assert.match(all, /id 'CT-1' does not match/);
});

test('the SQL may read only case tables, in one statement', async () => {
  const file = await problems({ 'cloudtrail/r.yml': ruleText({ sql: `${SQL} AND source_ip IN (SELECT column0 FROM read_csv('/etc/hosts'))` }) });
  assert.ok(file.some((p) => /table function \(read_csv\)/.test(p)), file.join('\n'));
  const other = await problems({ 'cloudtrail/r.yml': ruleText({ sql: `${SQL} AND source_ip IN (SELECT key FROM case_settings)` }) });
  assert.ok(other.some((p) => /reads 'case_settings', which is not a case table/.test(p)), other.join('\n'));
  const two = await problems({ 'cloudtrail/r.yml': ruleText({ sql: `${SQL};\nSELECT 1` }) });
  assert.ok(two.some((p) => /one statement|exactly one SELECT/.test(p)), two.join('\n'));
  const undeclaredSource = await problems({ 'cloudtrail/r.yml': ruleText({ sql: `${SQL} AND source_ip IN (SELECT client_ip FROM elb)` }) });
  assert.ok(undeclaredSource.some((p) => /reads 'elb' but sources does not list it/.test(p)), undeclaredSource.join('\n'));
});

test("JSON access next to an operator must be parenthesized", async () => {
  const p = await problems({ 'cloudtrail/r.yml': ruleText({ sql: `${SQL} AND request_parameters->>'name' IS NOT NULL` }) });
  assert.ok(p.some((x) => /write \(column->>'key'\)/.test(x)), p.join('\n'));
  assert.deepEqual(await problems({ 'cloudtrail/r.yml': ruleText({ sql: `${SQL} AND (request_parameters->>'name') IS NOT NULL` }) }), []);
});

test('samples: required, last, named, typed; account ids quoted', async () => {
  const first = await problems({ 'cloudtrail/r.yml': ruleText({ samplesFirst: true }) });
  assert.ok(first.some((p) => /'samples' must be the last top-level key/.test(p)), first.join('\n'));
  const numeric = await problems({ 'cloudtrail/r.yml': ruleText().replace("recipientAccountId: '111122223333'", 'recipientAccountId: 111122223333') });
  assert.ok(numeric.some((p) => /recipientAccountId is a number; quote it/.test(p)), numeric.join('\n'));
  const emptyPositive = await problems({ 'cloudtrail/r.yml': ruleText().replace(/cloudtrail:\n {8}- \{[^\n]*\n/, 'cloudtrail: []\n') });
  assert.ok(emptyPositive.some((p) => /positive\[0\] holds no records/.test(p)), emptyPositive.join('\n'));
  const badParam = await problems({ 'cloudtrail/r.yml': ruleText().replace('    - name: nothing\n', '    - name: nothing\n      parameters: { nme: x }\n') });
  assert.ok(badParam.some((p) => /'nme' is not a declared parameter/.test(p)), badParam.join('\n'));
});

test('IN lists on typed CloudTrail columns are reported as advice, not errors', async () => {
  const rules = await loadRules(rulesDir({ 'cloudtrail/r.yml': ruleText({ sql: `${SQL} AND user_type IN ('IAMUser', 'Root')` }) }));
  assert.deepEqual(rules[0].advice, [
    'write list_contains([...], user_type) instead of user_type IN (...): an IN list is only a zone-map hint to the scan (see README, Performance)',
  ]);
  const fine = await loadRules(rulesDir({ 'cloudtrail/r.yml': ruleText({ sql: `${SQL} AND list_contains(['IAMUser', 'Root'], user_type)` }) }));
  assert.deepEqual(fine[0].advice, []);
});
