import fs from 'node:fs';
import path from 'node:path';
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { CaseStore } from '../../../../analyzers/store/caseStore';
import { importPaths } from '../../../../analyzers/importers/importRun';
import type { SigmaCompileResult } from '../../../../analyzers/hunts/sigma/compileSigma';
import { tempDir } from '../../../helpers/tempCase';

type Json = Record<string, unknown>;

const ACCOUNT = '111122223333';
const iam = (name: string) => ({
  type: 'IAMUser',
  principalId: `AIDA${name.toUpperCase()}EXAMPLE`,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  accountId: ACCOUNT,
  accessKeyId: `AKIA${name.toUpperCase()}EXAMPLE`,
  userName: name,
});
const root = {
  type: 'Root',
  principalId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIAROOTEXAMPLE',
};
const assumed = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLE:deploy-session',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/deploy-session`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIADEPLOYEXAMPLE',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:role/Deployer`, accountId: ACCOUNT, userName: 'Deployer' },
    attributes: { creationDate: '2024-03-01T02:55:00Z', mfaAuthenticated: 'false' },
  },
};

/**
 * CloudTrail records shaped like real ones, each labelled (in eventID) so a
 * test can say which records a rule must match.
 */
const RECORDS: [string, Json][] = [
  ['stoplogging', { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', userIdentity: iam('alice'), sourceIPAddress: '203.0.113.10', userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64', readOnly: false, requestParameters: { name: 'org-trail' } }],
  ['deletetrail', { eventSource: 'cloudtrail.amazonaws.com', eventName: 'DeleteTrail', userIdentity: assumed, sourceIPAddress: '10.1.2.3', userAgent: 'Boto3/1.34.10 md/Botocore#1.34.10 Python/3.11.4', errorCode: 'AccessDenied', errorMessage: 'User is not authorized', readOnly: false, requestParameters: { name: 'org-trail' } }],
  ['describetrails', { eventSource: 'cloudtrail.amazonaws.com', eventName: 'DescribeTrails', userIdentity: root, sourceIPAddress: '198.51.100.7', userAgent: 'console.amazonaws.com', readOnly: true, requestParameters: null }],
  ['disableebs', { eventSource: 'ec2.amazonaws.com', eventName: 'DisableEbsEncryptionByDefault', userIdentity: iam('bob'), sourceIPAddress: '10.200.0.5', userAgent: 'aws-cli/2.13.1 Python/3.11.4 Windows/10', readOnly: false, requestParameters: { DisableEbsEncryptionByDefaultRequest: '' } }],
  ['sgingress', { eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', userIdentity: iam('bob'), sourceIPAddress: '192.168.10.20', userAgent: 'terraform-provider-aws/5.31.0', readOnly: false, requestParameters: { groupId: 'sg-0123456789abcdef0', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }, { cidrIp: '0.0.0.0/0' }] } }] } } }],
  ['putbucketlogging', { eventSource: 's3.amazonaws.com', eventName: 'PutBucketLogging', userIdentity: assumed, sourceIPAddress: '10.1.2.3', userAgent: '[S3Console/0.4]', readOnly: false, requestParameters: { bucketName: 'evidence-bucket', Host: 'evidence-bucket.s3.amazonaws.com', logging: '' }, resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::evidence-bucket' }] }],
  ['getobject', { eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventType: 'AwsApiCall', eventCategory: 'Data', userIdentity: iam('carol'), sourceIPAddress: '203.0.113.99', userAgent: 'aws-cli/2.13.0 command/s3.cp --endpoint-url https://s3.example', readOnly: true, requestParameters: { bucketName: 'Public_Data%Bucket', key: 'exports/2024.csv' }, additionalEventData: { bytesTransferredOut: 1048576, 'x-amz-id-2': 'abc' }, resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::Public_Data%Bucket/exports/2024.csv' }, { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::Public_Data%Bucket' }] }],
  ['getobject2', { eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventType: 'AwsApiCall', eventCategory: 'Data', userIdentity: iam('carol'), sourceIPAddress: '203.0.113.99', userAgent: 'tool.exe /s3-upload', readOnly: true, requestParameters: { bucketName: 'PublicXData%Bucket', key: 'what?*.txt', path: 'C:\\Temp\\a.txt' }, additionalEventData: { bytesTransferredOut: 512 } }],
  ['assumerole', { eventTime: '2024-03-01T03:15:00Z', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, sourceIPAddress: 'ec2.amazonaws.com', userAgent: 'ec2.amazonaws.com', readOnly: true, requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Deployer`, roleSessionName: 'i-0abc' } }],
  ['consolelogin', { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', userIdentity: root, sourceIPAddress: '2001:db8::1', userAgent: 'tool.exe \u2013s3-upload', readOnly: false, responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/' } }],
  ['rootservice', { eventSource: 'health.amazonaws.com', eventName: 'HealthEvent', eventType: 'AwsServiceEvent', userIdentity: root, sourceIPAddress: 'health.amazonaws.com', userAgent: 'health.amazonaws.com', readOnly: true }],
  ['createaccesskey', { eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', userIdentity: iam('bob'), sourceIPAddress: '10.200.0.5', userAgent: 'tool.exe s3/upload', readOnly: false, requestParameters: { userName: 'BOB' } }],
];

export const LABELS = RECORDS.map(([label]) => label);

function toRecord([label, fields]: [string, Json], i: number): Json {
  return {
    eventVersion: '1.09',
    eventTime: `2024-03-01T${String(10 + i).padStart(2, '0')}:00:00Z`,
    awsRegion: 'us-east-1',
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...fields,
    eventID: `${label}-0000-0000-0000-000000000000`,
    requestID: `req-${label}`,
  };
}

/** A case holding the records above, open for the tests in one file. */
export async function openFixtureCase(): Promise<{ store: CaseStore; casePath: string }> {
  const dir = tempDir('cloudsift-sigma-');
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs);
  fs.writeFileSync(path.join(logs, 'trail.json'), JSON.stringify({ Records: RECORDS.map(toRecord) }));
  const casePath = path.join(dir, 'case.duckdb');
  const store = await CaseStore.open(casePath, { threads: 1 });
  const summary = await importPaths(store, [logs]);
  if (summary.records.cloudtrail !== RECORDS.length || summary.rejected !== 0) {
    throw new Error(`fixture import: ${summary.records.cloudtrail} records, ${summary.rejected} rejected`);
  }
  return { store, casePath };
}

