import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { importPaths } from '../../../analyzers/importers/importRun';
import { loadRules, type Rule } from '../../../analyzers/investigations/ruleFile';
import { prepareCloudTrailDetails, useCloudTrailDetails } from '../../../analyzers/investigations/cloudtrailDetails';
import { runInvestigations } from '../../../analyzers/investigations/runInvestigations';
import { withCase, writeFiles } from '../../helpers/tempCase';
import type { CaseStore } from '../../../analyzers/store/caseStore';

const who = { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/ops', accountId: '111122223333', userName: 'ops' };
const rec = (i: number, name: string, source: string, requestParameters: unknown, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  userIdentity: who,
  eventTime: `2024-03-02T02:${String(i).padStart(2, '0')}:00Z`,
  eventSource: source,
  eventName: name,
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.45',
  userAgent: 'aws-cli/2.15.10',
  requestParameters,
  responseElements: null,
  eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  eventType: 'AwsApiCall',
  recipientAccountId: '111122223333',
  ...extra,
});
const RECORDS = [
  ...Array.from({ length: 20 }, (_, i) => rec(i, 'GetSecretValue', 'secretsmanager.amazonaws.com', { secretId: `s${i % 3}` })),
  rec(20, 'StopLogging', 'cloudtrail.amazonaws.com', { name: 'org-trail' }),
  rec(21, 'CreateAccessKey', 'iam.amazonaws.com', { userName: 'bob' }, { responseElements: { accessKey: { accessKeyId: 'AKIANEW', userName: 'bob' } } }),
  rec(22, 'DescribeInstances', 'ec2.amazonaws.com', { filterSet: {} }),
  rec(23, 'ConsoleLogin', 'signin.amazonaws.com', null, { additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } }),
  { ...rec(24, 'UnusualCall', 'x.amazonaws.com', { a: 1 }), eventName: undefined },
];

const SQLS = [
  `SELECT event_name, request_parameters->>'secretId' AS s, count(*) AS n FROM cloudtrail WHERE event_name = 'GetSecretValue' GROUP BY ALL ORDER BY ALL`,
  `WITH k AS (SELECT *, response_elements->'accessKey'->>'accessKeyId' AS key FROM cloudtrail WHERE event_name = 'CreateAccessKey') SELECT key, user_name, record_index FROM k`,
  `SELECT event_name, additional_event_data->>'MFAUsed' AS mfa FROM cloudtrail WHERE list_contains(['ConsoleLogin', 'StopLogging'], event_name) ORDER BY ALL`,
  `SELECT event_name, request_parameters::VARCHAR AS rp, length(raw) AS len FROM cloudtrail ORDER BY source_file_id, record_index`,
  `SELECT count(*) AS n, count(event_name) AS named FROM cloudtrail`,
];

async function rowsOf(store: CaseStore, sql: string, conn = store.conn): Promise<string> {
  return JSON.stringify((await conn.runAndReadAll(sql)).getRowsJson());
}

const asRule = (sql: string, columns: string[], eventNames: string[]): Rule =>
  ({ id: 'CS-CT-999', sql, cloudtrailDetail: { columns, eventNames } }) as unknown as Rule;

test('CloudTrail read through the parsed rows gives what the table gives, and a column not prepared fails loudly', async () => {
  await withCase(async (store, dir) => {
    writeFiles(dir, { 'logs/trail.json': JSON.stringify({ Records: RECORDS }) });
    await importPaths(store, [path.join(dir, 'logs')]);
    const rules = [
      asRule(SQLS[0], ['request_parameters'], ['GetSecretValue']),
      asRule(SQLS[1], ['response_elements'], ['CreateAccessKey']),
      asRule(SQLS[2], ['additional_event_data', 'raw', 'request_parameters'], ['ConsoleLogin', 'StopLogging', 'DescribeInstances']),
    ];
    await store.run(`ATTACH ':memory:' AS scratch_test`);
    const details = await prepareCloudTrailDetails(store, 'scratch_test', rules);
    assert.ok(details);
    assert.deepEqual([...details.eventNames].sort(), ['ConsoleLogin', 'CreateAccessKey', 'DescribeInstances', 'GetSecretValue', 'StopLogging']);
    assert.equal(details.rows, 24);
    const conn = await store.connect();
    await useCloudTrailDetails(conn, details);
    for (const sql of SQLS) assert.equal(await rowsOf(store, sql, conn), await rowsOf(store, sql), sql);
    await assert.rejects(conn.run(`SELECT user_identity FROM cloudtrail`), /cloudtrail.user_identity was not prepared for this investigation run/);

    // Past the cap the most frequent names stay in the table, and reads are the same.
    await store.run(`ATTACH ':memory:' AS scratch_cap`);
    const capped = await prepareCloudTrailDetails(store, 'scratch_cap', rules, 5);
    assert.ok(capped);
    assert.ok(!capped.eventNames.includes('GetSecretValue'));
    await useCloudTrailDetails(conn, capped);
    for (const sql of SQLS) assert.equal(await rowsOf(store, sql, conn), await rowsOf(store, sql), `capped: ${sql}`);
    conn.closeSync();

    assert.equal(await prepareCloudTrailDetails(store, 'scratch_cap', [asRule(SQLS[0], ['request_parameters'], ['NoSuchEvent'])]), null);
    assert.equal(await prepareCloudTrailDetails(store, 'scratch_cap', [asRule('SELECT 1', [], [])]), null);
  });
});

test('the built-in rules find the same on the sample set whether rules run one or several at a time', async () => {
  const rules = await loadRules();
  const ct = rules.filter((r) => r.sources.includes('cloudtrail')).slice(0, 30);
  await withCase(async (store, dir) => {
    writeFiles(dir, { 'logs/trail.json': JSON.stringify({ Records: RECORDS }) });
    await importPaths(store, [path.join(dir, 'logs')]);
    const one = await runInvestigations(store, { rules: ct, concurrency: 1 });
    const many = await runInvestigations(store, { rules: ct, concurrency: 3 });
    const strip = (r: typeof one) => r.findings.map((f) => ({ ...f, finding_id: 0, run_id: 0 }));
    assert.deepEqual(strip(many), strip(one));
    assert.deepEqual(many.rules.map((r) => [r.id, r.findings, r.error]), one.rules.map((r) => [r.id, r.findings, r.error]));
    assert.ok(one.findings.some((f) => f.id === 'CS-CT-001'), 'StopLogging is found');
  });
});
