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

const event = (i: number) => ({ eventVersion: '1.08', eventTime: `2024-03-01T10:00:0${i}Z`, eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.23', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' }, eventID: `e${i}` });

test('import --json, sources, query and exit codes', () => {
  const dir = tempDir();
  writeFiles(dir, {
    'logs/a.json': JSON.stringify({ Records: [event(1), event(2)] }),
    'logs/vpc.log': '2 123456789012 eni-0a1b2c3d 10.0.0.5 198.51.100.23 443 51515 6 10 840 1709287200 1709287260 ACCEPT OK\n',
  });
  const casePath = path.join(dir, 'case.duckdb');
  const imp = cloudsift('import', path.join(dir, 'logs'), '--case', casePath, '--json');
  assert.equal(imp.code, 0, imp.stderr);
  const summary = JSON.parse(imp.stdout) as { files: number; records: Record<string, number>; rejected: number; seconds: number };
  assert.equal(summary.files, 2);
  assert.equal(summary.records.cloudtrail, 2);
  assert.equal(summary.records.vpc_flow, 1);
  assert.equal(summary.rejected, 0);
  assert.equal(typeof summary.seconds, 'number');

  const src = cloudsift('sources', '--case', casePath, '--json');
  assert.equal(src.code, 0, src.stderr);
  const rows = JSON.parse(src.stdout) as { path: string; sha256: string; kind: string }[];
  assert.deepEqual(rows.map((r) => [r.path, r.kind]), [['a.json', 'cloudtrail'], ['vpc.log', 'vpcflow']]);
  assert.match(rows[0].sha256, /^[0-9a-f]{64}$/);

  const q = cloudsift('query', '--case', casePath, 'SELECT event_name, count(*) AS n FROM cloudtrail GROUP BY 1', '--format', 'csv');
  assert.equal(q.code, 0, q.stderr);
  assert.equal(q.stdout, 'event_name,n\nGetCallerIdentity,2\n');

  const j = cloudsift('query', '--case', casePath, 'SELECT srcaddr, dstport, iso(event_time) AS t FROM vpc_flow', '--format', 'json');
  assert.deepEqual(JSON.parse(j.stdout), [{ srcaddr: '10.0.0.5', dstport: 51515, t: '2024-03-01T10:00:00Z' }]);

  const write = cloudsift('query', '--case', casePath, 'DELETE FROM cloudtrail');
  assert.equal(write.code, 3);
  assert.equal(write.stderr.trim().split('\n').length, 1, 'one clear line, no stack trace');
  const file = cloudsift('query', '--case', casePath, "SELECT * FROM read_csv('/etc/passwd')");
  assert.equal(file.code, 3);

  writeFiles(dir, { 'bad/x.txt': 'not a log\n' });
  const rej = cloudsift('import', path.join(dir, 'bad'), '--case', casePath);
  assert.equal(rej.code, 2, 'some input rejected');
  assert.equal(cloudsift('import', '--case', casePath).code, 1, 'usage error');
  assert.equal(cloudsift('frobnicate').code, 1);
  assert.equal(cloudsift('sources', '--case', path.join(dir, 'missing.duckdb')).code, 3);
});