export function boundValues(result: SigmaCompileResult): Record<string, DuckDBValue> {
  const values: Record<string, DuckDBValue> = {};
  for (const p of result.hunt.params) values[p.name] = Array.isArray(p.default) ? listValue(p.default) : p.default;
  return values;
}

/** Labels of the records the compiled hunt returns, in the order it returns them. */
export async function matchedLabels(store: CaseStore, result: SigmaCompileResult): Promise<string[]> {
  const reader = await store.conn.runAndReadAll(result.hunt.sql, boundValues(result));
  const rows = reader.getRowObjectsJS() as { record_index: bigint | number }[];
  return rows.map((r) => LABELS[Number(r.record_index)]);
}

/** A CloudTrail rule around a detection block, in the shape SigmaHQ writes them. */
export function rule(detection: string, extra = ''): string {
  return `title: Test rule
id: 0b9d6f38-2c71-4f6e-9a53-6f0c6f1f2a10
status: test
description: A rule written for this test.
author: Cloudsift tests
date: 2024-03-01
logsource:
    product: aws
    service: cloudtrail
detection:
${indent(detection, '    ')}
level: medium
${extra}`;
}

/** Re-indent a block written at any indentation inside a template string. */
function indent(block: string, pad: string): string {
  const lines = block.split('\n').filter((l) => l.trim() !== '');
  const min = Math.min(...lines.map((l) => l.length - l.trimStart().length));
  return lines.map((l) => pad + l.slice(min)).join('\n');
}
