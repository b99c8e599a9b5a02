import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { importPaths } from '../../../analyzers/importers/importRun';
import { setSetting, listSettings } from '../../../analyzers/settings/caseSettings';
import { loadRules } from '../../../analyzers/investigations/ruleFile';
import { runInvestigations, UnknownInvestigationError } from '../../../analyzers/investigations/runInvestigations';
import { getFindingEvidence, listFindings } from '../../../analyzers/investigations/findingsApi';
import { checkSetting, resolveParameters, setInvestigationSetting, settingCatalog } from '../../../analyzers/investigations/ruleSettings';
import { tempDir, withCase, writeFiles } from '../../helpers/tempCase';

const OUT = `[user_arn] AS principals, [access_key_id] AS access_keys, [source_ip] AS ips, []::VARCHAR[] AS resources, []::VARCHAR[] AS instances`;
const rule = (id: string, severity: string, params: string, sql: string) => `id: ${id}
title: Rule ${id}
description: Test.
severity: ${severity}
attack: { tactics: [TA0005], techniques: [T1562.008] }
sources: [cloudtrail]
parameters:
${params || '  {}'}
false_positives: [None.]
sql: |
${sql.split('\n').map((l) => `  ${l}`).join('\n')}
samples:
  positive: [{ name: p, cloudtrail: [{ eventTime: '2024-03-02T02:10:00Z', eventName: X }] }]
  negative: [{ name: n, cloudtrail: [] }]
`;

const RULES = {
  // Stops per principal, with a threshold and an allow-list read from a shared setting.
  'cloudtrail/stops.yml': rule(
    'CS-CT-901',
    'critical',
    `  min_events: { type: INTEGER, default: 2, description: x }
  allow: { type: 'VARCHAR[]', default: [], setting: allow.ci_roles, description: y }`,
    `SELECT min(event_time) AS first_seen, max(event_time) AS last_seen, count(*) AS event_count, 'stops by ' || user_arn AS detail,
       [user_arn] AS principals, list(DISTINCT access_key_id) AS access_keys, list(DISTINCT source_ip) AS ips, []::VARCHAR[] AS resources, []::VARCHAR[] AS instances,
       list({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index} ORDER BY event_time) AS evidence
  FROM cloudtrail WHERE event_name = 'StopLogging' AND NOT cs_principal_matches(user_arn, $allow)
 GROUP BY user_arn HAVING count(*) >= $min_events`,
  ),
  'cloudtrail/whoami.yml': rule(
    'CS-CT-902',
    'low',
    '',
    `SELECT event_time AS first_seen, event_time AS last_seen, 1 AS event_count, 'whoami' AS detail, ${OUT},
       [{'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index}] AS evidence
  FROM cloudtrail WHERE event_name = 'GetCallerIdentity'`,
  ),
  // Parses, but fails when bound: the run must report it and go on.
  'cloudtrail/broken.yml': rule(
    'CS-CT-903',
    'high',
    '',
    `SELECT event_time AS first_seen, event_time AS last_seen, 1 AS event_count, no_such_column AS detail, ${OUT}, [] AS evidence FROM cloudtrail`,
  ),
};

const ev = (i: number, name: string, t: string) => ({
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', principalId: 'AIDA4EXAMPLE', arn: 'arn:aws:iam::111122223333:user/ops', accountId: '111122223333', accessKeyId: 'AKIA4EXAMPLEKEY00001', userName: 'ops' },
  eventTime: t,
  eventSource: name === 'StopLogging' ? 'cloudtrail.amazonaws.com' : 'sts.amazonaws.com',
  eventName: name,
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.45',
  userAgent: 'aws-cli/2.15.10',
  requestParameters: name === 'StopLogging' ? { name: 'org-trail' } : null,
  responseElements: null,
  eventID: `00000000-0000-4000-8000-00000000000${i}`,
  eventType: 'AwsApiCall',
  recipientAccountId: '111122223333',
});

function writeRules(): string {
  const dir = path.join(tempDir('cloudsift-rules-'), 'rules');
  writeFiles(dir, RULES);
  return dir;
}

