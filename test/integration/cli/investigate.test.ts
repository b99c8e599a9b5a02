import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir, writeFiles } from '../../helpers/tempCase';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'cli/bin/cloudsift.js');

function cloudsift(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const base = {
  eventVersion: '1.09',
  userIdentity: { type: 'IAMUser', principalId: 'AIDA4EXAMPLEUSER0001', arn: 'arn:aws:iam::111122223333:user/dev-ops', accountId: '111122223333', accessKeyId: 'AKIA4EXAMPLEKEY00001', userName: 'dev-ops' },
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.45',
  userAgent: 'aws-cli/2.15.10 Python/3.11.6 Linux/6.5.0',
  responseElements: null,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  eventCategory: 'Management',
};
const records = [
  { ...base, eventTime: '2024-03-02T02:10:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'org-trail' }, eventID: 'a0000000-0000-4000-8000-000000000001' },
  { ...base, eventTime: '2024-03-02T02:05:00Z', eventSource: 'iam.amazonaws.com', eventName: 'AttachUserPolicy', requestParameters: { userName: 'backup-svc', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, eventID: 'a0000000-0000-4000-8000-000000000002' },
];

test('investigate ranks findings, --json gives the contract, --rule narrows, settings change thresholds', () => {
  const dir = tempDir();
  writeFiles(dir, { 'logs/trail.json': JSON.stringify({ Records: records }) });
  const casePath = path.join(dir, 'case.duckdb');
  assert.equal(cloudsift('import', path.join(dir, 'logs'), '--case', casePath).code, 0);

  const table = cloudsift('investigate', '--case', casePath);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.split('\n');
  assert.match(lines[0], /^severity\s+id\s+title\s+ATT&CK\s+count\s+first seen\s+last seen\s+entities/);
  assert.match(lines[2], /^critical\s+CS-CT-001\s+CloudTrail logging stopped/);
  assert.match(lines[3], /^high\s+CS-CT-018\s/);

  const json = cloudsift('investigate', '--case', casePath, '--json');
  assert.equal(json.code, 0, json.stderr);
  const findings = JSON.parse(json.stdout) as Record<string, unknown>[];
  assert.deepEqual(findings.map((f) => f.id), ['CS-CT-001', 'CS-CT-018']);
  const f = findings[0];
  for (const k of ['id', 'title', 'severity', 'attack', 'tactics', 'first_seen', 'last_seen', 'count', 'entities', 'evidence']) assert.ok(k in f, `missing ${k}`);
  assert.deepEqual(f.attack, ['T1562.008']);
  assert.deepEqual(f.tactics, ['TA0005']);
  assert.equal(f.first_seen, '2024-03-02T02:10:00Z');
  assert.deepEqual((f.entities as Record<string, string[]>).ips, ['203.0.113.45']);
  assert.deepEqual(f.evidence, [{ table: 'cloudtrail', source_file_id: 1, record_index: 0, path: 'trail.json' }]);

  const one = cloudsift('investigate', '--case', casePath, '--json', '--rule', 'CS-CT-018');
  assert.deepEqual((JSON.parse(one.stdout) as { id: string }[]).map((x) => x.id), ['CS-CT-018']);
  assert.equal(cloudsift('investigate', '--case', casePath, '--rule', 'CS-CT-999').code, 1);

  const set = cloudsift('settings', '--case', casePath, 'set', 'allow.ci_roles', '["dev-ops"]');
  assert.equal(set.code, 0, set.stderr);
  assert.equal(cloudsift('settings', '--case', casePath, 'get', 'allow.ci_roles').stdout, '["dev-ops"]\n');
  assert.equal(cloudsift('settings', '--case', casePath, 'get', 'CS-CT-013.min_failures').stdout, '5 (default)\n');
  const list = JSON.parse(cloudsift('settings', '--case', casePath, 'list', '--json').stdout) as { key: string; set: boolean }[];
  assert.ok(list.some((r) => r.key === 'allow.ci_roles' && r.set));
  assert.ok(list.some((r) => r.key === 'CS-CT-001.allow_principals' && !r.set));
  const quiet = JSON.parse(cloudsift('investigate', '--case', casePath, '--json').stdout) as unknown[];
  assert.deepEqual(quiet, [], 'the allow-listed principal is no longer reported');
  assert.equal(cloudsift('settings', '--case', casePath, 'unset', 'allow.ci_roles').code, 0);
  assert.equal((JSON.parse(cloudsift('investigate', '--case', casePath, '--json').stdout) as unknown[]).length, 2);

  const typo = cloudsift('settings', '--case', casePath, 'set', 'allow.ci_role', '[]');
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /unknown setting 'allow.ci_role'/);
  assert.equal(cloudsift('settings', '--case', casePath, 'set', 'CS-CT-013.min_failures', 'ten').code, 1);
  assert.equal(cloudsift('settings', '--case', casePath, 'set', 'CS-CT-013.min_failures', '"ten"').code, 1);
  const missing = cloudsift('investigate', '--case', path.join(dir, 'nope.duckdb'));
  assert.equal(missing.code, 3);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
});