test('runs every rule, ranks findings, keeps evidence and records the run', async () => {
  const rules = await loadRules(writeRules());
  await withCase(async (store, dir) => {
    writeFiles(dir, {
      'logs/trail.json': JSON.stringify({
        Records: [ev(1, 'GetCallerIdentity', '2024-03-02T02:00:00Z'), ev(2, 'StopLogging', '2024-03-02T02:10:00Z'), ev(3, 'StopLogging', '2024-03-02T02:11:00Z')],
      }),
    });
    await importPaths(store, [path.join(dir, 'logs')]);
    const progress: string[] = [];
    const run = await runInvestigations(store, { rules, onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.ruleId}`) });
    assert.deepEqual(progress, ['1/3 CS-CT-901', '2/3 CS-CT-902', '3/3 CS-CT-903']);

    assert.deepEqual(run.findings.map((f) => [f.id, f.severity]), [['CS-CT-901', 'critical'], ['CS-CT-902', 'low']]);
    const stop = run.findings[0];
    assert.deepEqual(
      { ...stop, finding_id: 0, run_id: 0 },
      {
        finding_id: 0,
        run_id: 0,
        id: 'CS-CT-901',
        title: 'Rule CS-CT-901',
        severity: 'critical',
        attack: ['T1562.008'],
        tactics: ['TA0005'],
        first_seen: '2024-03-02T02:10:00Z',
        last_seen: '2024-03-02T02:11:00Z',
        count: 2,
        detail: 'stops by arn:aws:iam::111122223333:user/ops',
        entities: { principals: ['arn:aws:iam::111122223333:user/ops'], access_keys: ['AKIA4EXAMPLEKEY00001'], ips: ['203.0.113.45'], resources: [], instances: [] },
        evidence: [
          { table: 'cloudtrail', source_file_id: stop.evidence[0].source_file_id, record_index: 1, path: 'trail.json' },
          { table: 'cloudtrail', source_file_id: stop.evidence[0].source_file_id, record_index: 2, path: 'trail.json' },
        ],
      },
    );

    const broken = run.rules.find((r) => r.id === 'CS-CT-903')!;
    assert.match(broken.error ?? '', /no_such_column/);
    assert.ok(run.rules.every((r) => r.ms >= 0 && /^[0-9a-f]{64}$/.test(r.sha256)));

    const page = await getFindingEvidence(store, stop.finding_id, 1, 1);
    assert.equal(page.total, 2);
    assert.equal(page.rows.length, 1);
    assert.equal(page.rows[0].position, 2);
    assert.equal(page.rows[0].event_time, '2024-03-02T02:11:00Z');
    assert.equal(page.rows[0].path, 'trail.json');
    assert.deepEqual(JSON.parse(page.rows[0].raw ?? 'null'), ev(3, 'StopLogging', '2024-03-02T02:11:00Z'));

    const recorded = await store.all<{ tool_version: string; rule_versions: string; settings: string; parameters: string; findings: bigint; failed_rules: bigint }>(
      `SELECT tool_version, rule_versions::VARCHAR AS rule_versions, settings::VARCHAR AS settings, parameters::VARCHAR AS parameters, findings, failed_rules FROM investigation_runs`,
    );
    assert.equal(recorded.length, 1);
    assert.deepEqual(Object.keys(JSON.parse(recorded[0].rule_versions)), ['CS-CT-901', 'CS-CT-902', 'CS-CT-903']);
    assert.deepEqual(JSON.parse(recorded[0].parameters)['CS-CT-901'], { min_events: 2, allow: [] });
    assert.equal(Number(recorded[0].findings), 2);
    assert.equal(Number(recorded[0].failed_rules), 1);

    // Settings change the result; a re-run replaces that rule's findings and leaves the others.
    await setSetting(store, 'CS-CT-901.min_events', 3);
    const rerun = await runInvestigations(store, { rules, ids: ['CS-CT-901'] });
    assert.deepEqual(rerun.findings, []);
    assert.deepEqual((await listFindings(store)).map((f) => f.id), ['CS-CT-902']);
    await setSetting(store, 'CS-CT-901.min_events', 1);
    await setSetting(store, 'allow.ci_roles', ['ops']);
    assert.deepEqual((await runInvestigations(store, { rules, ids: ['CS-CT-901'] })).findings, [], 'the shared allow-list applies');
    const last = await store.one<{ settings: string }>(`SELECT settings::VARCHAR AS settings FROM investigation_runs ORDER BY run_id DESC LIMIT 1`);
    assert.deepEqual(JSON.parse(last!.settings), { 'CS-CT-901.min_events': 1, 'allow.ci_roles': ['ops'] });

    await assert.rejects(runInvestigations(store, { rules, ids: ['CS-CT-999'] }), UnknownInvestigationError);
  });
});

test('parameter values: rule setting, then shared setting, then default; bad stored values fail the rule', async () => {
  const rules = await loadRules(writeRules());
  const r = rules.find((x) => x.id === 'CS-CT-901')!;
  assert.deepEqual(resolveParameters(r, {}), { min_events: 2, allow: [] });
  assert.deepEqual(resolveParameters(r, { 'allow.ci_roles': ['a'] }), { min_events: 2, allow: ['a'] });
  assert.deepEqual(resolveParameters(r, { 'allow.ci_roles': ['a'], 'CS-CT-901.allow': ['b'], 'CS-CT-901.min_events': 9 }), { min_events: 9, allow: ['b'] });
  assert.throws(() => resolveParameters(r, { 'CS-CT-901.min_events': 'ten' }), /CS-CT-901\.min_events: the value "ten" is not INTEGER/);
});

test('settings are checked against the rules before they are stored', async () => {
  const rules = await loadRules(writeRules());
  assert.equal(checkSetting(rules, 'CS-CT-901.min_events', 5), undefined);
  assert.equal(checkSetting(rules, 'allow.admin_networks', ['198.51.100.0/24']), undefined);
  assert.match(checkSetting(rules, 'CS-CT-901.min_event', 5) ?? '', /unknown setting/);
  assert.match(checkSetting(rules, 'CS-CT-901.min_events', 2.5) ?? '', /is not INTEGER/);
  assert.match(checkSetting(rules, 'allow.ci_roles', 'ops') ?? '', /must be a list/);
  const catalog = settingCatalog(rules);
  assert.deepEqual(catalog.find((s) => s.key === 'allow.ci_roles')?.usedBy, ['CS-CT-901']);
  assert.equal(catalog.find((s) => s.key === 'CS-CT-901.min_events')?.default, 2);
  await withCase(async (store) => {
    await setInvestigationSetting(store, rules, 'allow.scanner_ips', ['192.0.2.10']);
    await assert.rejects(setInvestigationSetting(store, rules, 'allow.scanner_ip', []), /unknown setting/);
    assert.deepEqual(await listSettings(store), { 'allow.scanner_ips': ['192.0.2.10'] });
  });
});

test('the built-in rules load without their samples for a run', async () => {
  const rules = await loadRules();
  assert.ok(rules.length >= 25);
  assert.ok(rules.every((r) => r.samples.positive.length === 0 && r.sql.length > 0));
});
