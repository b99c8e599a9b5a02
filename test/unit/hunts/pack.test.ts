import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Json } from '@duckdb/node-api';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { importPaths } from '../../../analyzers/importers/importRun';
import { BUILTIN_PACK_DIR, HuntLibrary, type LibraryHunt } from '../../../analyzers/hunts/library';
import { runHuntSandboxed } from '../../../analyzers/hunts/runHunt';
import { tempDir, writeFiles } from '../../helpers/tempCase';

// One small case holds ten days of an account's ordinary life (2024-05-01 to
// 2024-05-10) with one intrusion on 2024-05-09, in every source. Each hunt of
// the built-in pack runs on it once, with its defaults; the assertions below
// name the rows the intrusion must produce and, where the hunt is precise
// enough, that the ordinary activity produces nothing else.

const ACCT = '111122223333';
const HOUR = 3_600_000;
const MINUTE = 60_000;
const START = Date.UTC(2024, 4, 1);
const END = Date.UTC(2024, 4, 10, 9);
const DAY = 24 * HOUR;
const ATTACK_DAY = Date.UTC(2024, 4, 9);
const at = (h: number, m = 0, s = 0) => ATTACK_DAY + h * HOUR + m * MINUTE + s * 1000;
/** StopLogging at 10:12, StartLogging at 11:30: nothing is logged in between. */
const GAP = [at(10, 12, 1), at(11, 30)] as const;
const inGap = (t: number) => t >= GAP[0] && t < GAP[1];

const OFFICE_IP = '203.0.113.10';
const CAROL_IP = '192.0.2.44';
const DAVE_IP = '203.0.113.50';
const ERIN_IP = '203.0.113.51';
const CI_IP = '192.0.2.80';
const VENDOR_IP = '192.0.2.99';
const ATTACKER_IP = '198.51.100.23';
const VPN_IP = '45.83.64.10';
const TOR_IP = '185.220.101.5';

const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0';
const CLI_UA = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off';
const SDK_UA = 'aws-sdk-go/1.50.0 (go1.21.6; linux; amd64)';
const KALI_UA = 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0';
const CURL_UA = 'curl/8.5.0';
const SQLMAP_UA = 'sqlmap/1.7.2#stable (https://sqlmap.org)';

const WEB_ROLE = 'web-app-role';
const WEB_ROLE_ARN = `arn:aws:iam::${ACCT}:role/${WEB_ROLE}`;
const INSTANCES = [
  { n: 1, id: 'i-0abc1234def567890', publicIp: '54.210.1.10', privateIp: '10.0.1.25', eni: 'eni-0a1b2c3d4e5f60001' },
  { n: 2, id: 'i-0fed9876cba543210', publicIp: '54.210.1.11', privateIp: '10.0.2.31', eni: 'eni-0a1b2c3d4e5f60002' },
];
const WORKER = { privateIp: '10.0.4.50', eni: 'eni-0a1b2c3d4e5f60004' };
const DB = { privateIp: '10.0.3.40', eni: 'eni-0a1b2c3d4e5f60003' };
const ALB_NODES = ['10.0.0.10', '10.0.0.11', '10.0.0.12'];
const NEW_ENI = 'eni-0c0ffee0c0ffee001';
const BACKUP_USER = 'svc-backup';
const BACKUP_ARN = `arn:aws:iam::${ACCT}:user/${BACKUP_USER}`;
const BACKUP_KEY = 'AKIAZ7BACKUPSYNC0001';
const FED_KEY = 'ASIAZ7FEDSESSION0001';
const FED_ARN = `arn:aws:sts::${ACCT}:federated-user/backup-sync`;
const BUCKET = 'acme-customer-data';
const S3_OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const SG = 'sg-0123456789abcdef0';

type J = null | boolean | number | string | J[] | { [k: string]: J };
type Obj = { [k: string]: J };

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const isoMicro = (t: number) => new Date(t).toISOString().replace('Z', '123Z');
const pad = (n: number, w: number) => String(n).padStart(w, '0');
let seq = 0;
const uuid = () => `4c1e7a52-${pad(++seq % 10000, 4)}-4f7e-9a3b-${pad(seq, 12)}`;

/** The web role's credentials rotate every six hours; each window has its own key. */
const windowOf = (t: number) => Math.floor((t - START) / (6 * HOUR));
const webKey = (inst: number, w: number) => `ASIAWEB${inst}${pad(w, 12)}`;
const STOLEN_KEY = webKey(1, windowOf(at(6)));

function iamUser(name: string, opts: { key?: string; console?: number; invokedBy?: string } = {}): Obj {
  const id: Obj = { type: 'IAMUser', principalId: `AIDA${name.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'X')}`, arn: `arn:aws:iam::${ACCT}:user/${name}`, accountId: ACCT };
  if (opts.key) id.accessKeyId = opts.key;
  id.userName = name;
  if (opts.console !== undefined) {
    id.sessionContext = { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: iso(opts.console), mfaAuthenticated: 'true' } };
  }
  if (opts.invokedBy) id.invokedBy = opts.invokedBy;
  return id;
}

function roleSession(role: string, session: string, key: string, created: number, opts: { account?: string; ec2?: boolean; invokedBy?: string } = {}): Obj {
  const account = opts.account ?? ACCT;
  const roleId = `AROA${role.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'Q').slice(0, 17)}`;
  const sessionContext: Obj = {
    sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
    webIdFederationData: {},
    attributes: { creationDate: iso(created), mfaAuthenticated: 'false' },
  };
  if (opts.ec2) sessionContext.ec2RoleDelivery = '2.0';
  const id: Obj = { type: 'AssumedRole', principalId: `${roleId}:${session}`, arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`, accountId: account, accessKeyId: key, sessionContext };
  if (opts.invokedBy) id.invokedBy = opts.invokedBy;
  return id;
}

const webSession = (inst: (typeof INSTANCES)[number], t: number, invokedBy?: string) =>
  roleSession(WEB_ROLE, inst.id, webKey(inst.n, windowOf(t)), START + windowOf(t) * 6 * HOUR, { ec2: true, invokedBy });

const fedSession = (): Obj => ({
  type: 'FederatedUser',
  principalId: `${ACCT}:backup-sync`,
  arn: FED_ARN,
  accountId: ACCT,
  accessKeyId: FED_KEY,
  sessionContext: {
    sessionIssuer: { type: 'IAMUser', principalId: 'AIDASVCBACKUPXXXXXXX', arn: BACKUP_ARN, accountId: ACCT, userName: BACKUP_USER },
    webIdFederationData: {},
    attributes: { creationDate: iso(at(12)), mfaAuthenticated: 'false' },
  },
});

interface Call {
  t: number;
  who: Obj;
  source: string;
  name: string;
  ip: string;
  ua: string;
  region?: string;
  req?: J;
  resp?: J;
  error?: [string, string];
  readOnly?: boolean;
  extra?: Obj;
  data?: boolean;
  type?: string;
}

const trail = new Map<string, Obj[]>();

function ct(c: Call): void {
  const r: Obj = {
    eventVersion: '1.09',
    userIdentity: c.who,
    eventTime: iso(c.t),
    eventSource: c.source,
    eventName: c.name,
    awsRegion: c.region ?? 'us-east-1',
    sourceIPAddress: c.ip,
    userAgent: c.ua,
  };
  if (c.error) {
    if (c.error[0]) r.errorCode = c.error[0];
    r.errorMessage = c.error[1];
  }
  r.requestParameters = c.req ?? null;
  r.responseElements = c.error ? null : (c.resp ?? null);
  if (c.extra) Object.assign(r, c.extra);
  r.requestID = uuid();
  r.eventID = uuid();
  r.readOnly = c.readOnly ?? true;
  r.eventType = c.type ?? 'AwsApiCall';
  r.managementEvent = !c.data;
  r.recipientAccountId = ACCT;
  r.eventCategory = c.data ? 'Data' : 'Management';
  const key = `${c.region ?? 'us-east-1'}/${new Date(c.t).toISOString().slice(0, 10)}`;
  if (!trail.has(key)) trail.set(key, []);
  trail.get(key)!.push(r);
}

const denied = (who: string, action: string): [string, string] => ['AccessDenied', `User: ${who} is not authorized to perform: ${action}`];

function consoleLogin(t: number, who: Obj, ip: string, ua: string, ok: boolean, mfa: boolean): void {
  ct({
    t, who, source: 'signin.amazonaws.com', name: 'ConsoleLogin', ip, ua, readOnly: false, type: 'AwsConsoleSignIn',
    error: ok ? undefined : ['', 'Failed authentication'],
    resp: { ConsoleLogin: ok ? 'Success' : 'Failure' },
    extra: { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: mfa ? 'Yes' : 'No' } },
  });
}

function buildTrail(): void {
  // The web servers: SSM check-ins every half hour, credential rotation every six hours, a secret read each morning.
  for (let t = START; t < END; t += 30 * MINUTE) {
    for (const inst of INSTANCES) {
      const when = t + 5 * MINUTE;
      if (when < END && !inGap(when)) {
        ct({ t: when, who: webSession(inst, when), source: 'ssm.amazonaws.com', name: 'UpdateInstanceInformation', ip: inst.publicIp, ua: SDK_UA, readOnly: false, req: { instanceId: inst.id, agentVersion: '3.3.40.0' } });
      }
      if ((t - START) % (6 * HOUR) === 0) {
        ct({
          t, who: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, source: 'sts.amazonaws.com', name: 'AssumeRole', ip: 'ec2.amazonaws.com', ua: 'ec2.amazonaws.com',
          req: { roleArn: WEB_ROLE_ARN, roleSessionName: inst.id },
          resp: { credentials: { accessKeyId: webKey(inst.n, windowOf(t)), expiration: 'May 1, 2024, 6:00:00 AM', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE' } },
        });
      }
    }
  }
  for (let d = START; d < END; d += DAY) {
    for (const inst of INSTANCES) {
      const t = d + 6 * HOUR + 10 * MINUTE;
      ct({ t, who: webSession(inst, t), source: 'secretsmanager.amazonaws.com', name: 'GetSecretValue', ip: inst.publicIp, ua: SDK_UA, req: { secretId: 'app/db-password' } });
      ct({
        t, who: webSession(inst, t, 'secretsmanager.amazonaws.com'), source: 'kms.amazonaws.com', name: 'Decrypt', ip: 'secretsmanager.amazonaws.com', ua: 'secretsmanager.amazonaws.com',
        req: { encryptionContext: { SecretARN: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:app/db-password-AbCdEf` }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
        extra: { resources: [{ accountId: ACCT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }] },
      });
    }
    // People at the console, with MFA, every morning; Bob mistypes his password on 05-03.
    [['alice.nguyen', OFFICE_IP], ['bob.martins', OFFICE_IP], ['carol.diaz', CAROL_IP]].forEach(([name, ip], i) => {
      const t = d + 8 * HOUR + i * 10 * MINUTE;
      if (name === 'bob.martins' && d === START + 2 * DAY) consoleLogin(t - MINUTE, iamUser(name), ip, BROWSER_UA, false, false);
      consoleLogin(t, iamUser(name), ip, BROWSER_UA, true, true);
      const who = iamUser(name, { key: `ASIACONSOLE${i}${pad((d - START) / DAY, 8)}`, console: t });
      ct({ t: t + 2 * MINUTE, who, source: 'ec2.amazonaws.com', name: 'DescribeInstances', ip, ua: BROWSER_UA, req: { maxResults: 1000 } });
      ct({ t: t + 3 * MINUTE, who, source: 's3.amazonaws.com', name: 'ListBuckets', ip, ua: BROWSER_UA });
      ct({ t: t + 4 * MINUTE, who, source: 'monitoring.amazonaws.com', name: 'DescribeAlarms', ip, ua: BROWSER_UA });
    });
    if (d + 14 * HOUR >= END) continue;
    // Developers and CI on the command line.
    const dave = iamUser('dave.okafor', { key: 'AKIADAVEEXAMPLE00001' });
    ct({ t: d + 9 * HOUR, who: dave, source: 'ec2.amazonaws.com', name: 'DescribeInstances', ip: DAVE_IP, ua: CLI_UA });
    ct({ t: d + 9 * HOUR + MINUTE, who: dave, source: 's3.amazonaws.com', name: 'ListBuckets', ip: DAVE_IP, ua: CLI_UA });
    ct({ t: d + 9 * HOUR + 2 * MINUTE, who: dave, source: 'ec2.amazonaws.com', name: 'DescribeSnapshots', ip: DAVE_IP, ua: CLI_UA, region: 'eu-west-1' });
    const erin = iamUser('erin.lee', { key: 'AKIAERINEXAMPLE00001' });
    ct({ t: d + 13 * HOUR, who: erin, source: 'sts.amazonaws.com', name: 'GetCallerIdentity', ip: ERIN_IP, ua: CLI_UA });
    ct({ t: d + 13 * HOUR + MINUTE, who: erin, source: 'logs.amazonaws.com', name: 'DescribeLogGroups', ip: ERIN_IP, ua: CLI_UA });
    const day = (d - START) / DAY;
    const deployKey = `ASIADEPLOY${pad(day, 10)}`;
    const writerKey = `ASIAS3WRITE${pad(day, 9)}`;
    ct({
      t: d + 14 * HOUR, who: iamUser('ci-deployer', { key: 'AKIACIDEPLOYER000001' }), source: 'sts.amazonaws.com', name: 'AssumeRole', ip: CI_IP, ua: CLI_UA,
      req: { roleArn: `arn:aws:iam::${ACCT}:role/deploy-role`, roleSessionName: `deploy-${day}` }, resp: { credentials: { accessKeyId: deployKey } },
    });
    const deploy = roleSession('deploy-role', `deploy-${day}`, deployKey, d + 14 * HOUR);
    ct({
      t: d + 14 * HOUR + MINUTE, who: deploy, source: 'sts.amazonaws.com', name: 'AssumeRole', ip: CI_IP, ua: CLI_UA,
      req: { roleArn: `arn:aws:iam::${ACCT}:role/s3-writer-role`, roleSessionName: `upload-${day}` }, resp: { credentials: { accessKeyId: writerKey } },
    });
    ct({ t: d + 14 * HOUR + 2 * MINUTE, who: deploy, source: 'ecs.amazonaws.com', name: 'DescribeServices', ip: CI_IP, ua: CLI_UA });
    ct({ t: d + 14 * HOUR + 3 * MINUTE, who: roleSession('s3-writer-role', `upload-${day}`, writerKey, d + 14 * HOUR + MINUTE), source: 's3.amazonaws.com', name: 'GetBucketLocation', ip: CI_IP, ua: CLI_UA, req: { bucketName: 'acme-build-artifacts' } });
  }
  // One-offs inside the baseline: the root user looks at the bill, Dave audits a partner account, a vendor audits us.
  const rootLogin = START + DAY + 14 * HOUR + 5 * MINUTE;
  consoleLogin(rootLogin, { type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT }, OFFICE_IP, BROWSER_UA, true, true);
  ct({
    t: rootLogin + 2 * MINUTE, who: { type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, accessKeyId: 'ASIAROOTCONSOLE00001', sessionContext: { attributes: { creationDate: iso(rootLogin), mfaAuthenticated: 'true' } } },
    source: 'ce.amazonaws.com', name: 'GetCostAndUsage', ip: OFFICE_IP, ua: BROWSER_UA,
  });
  ct({
    t: START + DAY + 9 * HOUR + 5 * MINUTE, who: iamUser('dave.okafor', { key: 'AKIADAVEEXAMPLE00001' }), source: 'sts.amazonaws.com', name: 'AssumeRole', ip: DAVE_IP, ua: CLI_UA,
    req: { roleArn: 'arn:aws:iam::999988887777:role/partner-audit', roleSessionName: 'dave-audit' }, resp: { credentials: { accessKeyId: 'ASIAPARTNERAUDIT0001' } },
  });
  const vendorT = START + 3 * DAY + 15 * HOUR;
  ct({
    t: vendorT, who: roleSession('auditor', 'jane', 'ASIAVENDORJANE000001', vendorT - HOUR, { account: '444455556666' }), source: 'sts.amazonaws.com', name: 'AssumeRole', ip: VENDOR_IP, ua: CLI_UA,
    req: { roleArn: `arn:aws:iam::${ACCT}:role/vendor-readonly`, roleSessionName: 'jane' }, resp: { credentials: { accessKeyId: 'ASIAVENDORREADONLY01' } },
  });
  ct({ t: vendorT + MINUTE, who: roleSession('vendor-readonly', 'jane', 'ASIAVENDORREADONLY01', vendorT), source: 'ec2.amazonaws.com', name: 'DescribeInstances', ip: VENDOR_IP, ua: CLI_UA });

  // The intrusion. Web-1's session credentials, stolen through the SSRF at 09:10, are used from outside.
  const stolen = roleSession(WEB_ROLE, INSTANCES[0].id, STOLEN_KEY, at(6), { ec2: true });
  const stolenArn = `arn:aws:sts::${ACCT}:assumed-role/${WEB_ROLE}/${INSTANCES[0].id}`;
  ct({ t: at(10), who: stolen, source: 'sts.amazonaws.com', name: 'GetCallerIdentity', ip: ATTACKER_IP, ua: CURL_UA });
  const recon: [string, string, boolean][] = [
    ['iam', 'ListUsers', false], ['iam', 'ListRoles', false], ['iam', 'GetAccountAuthorizationDetails', false], ['iam', 'ListPolicies', false],
    ['iam', 'ListRolePolicies', true], ['iam', 'GetRolePolicy', true], ['s3', 'ListBuckets', true], ['ec2', 'DescribeInstances', true],
    ['ec2', 'DescribeSecurityGroups', true], ['ec2', 'DescribeVpcs', true], ['secretsmanager', 'ListSecrets', false], ['kms', 'ListKeys', false],
    ['lambda', 'ListFunctions20150331', false], ['rds', 'DescribeDBInstances', false], ['dynamodb', 'ListTables', false], ['ecs', 'ListClusters', false],
  ];
  recon.forEach(([svc, name, ok], i) => {
    ct({ t: at(10, 0, 30 + i * 12), who: stolen, source: `${svc}.amazonaws.com`, name, ip: ATTACKER_IP, ua: KALI_UA, error: ok ? undefined : denied(stolenArn, `${svc}:${name}`), req: name === 'GetRolePolicy' ? { roleName: WEB_ROLE, policyName: 'legacy-provisioning' } : null });
  });
  ct({ t: at(10, 5), who: stolen, source: 'iam.amazonaws.com', name: 'CreateUser', ip: ATTACKER_IP, ua: KALI_UA, readOnly: false, req: { userName: BACKUP_USER }, resp: { user: { userName: BACKUP_USER, userId: 'AIDASVCBACKUPXXXXXXX', arn: BACKUP_ARN, createDate: 'May 9, 2024, 10:05:00 AM' } } });
  ct({ t: at(10, 5, 30), who: stolen, source: 'iam.amazonaws.com', name: 'CreateAccessKey', ip: ATTACKER_IP, ua: KALI_UA, readOnly: false, req: { userName: BACKUP_USER }, resp: { accessKey: { userName: BACKUP_USER, accessKeyId: BACKUP_KEY, status: 'Active', createDate: 'May 9, 2024, 10:05:30 AM' } } });
  ct({ t: at(10, 6), who: stolen, source: 'iam.amazonaws.com', name: 'AttachUserPolicy', ip: ATTACKER_IP, ua: KALI_UA, readOnly: false, req: { userName: BACKUP_USER, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } });
  ct({ t: at(10, 6, 30), who: stolen, source: 'iam.amazonaws.com', name: 'CreateLoginProfile', ip: ATTACKER_IP, ua: KALI_UA, readOnly: false, req: { userName: BACKUP_USER, passwordResetRequired: false } });

  const backup = iamUser(BACKUP_USER, { key: BACKUP_KEY });
  const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/management-trail`;
  ct({ t: at(10, 10), who: backup, source: 'sts.amazonaws.com', name: 'GetCallerIdentity', ip: ATTACKER_IP, ua: KALI_UA });
  ct({ t: at(10, 11), who: backup, source: 'cloudtrail.amazonaws.com', name: 'DescribeTrails', ip: ATTACKER_IP, ua: KALI_UA });
  ct({ t: at(10, 12), who: backup, source: 'cloudtrail.amazonaws.com', name: 'StopLogging', ip: ATTACKER_IP, ua: KALI_UA, readOnly: false, req: { name: trailArn } });
  ct({ t: at(11, 30), who: backup, source: 'cloudtrail.amazonaws.com', name: 'StartLogging', ip: VPN_IP, ua: KALI_UA, readOnly: false, req: { name: trailArn } });
  ct({
    t: at(11, 32), who: backup, source: 'ec2.amazonaws.com', name: 'AuthorizeSecurityGroupIngress', ip: VPN_IP, ua: KALI_UA, readOnly: false,
    req: { groupId: SG, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    resp: { requestId: uuid(), _return: true },
  });
  const sg = 'ap-southeast-1';
  ct({ t: at(11, 35), who: backup, source: 'ec2.amazonaws.com', name: 'DescribeImages', ip: TOR_IP, ua: KALI_UA, region: sg, req: { filterSet: { items: [{ name: 'name', valueSet: { items: [{ value: 'Deep Learning AMI*' }] } }] } } });
  ct({
    t: at(11, 35, 30), who: backup, source: 'ec2.amazonaws.com', name: 'RunInstances', ip: TOR_IP, ua: KALI_UA, region: sg, readOnly: false,
    req: { instancesSet: { items: [{ imageId: 'ami-0c7d2f1e0b9a84c53', minCount: 4, maxCount: 4, keyName: 'deploy-key' }] }, instanceType: 'p3.16xlarge' },
    error: ['Client.VcpuLimitExceeded', 'You have requested more vCPU capacity than your current vCPU limit of 0 allows'],
  });
  ct({
    t: at(11, 36), who: backup, source: 'ec2.amazonaws.com', name: 'RunInstances', ip: TOR_IP, ua: KALI_UA, region: sg, readOnly: false,
    req: { instancesSet: { items: [{ imageId: 'ami-0c7d2f1e0b9a84c53', minCount: 2, maxCount: 2, keyName: 'deploy-key' }] }, instanceType: 'g4dn.xlarge' },
    resp: { instancesSet: { items: [{ instanceId: 'i-0aaa1111bbbb22223', instanceType: 'g4dn.xlarge' }, { instanceId: 'i-0aaa1111bbbb22224', instanceType: 'g4dn.xlarge' }] } },
  });
  consoleLogin(at(11, 40), iamUser(BACKUP_USER), TOR_IP, FIREFOX_UA, true, false);
  ct({ t: at(11, 45), who: backup, source: 'secretsmanager.amazonaws.com', name: 'ListSecrets', ip: TOR_IP, ua: KALI_UA });
  ['prod/db-master', 'prod/stripe-api-key', 'prod/jwt-signing-key'].forEach((secretId, i) => {
    const t = at(11, 45, 20 + i * 20);
    ct({ t, who: backup, source: 'secretsmanager.amazonaws.com', name: 'GetSecretValue', ip: TOR_IP, ua: KALI_UA, req: { secretId } });
    ct({ t, who: iamUser(BACKUP_USER, { key: BACKUP_KEY, invokedBy: 'secretsmanager.amazonaws.com' }), source: 'kms.amazonaws.com', name: 'Decrypt', ip: 'secretsmanager.amazonaws.com', ua: 'secretsmanager.amazonaws.com', req: { encryptionContext: { SecretARN: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:${secretId}-XyZ123` } } });
  });
  const bucketRes = { resources: [{ accountId: ACCT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }] };
  ct({ t: at(11, 50), who: backup, source: 's3.amazonaws.com', name: 'DeleteBucketPublicAccessBlock', ip: TOR_IP, ua: KALI_UA, readOnly: false, req: { publicAccessBlock: '', bucketName: BUCKET, Host: `${BUCKET}.s3.amazonaws.com` }, extra: bucketRes });
  ct({
    t: at(11, 50, 30), who: backup, source: 's3.amazonaws.com', name: 'PutBucketPolicy', ip: TOR_IP, ua: KALI_UA, readOnly: false, extra: bucketRes,
    req: { bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] }, bucketName: BUCKET, Host: `${BUCKET}.s3.amazonaws.com`, policy: '' },
  });
  [['exports/customers.csv', 73_400_320], ['exports/orders.csv', 41_943_040], ['backups/db.dump', 524_288_000]].forEach(([key, bytes], i) => {
    ct({
      t: at(11, 52, i * 30), who: backup, source: 's3.amazonaws.com', name: 'GetObject', ip: TOR_IP, ua: KALI_UA, data: true,
      req: { bucketName: BUCKET, Host: `${BUCKET}.s3.amazonaws.com`, key },
      extra: { additionalEventData: { SignatureVersion: 'SigV4', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', bytesTransferredOut: bytes }, resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${BUCKET}/${key}` }] },
    });
  });
  ct({
    t: at(12), who: backup, source: 'sts.amazonaws.com', name: 'GetFederationToken', ip: TOR_IP, ua: KALI_UA,
    req: { name: 'backup-sync', durationSeconds: 129600 }, resp: { credentials: { accessKeyId: FED_KEY }, federatedUser: { federatedUserId: `${ACCT}:backup-sync`, arn: FED_ARN } },
  });
  ct({ t: at(12, 5), who: fedSession(), source: 's3.amazonaws.com', name: 'ListBuckets', ip: TOR_IP, ua: KALI_UA });
  ct({ t: at(32), who: fedSession(), source: 's3.amazonaws.com', name: 'ListBuckets', ip: VPN_IP, ua: KALI_UA });
  ct({ t: at(32, 1), who: fedSession(), source: 'ec2.amazonaws.com', name: 'DescribeInstances', ip: VPN_IP, ua: KALI_UA });
}

function trailFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [key, records] of trail) {
    const [region, day] = key.split('/');
    const [y, m, d] = day.split('-');
    records.sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
    files[`AWSLogs/${ACCT}/CloudTrail/${region}/${y}/${m}/${d}/${ACCT}_CloudTrail_${region}_${y}${m}${d}T0000Z_Hx4LbTqPw2cY7nVd.json`] = JSON.stringify({ Records: records });
  }
  return files;
}

/** VPC flow logs, default format (version 2) with the header line AWS writes, for 05-01 and 05-09 only. */
function vpcFiles(): Record<string, string> {
  const byFile = new Map<string, string[]>();
  const flow = (t: number, eni: string, src: string, dst: string, sport: number, dport: number, proto: number, packets: number, bytes: number, action = 'ACCEPT') => {
    const name = `${new Date(t).toISOString().slice(0, 10)}-${new Date(t).getUTCHours() < 12 ? 'am' : 'pm'}`;
    if (!byFile.has(name)) byFile.set(name, []);
    const s = Math.floor(t / 1000);
    byFile.get(name)!.push(`2 ${ACCT} ${eni} ${src} ${dst} ${sport} ${dport} ${proto} ${packets} ${bytes} ${s} ${s + 60} ${action} OK`);
  };
  for (const day of [START, ATTACK_DAY]) {
    for (let h = 0; h < 24; h++) {
      const t = day + h * HOUR + 2 * MINUTE;
      INSTANCES.forEach((inst, i) => {
        ALB_NODES.forEach((node, j) => {
          const port = 40000 + h * 10 + i * 3 + j;
          flow(t, inst.eni, node, inst.privateIp, port, 80, 6, 12, 1800);
          flow(t, inst.eni, inst.privateIp, node, 80, port, 6, 10, 24000);
        });
      });
      [...INSTANCES.map((x) => [x.privateIp, x.eni]), [WORKER.privateIp, WORKER.eni]].forEach(([ip, eni], i) => {
        flow(t, DB.eni, ip, DB.privateIp, 51000 + h * 3 + i, 5432, 6, 20, 4000);
        flow(t, DB.eni, DB.privateIp, ip, 5432, 51000 + h * 3 + i, 6, 20, 60000);
        flow(t, eni, ip, '52.94.236.248', 52000 + h * 3 + i, 443, 6, 8, 2400);
        flow(t, eni, ip, '10.0.0.2', 53000 + h * 3 + i, 53, 17, 1, 80);
      });
    }
    const s = Math.floor((day + 3 * HOUR) / 1000);
    byFile.get(`${new Date(day).toISOString().slice(0, 10)}-am`)!.push(`2 ${ACCT} eni-0a1b2c3d4e5f60012 - - - - - - - ${s} ${s + 60} - NODATA`);
  }
  const web1 = INSTANCES[0];
  [21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 2049, 3306, 3389, 5432, 5900, 5985, 6379, 8080, 8443, 9200, 11211, 27017, 50000]
    .forEach((port, i) => flow(at(9, 30) + i * 1000, web1.eni, '192.0.2.200', web1.privateIp, 61000 + i, port, 6, 1, 44, 'REJECT'));
  [50111, 50113, 50115].forEach((port, i) => flow(at(10, 30) + i * 60_000, web1.eni, ATTACKER_IP, web1.privateIp, port, 22, 6, 2, 120, 'REJECT'));
  flow(at(11, 33), web1.eni, ATTACKER_IP, web1.privateIp, 50112, 22, 6, 3000, 200_000);
  for (let i = 0; i < 4; i++) flow(at(11, 33 + 2 * i), web1.eni, web1.privateIp, ATTACKER_IP, 22, 50112, 6, 350_000, 500_000_000);
  flow(at(11, 40), NEW_ENI, '10.0.9.9', '192.0.2.150', 44321, 4444, 6, 40, 52_000);
  flow(at(11, 40), NEW_ENI, '192.0.2.150', '10.0.9.9', 4444, 44321, 6, 38, 9_000);
  const files: Record<string, string> = {};
  for (const [name, lines] of byFile) {
    const [y, m, d] = name.split('-');
    if (name === '2024-05-09-pm') lines.splice(5, 0, `2 ${ACCT} ${web1.eni} 10.0.1.25 10.0.3.40 51000`);
    files[`AWSLogs/${ACCT}/vpcflowlogs/us-east-1/${y}/${m}/${d}/${ACCT}_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_${y}${m}${d}T${name.endsWith('am') ? '0000' : '1200'}Z_3f9a2b1c.log`] =
      `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n${lines.join('\n')}\n`;
  }
  return files;
}

/** ALB access logs (29 fields) for 05-01 and 05-09. */
function albFiles(): Record<string, string> {
  const lines = new Map<string, string[]>();
  let n = 0;
  const req = (t: number, client: string, method: string, url: string, ua: string, status: number, sent: number) => {
    const target = INSTANCES[n++ % 2].privateIp;
    const day = new Date(t).toISOString().slice(0, 10);
    if (!lines.has(day)) lines.set(day, []);
    const trace = `Root=1-${Math.floor(t / 1000).toString(16)}-${pad(n, 24)}`;
    lines.get(day)!.push(
      `https ${isoMicro(t)} app/shop-prod/50dc6c495c0c9188 ${client}:${30000 + (n % 30000)} ${target}:80 0.001 0.012 0.000 ${status} ${status} ${180 + url.length} ${sent} ` +
        `"${method} https://shop.example.com:443${url} HTTP/1.1" "${ua}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ` +
        `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:targetgroup/shop-web/73e2d6bc24d8a067 "${trace}" "shop.example.com" ` +
        `"arn:aws:acm:us-east-1:${ACCT}:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99" 0 ${isoMicro(t - 5)} "forward" "-" "-" "${target}:80" "${status}" "-" "-"`,
    );
  };
  for (const day of [START, ATTACK_DAY]) {
    for (let i = 0; i < 12; i++) req(day + i * 2 * HOUR, '192.0.2.10', 'HEAD', '/', 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)', 200, 0);
    for (let i = 0; i < 20; i++) {
      const t = day + 14 * HOUR + i * 7 * MINUTE;
      req(t, `198.18.0.${i + 1}`, 'GET', '/', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 200, 5120);
      req(t + 20_000, `198.18.0.${i + 1}`, 'GET', `/products/${100 + i}`, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 200, 8192);
    }
    req(day + 15 * HOUR, '203.0.113.77', 'GET', '/downloads/catalog-2024.pdf', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 200, 52_428_800);
  }
  req(at(8, 40), '192.0.2.201', 'GET', '/.env', 'Mozilla/5.0 zgrab/0.x', 404, 150);
  for (let i = 0; i < 30; i++) {
    const payload = i % 3 === 0 ? `1%20UNION%20ALL%20SELECT%20NULL,NULL,CONCAT(0x71,${i})` : i % 3 === 1 ? `1%20AND%20SLEEP(5)` : `${i}`;
    req(at(9, 0, i * 10), ATTACKER_IP, 'GET', `/api/products?id=${payload}`, SQLMAP_UA, i % 3 === 0 ? 500 : 200, 512);
  }
  req(at(9, 10), ATTACKER_IP, 'GET', '/api/preview?url=http://169.254.169.254/latest/meta-data/', CURL_UA, 200, 312);
  req(at(9, 10, 20), ATTACKER_IP, 'GET', '/api/preview?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/', CURL_UA, 200, 280);
  req(at(9, 10, 45), ATTACKER_IP, 'GET', `/api/preview?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/${WEB_ROLE}`, CURL_UA, 200, 1742);
  const files: Record<string, string> = {};
  for (const [day, ls] of lines) {
    const [y, m, d] = day.split('-');
    ls.sort();
    if (day === '2024-05-09') ls.splice(3, 0, `https ${isoMicro(at(14))} app/shop-prod/50dc6c495c0c9188 198.18.0.9:4100 10.0.1.25:80 0.001`);
    files[`AWSLogs/${ACCT}/elasticloadbalancing/us-east-1/${y}/${m}/${d}/${ACCT}_elasticloadbalancing_us-east-1_app.shop-prod.50dc6c495c0c9188_${y}${m}${d}T2355Z_10.0.0.10_2f7c1a9b.log`] = `${ls.join('\n')}\n`;
  }
  return files;
}

/** S3 server access logs of the customer-data bucket (26 fields). */
function s3Files(): Record<string, string> {
  const files: Record<string, string[]> = {};
  let n = 0;
  const clf = (t: number) => {
    const d = new Date(t);
    const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
    return `[${pad(d.getUTCDate(), 2)}/${mon}/${d.getUTCFullYear()}:${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)} +0000]`;
  };
  const line = (t: number, ip: string, requester: string | null, op: string, key: string | null, status: number, bytes: number | null, size: number | null, ua: string) => {
    const name = `${new Date(t).toISOString().slice(0, 13).replace('T', '-')}-00-00-${pad(n % 7, 2)}A1B2C3D4E5F6A7B8`;
    n++;
    const method = op.split('.')[1];
    const uri = key ? `/${BUCKET}/${key}` : `/${BUCKET}/?list-type=2&prefix=&encoding-type=url`;
    const signed = requester !== null;
    (files[name] ??= []).push(
      `${S3_OWNER} ${BUCKET} ${clf(t)} ${ip} ${requester ?? '-'} ${pad(n, 4)}E57427F3EXAMPLE ${op} ${key ?? '-'} "${method} ${uri} HTTP/1.1" ${status} ${status >= 400 ? 'AccessDenied' : '-'} ` +
        `${bytes ?? '-'} ${size ?? '-'} ${40 + (n % 50)} ${10 + (n % 9)} "-" "${ua}" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= ` +
        `${signed ? 'SigV4' : '-'} ECDHE-RSA-AES128-GCM-SHA256 ${signed ? 'AuthHeader' : '-'} ${BUCKET}.s3.us-east-1.amazonaws.com TLSv1.2 - -`,
    );
  };
  const app = `arn:aws:sts::${ACCT}:assumed-role/${WEB_ROLE}/${INSTANCES[0].id}`;
  for (const day of [START, ATTACK_DAY]) line(day + 7 * HOUR, INSTANCES[0].privateIp, app, 'REST.GET.OBJECT', 'config/app.json', 200, 2048, 2048, SDK_UA);
  line(at(10, 20), ATTACKER_IP, BACKUP_ARN, 'REST.GET.BUCKET', null, 200, 4096, null, KALI_UA);
  ['backups/db-2024-05-08.dump', 'backups/db-2024-05-07.dump', 'exports/customers.csv', 'exports/orders.csv', 'exports/invoices.zip'].forEach((key, i) =>
    line(at(10, 21 + i * 4), ATTACKER_IP, BACKUP_ARN, 'REST.GET.OBJECT', key, 200, 524_288_000, 524_288_000, KALI_UA),
  );
  line(at(11, 50, 30), TOR_IP, BACKUP_ARN, 'REST.PUT.BUCKETPOLICY', null, 204, null, null, KALI_UA);
  [['exports/customers.csv', 73_400_320], ['exports/orders.csv', 41_943_040], ['backups/db.dump', 524_288_000]].forEach(([key, bytes], i) =>
    line(at(11, 52, i * 30), TOR_IP, BACKUP_ARN, 'REST.GET.OBJECT', key as string, 200, bytes as number, bytes as number, KALI_UA),
  );
  line(at(12, 10), TOR_IP, null, 'REST.GET.OBJECT', 'exports/customers.csv', 200, 73_400_320, 73_400_320, CURL_UA);
  line(at(12, 11), TOR_IP, null, 'REST.GET.OBJECT', 'exports/orders.csv', 200, 41_943_040, 41_943_040, CURL_UA);
  line(at(12, 12), TOR_IP, null, 'REST.GET.OBJECT', 'exports/customers.csv', 200, 73_400_320, 73_400_320, CURL_UA);
  line(at(12, 13), TOR_IP, null, 'REST.GET.OBJECT', 'secret/keys.txt', 403, 243, null, CURL_UA);
  return Object.fromEntries(Object.entries(files).map(([name, ls]) => [`s3-access/${BUCKET}/${name}`, `${ls.join('\n')}\n`]));
}

type Row = Record<string, Json>;
interface Outcome {
  hunt: LibraryHunt;
  rows: Row[];
  error?: string;
}

const dir = tempDir('cloudsift-hunt-pack-');
const input = path.join(dir, 'export');
buildTrail();
writeFiles(input, {
  ...trailFiles(),
  ...vpcFiles(),
  ...albFiles(),
  ...s3Files(),
  'notes/README-export.txt': 'Exported from the incident bucket by the ops team on 2024-05-12.\nAsk secops before deleting.\n',
});
const casePath = path.join(dir, 'case.duckdb');
const store = await CaseStore.open(casePath, { threads: 2 });
const summary = await importPaths(store, [input]);
await store.close();

const hunts = new HuntLibrary(path.join(dir, 'user-hunts')).list();
const outcomes = new Map<string, Outcome>();
for (const hunt of hunts) {
  try {
    const r = await runHuntSandboxed(casePath, hunt, {});
    outcomes.set(hunt.id, { hunt, rows: r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))) });
  } catch (e) {
    outcomes.set(hunt.id, { hunt, rows: [], error: (e as Error).message });
  }
}

function rowsOf(id: string): Row[] {
  const o = outcomes.get(id);
  assert.ok(o, `no hunt ${id} in the pack`);
  assert.equal(o.error, undefined, `${id} failed: ${o.error}`);
  return o.rows;
}
const num = (v: Json | undefined) => Number(v);
const pick = (rows: Row[], col: string) => rows.map((r) => r[col]);
const refsOf = (v: Json | undefined) => (v as { tbl: string; source_file_id: number; record_index: Json }[]) ?? [];

test('the case holds every source', () => {
  assert.ok(summary.records.cloudtrail > 1000, `cloudtrail ${summary.records.cloudtrail}`);
  assert.ok(summary.records.vpc_flow > 1000, `vpc_flow ${summary.records.vpc_flow}`);
  assert.ok(summary.records.elb > 100, `elb ${summary.records.elb}`);
  assert.equal(summary.records.s3_access, 16);
  assert.equal(summary.rejected, 2, 'one bad VPC line, one bad ALB line');
  assert.equal(summary.rejectedFiles, 1, 'the notes file is no log');
});

test('the pack has at least 30 hunts, files named for their ids, ids unique', () => {
  assert.ok(hunts.length >= 30, `only ${hunts.length} hunts`);
  const ids = hunts.map((h) => h.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const h of hunts) {
    assert.equal(h.origin, 'builtin');
    assert.equal(path.dirname(h.file), BUILTIN_PACK_DIR);
    assert.match(h.id, /^CS-H-\d{3}$/);
    assert.ok(path.basename(h.file).startsWith(`${h.id}-`), `${h.file} is not named ${h.id}-<name>.sql`);
    assert.match(path.basename(h.file), /^CS-H-\d{3}-[a-z0-9]+(-[a-z0-9]+)*\.sql$/);
    assert.ok(h.description.length > 40, `${h.id} needs a description`);
    assert.equal(h.author, 'Cloudsift');
    for (const p of h.params) {
      assert.notEqual(p.default, null, `${h.id}: $${p.name} needs a default`);
      assert.ok(p.description, `${h.id}: $${p.name} needs a description`);
    }
  }
  const cloudtrail = hunts.filter((h) => /\bFROM cloudtrail\b/.test(h.sql) && !/\bFROM (vpc_flow|elb|s3_access|sources)\b/.test(h.sql));
  assert.ok(cloudtrail.length >= 20, `${cloudtrail.length} CloudTrail-only hunts`);
});

for (const hunt of hunts) {
  test(`${hunt.id} runs with its defaults: ${hunt.title}`, () => {
    const o = outcomes.get(hunt.id)!;
    assert.equal(o.error, undefined, o.error);
  });
}

test('CS-H-001 first-seen calls: only the intruder\'s principals, CreateUser by the stolen session', () => {
  const rows = rowsOf('CS-H-001');
  assert.deepEqual([...new Set(pick(rows, 'principal'))].sort(), [FED_ARN, BACKUP_ARN, WEB_ROLE_ARN].sort());
  const createUser = rows.find((r) => r.event_name === 'CreateUser')!;
  assert.equal(createUser.principal, WEB_ROLE_ARN);
  assert.equal(createUser.first_access_key_id, STOLEN_KEY);
  assert.equal(createUser.first_source_ip, ATTACKER_IP);
  assert.equal(createUser.first_seen, '2024-05-09T10:05:00Z');
  assert.equal(createUser.new_principal, false);
  assert.equal(rows[0].event_name, 'GetCallerIdentity');
  assert.equal(rows[0].first_user_agent, CURL_UA);
  assert.ok(rows.filter((r) => r.principal === BACKUP_ARN).every((r) => r.new_principal === true));
  assert.equal(typeof createUser.source_file_id, 'number');
});

test('CS-H-002 rare user agents: the curl, the Kali boto build and the backdoor user\'s browser', () => {
  const rows = rowsOf('CS-H-002');
  assert.deepEqual(pick(rows, 'user_agent'), [CURL_UA, FIREFOX_UA, KALI_UA]);
  assert.deepEqual(rows[2].principal_list, [FED_ARN, BACKUP_ARN, WEB_ROLE_ARN].sort());
  assert.equal(num(rows[0].events), 1);
  assert.equal(refsOf(rows[0].evidence).length, 1);
});

test('CS-H-003 new regions: ap-southeast-1 by the backdoor user', () => {
  const rows = rowsOf('CS-H-003');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].aws_region, 'ap-southeast-1');
  assert.deepEqual(rows[0].principals, [BACKUP_ARN]);
  assert.deepEqual(rows[0].event_names, ['DescribeImages', 'RunInstances']);
  assert.equal(rows[0].first_seen, '2024-05-09T11:35:00Z');
});

test('CS-H-004 keys over many networks: the backdoor key first, then the stolen and federated sessions', () => {
  const rows = rowsOf('CS-H-004');
  assert.deepEqual(pick(rows, 'access_key_id'), [BACKUP_KEY, STOLEN_KEY, FED_KEY]);
  assert.equal(num(rows[0].distinct_ips), 3);
  assert.equal(num(rows[0].distinct_16_networks), 3);
  assert.equal(num(rows[0].distinct_8_networks), 3);
  assert.equal(rows[0].key_type, 'long-term');
  assert.deepEqual(rows[1].networks, ['198.51.0.0/16', '54.210.0.0/16']);
});

test('CS-H-005 long sessions: the federated token used 20 hours after it was issued', () => {
  const rows = rowsOf('CS-H-005');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].access_key_id, FED_KEY);
  assert.equal(rows[0].session_created, '2024-05-09T12:00:00Z');
  assert.equal(rows[0].last_used, '2024-05-10T08:01:00Z');
  assert.equal(Number(rows[0].hours_in_use), 20.02);
});

test('CS-H-006 console sign-ins: the backdoor user without MFA first; Bob\'s failure counted', () => {
  const rows = rowsOf('CS-H-006');
  assert.equal(rows[0].principal, BACKUP_ARN);
  assert.equal(num(rows[0].successes_without_mfa), 1);
  assert.deepEqual(rows[0].source_ips, [TOR_IP]);
  const bob = rows.find((r) => r.principal === `arn:aws:iam::${ACCT}:user/bob.martins`)!;
  assert.equal(num(bob.failures), 1);
  assert.equal(num(bob.successes_without_mfa), 0);
  assert.equal(rows.length, 5);
});

test('CS-H-007 sessions from more than one address: the stolen instance session and the federated one', () => {
  const rows = rowsOf('CS-H-007');
  assert.deepEqual(pick(rows, 'access_key_id'), [STOLEN_KEY, FED_KEY]);
  assert.equal(num(rows[0].distinct_ips), 2);
  assert.match(String((rows[0].addresses as string[])[0]), /^54\.210\.1\.10 \(first 2024-05-09T06:05:00Z, /);
  assert.match(String((rows[0].addresses as string[])[1]), /^198\.51\.100\.23 \(first 2024-05-09T10:00:00Z, 21 calls\)$/);
});

test('CS-H-008 failed calls: the stolen role\'s AccessDenied first', () => {
  const rows = rowsOf('CS-H-008');
  assert.equal(rows[0].principal, WEB_ROLE_ARN);
  assert.equal(rows[0].error_code, 'AccessDenied');
  assert.equal(num(rows[0].failures), 10);
  assert.ok(rows.some((r) => r.principal === BACKUP_ARN && r.error_code === 'Client.VcpuLimitExceeded'));
});

test('CS-H-009 errors by service include the vCPU limit in EC2', () => {
  const rows = rowsOf('CS-H-009');
  const ec2 = rows.find((r) => r.event_source === 'ec2.amazonaws.com' && r.error_code === 'Client.VcpuLimitExceeded')!;
  assert.equal(num(ec2.errors), 1);
  assert.match(String(ec2.example_message), /vCPU/);
  assert.equal(rows[0].event_source, 'iam.amazonaws.com');
});

test('CS-H-010 IAM changes: user, key, admin policy and login profile for svc-backup, in order', () => {
  const rows = rowsOf('CS-H-010');
  assert.deepEqual(pick(rows, 'event_name'), ['CreateUser', 'CreateAccessKey', 'AttachUserPolicy', 'CreateLoginProfile']);
  assert.ok(rows.every((r) => r.target === BACKUP_USER && r.principal === WEB_ROLE_ARN && r.source_ip === ATTACKER_IP));
  assert.equal(rows[1].affected_access_key_id, BACKUP_KEY);
  assert.equal(rows[2].policy, 'arn:aws:iam::aws:policy/AdministratorAccess');
});

test('CS-H-011 security groups: SSH opened to the world', () => {
  const rows = rowsOf('CS-H-011');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].event_name, 'AuthorizeSecurityGroupIngress');
  assert.equal(rows[0].target, SG);
  assert.deepEqual(rows[0].cidrs, ['0.0.0.0/0']);
  assert.deepEqual(rows[0].from_ports, [22]);
  assert.deepEqual(rows[0].to_ports, [22]);
  assert.equal(rows[0].opens_to_world, true);
});

test('CS-H-012 KMS: the backdoor user\'s three decrypts through Secrets Manager', () => {
  const rows = rowsOf('CS-H-012');
  const backup = rows.find((r) => r.principal === BACKUP_ARN)!;
  assert.equal(backup.event_name, 'Decrypt');
  assert.equal(backup.via_service, 'secretsmanager.amazonaws.com');
  assert.equal(num(backup.calls), 3);
  assert.equal(rows[0].principal, WEB_ROLE_ARN);
});

test('CS-H-013 role assumptions: the CI chain, the partner and vendor roles; EC2 left out', () => {
  const rows = rowsOf('CS-H-013');
  assert.equal(rows.length, 4);
  const chain = rows.find((r) => r.role_arn === `arn:aws:iam::${ACCT}:role/s3-writer-role`)!;
  assert.equal(chain.caller, `arn:aws:iam::${ACCT}:role/deploy-role`);
  assert.equal(chain.chained, true);
  assert.deepEqual(chain.caller_assumed_by, [`arn:aws:iam::${ACCT}:user/ci-deployer`]);
  assert.deepEqual(rows.filter((r) => r.cross_account === true).map((r) => r.role_arn).sort(), [`arn:aws:iam::${ACCT}:role/vendor-readonly`, 'arn:aws:iam::999988887777:role/partner-audit']);
  assert.ok(!rows.some((r) => r.role_arn === WEB_ROLE_ARN));
});

test('CS-H-014 cross-account: Dave out to the partner, the vendor in', () => {
  const rows = rowsOf('CS-H-014');
  assert.deepEqual(rows.map((r) => [r.direction, r.caller_account, r.role_account]), [
    ['inbound', '444455556666', ACCT],
    ['outbound', ACCT, '999988887777'],
  ]);
});

test('CS-H-015 root: one sign-in with MFA and the bill', () => {
  const rows = rowsOf('CS-H-015');
  assert.deepEqual(pick(rows, 'event_name'), ['ConsoleLogin', 'GetCostAndUsage']);
  assert.equal(rows[0].mfa_used, 'Yes');
  assert.equal(rows[0].result, 'Success');
});

test('CS-H-016 new access keys: the backdoor key, first used four and a half minutes later', () => {
  const rows = rowsOf('CS-H-016');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].access_key_id, BACKUP_KEY);
  assert.equal(rows[0].created_by, WEB_ROLE_ARN);
  assert.equal(rows[0].first_used, '2024-05-09T10:10:00Z');
  assert.equal(Number(rows[0].minutes_to_first_use), 4.5);
  assert.equal(rows[0].first_call, 'GetCallerIdentity');
  assert.equal(num(rows[0].distinct_ips), 3);
});

test('CS-H-017 secrets: the backdoor user read three secrets in a minute', () => {
  const rows = rowsOf('CS-H-017');
  assert.equal(rows[0].principal, BACKUP_ARN);
  assert.equal(num(rows[0].secrets_read), 3);
  assert.deepEqual(rows[0].secrets, ['prod/db-master', 'prod/jwt-signing-key', 'prod/stripe-api-key']);
  assert.equal(num(rows[1].secrets_read), 1);
});

test('CS-H-018 instance credentials used elsewhere: web-1\'s session from the attacker', () => {
  const rows = rowsOf('CS-H-018');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].instance_id, INSTANCES[0].id);
  assert.equal(rows[0].source_ip, ATTACKER_IP);
  assert.equal(rows[0].access_key_id, STOLEN_KEY);
  assert.equal(num(rows[0].calls), 21);
  assert.deepEqual(rows[0].instance_addresses, [INSTANCES[0].publicIp]);
});

test('CS-H-019 tampering: StopLogging', () => {
  const rows = rowsOf('CS-H-019');
  assert.deepEqual(pick(rows, 'event_name'), ['StopLogging']);
  assert.equal(rows[0].principal, BACKUP_ARN);
  assert.match(String(rows[0].target), /trail\/management-trail$/);
});

test('CS-H-020 S3 data events: three objects, 611 MiB, by the backdoor user', () => {
  const rows = rowsOf('CS-H-020');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].bucket, BUCKET);
  assert.equal(num(rows[0].distinct_objects), 3);
  assert.equal(num(rows[0].bytes_out), 73_400_320 + 41_943_040 + 524_288_000);
});

test('CS-H-021 enumeration burst: 17 different calls over 10 services at 10:00', () => {
  const rows = rowsOf('CS-H-021');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].principal, WEB_ROLE_ARN);
  assert.equal(rows[0].window_start, '2024-05-09T10:00:00Z');
  assert.equal(num(rows[0].distinct_calls), 17);
  assert.equal(num(rows[0].services), 10);
  assert.equal(num(rows[0].failed), 10);
});

test('CS-H-022 public exposure: the public access block removed, then a public bucket policy', () => {
  const rows = rowsOf('CS-H-022');
  assert.deepEqual(pick(rows, 'event_name'), ['DeleteBucketPublicAccessBlock', 'PutBucketPolicy']);
  assert.deepEqual(pick(rows, 'public_principal'), [false, true]);
  assert.deepEqual(pick(rows, 'target'), [BUCKET, BUCKET]);
});

test('CS-H-023 launches: GPU instances in ap-southeast-1, the large ones refused', () => {
  const rows = rowsOf('CS-H-023');
  assert.deepEqual(rows.map((r) => [r.aws_region, r.instance_type, num(r.failed), num(r.instances_requested)]), [
    ['ap-southeast-1', 'p3.16xlarge', 1, 4],
    ['ap-southeast-1', 'g4dn.xlarge', 0, 2],
  ]);
  assert.deepEqual(rows[1].instances_launched, ['i-0aaa1111bbbb22223', 'i-0aaa1111bbbb22224']);
});

test('CS-H-024 principals: the backdoor user is one of them, with a console sign-in', () => {
  const rows = rowsOf('CS-H-024');
  const backup = rows.find((r) => r.principal === BACKUP_ARN)!;
  assert.equal(num(backup.console_sign_ins), 1);
  assert.equal(rows[0].principal, WEB_ROLE_ARN);
});

test('CS-H-025 CloudTrail gaps: StopLogging to StartLogging, 78 minutes', () => {
  const rows = rowsOf('CS-H-025');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].last_event_before, 'StopLogging');
  assert.equal(rows[0].first_event_after, 'StartLogging');
  assert.equal(Number(rows[0].gap_minutes), 78);
  assert.equal(refsOf(rows[0].evidence).length, 2);
});

test('CS-H-026 volume per hour: every hour of each source, zeros included', () => {
  const rows = rowsOf('CS-H-026');
  const vpcQuiet = rows.find((r) => r.source === 'vpc_flow' && r.hour === '2024-05-05T12:00:00Z')!;
  assert.equal(num(vpcQuiet.records), 0);
  const ct10 = rows.find((r) => r.source === 'cloudtrail' && r.hour === '2024-05-09T10:00:00Z')!;
  assert.ok(num(ct10.failures) >= 10);
  assert.equal(rows.filter((r) => r.source === 'cloudtrail').length, 24 * 9 + 9);
});

test('CS-H-027 web user agents in CloudTrail: the curl that used the stolen credentials', () => {
  const rows = rowsOf('CS-H-027');
  assert.deepEqual(pick(rows, 'user_agent'), [CURL_UA]);
  assert.equal(rows[0].same_address, true);
  assert.deepEqual(rows[0].api_event_names, ['GetCallerIdentity']);
  assert.equal(num(rows[0].web_requests), 3);
});

test('CS-H-028 addresses across sources: the attacker in all four, the Tor exit in two', () => {
  const rows = rowsOf('CS-H-028');
  assert.deepEqual(rows.map((r) => [r.ip, num(r.sources)]), [[ATTACKER_IP, 4], [TOR_IP, 2]]);
  assert.deepEqual(rows[0].seen_in, ['cloudtrail', 'elb', 's3_access', 'vpc_flow']);
  assert.deepEqual([...new Set(refsOf(rows[0].evidence).map((e) => e.tbl))].sort(), ['cloudtrail', 'elb', 's3_access', 'vpc_flow']);
});

test('CS-H-029 top talkers by bytes: 2 GB from web-1\'s SSH port to the attacker', () => {
  const rows = rowsOf('CS-H-029');
  assert.equal(rows[0].srcaddr, INSTANCES[0].privateIp);
  assert.equal(rows[0].dstaddr, ATTACKER_IP);
  assert.equal(num(rows[0].bytes), 2_000_000_000);
  assert.equal(num(rows[0].flow_records), 4);
});

test('CS-H-030 top talkers by connections: the servers, and the port scanner with everything rejected', () => {
  const rows = rowsOf('CS-H-030');
  assert.equal(rows[0].srcaddr, INSTANCES[0].privateIp);
  const scanner = rows.find((r) => r.srcaddr === '192.0.2.200')!;
  assert.equal(num(scanner.destination_ports), 30);
  assert.equal(Number(scanner.rejected_pct), 100);
  assert.equal((scanner.lowest_destination_ports as number[]).length, 25);
});

test('CS-H-031 rare destination ports: SSH from outside and 4444 from the new interface', () => {
  const rows = rowsOf('CS-H-031');
  assert.deepEqual(rows.map((r) => r.dstport).sort(), [22, 4444]);
  assert.deepEqual(rows.find((r) => r.dstport === 4444)!.pairs, ['10.0.9.9 -> 192.0.2.150']);
});

test('CS-H-032 new interfaces: the one that appeared on the day of the intrusion', () => {
  const rows = rowsOf('CS-H-032');
  assert.deepEqual(pick(rows, 'interface_id'), [NEW_ENI]);
});

test('CS-H-033 admin ports: the attacker\'s accepted SSH first, with the bytes that left', () => {
  const rows = rowsOf('CS-H-033');
  assert.equal(rows[0].srcaddr, ATTACKER_IP);
  assert.equal(rows[0].dstport, 22);
  assert.equal(num(rows[0].accepted), 1);
  assert.equal(num(rows[0].rejected), 3);
  assert.equal(num(rows[0].bytes_out), 2_000_000_000);
  assert.ok(rows.slice(1).every((r) => r.srcaddr === '192.0.2.200' && num(r.accepted) === 0));
});

test('CS-H-034 egress to public: only web-1 serving SSH to the attacker', () => {
  const rows = rowsOf('CS-H-034');
  assert.deepEqual(rows.map((r) => [r.local_addr, r.remote_addr, r.service_port, r.local_role]), [[INSTANCES[0].privateIp, ATTACKER_IP, 22, 'server']]);
});

test('CS-H-035 web clients: the attacker has the most requests and the 500s', () => {
  const rows = rowsOf('CS-H-035');
  assert.equal(rows[0].client_ip, ATTACKER_IP);
  assert.equal(num(rows[0].requests), 33);
  assert.equal(num(rows[0].status_5xx), 10);
  assert.deepEqual(rows[0].user_agents, [CURL_UA, SQLMAP_UA]);
});

test('CS-H-036 web volume: the catalogue download first', () => {
  const rows = rowsOf('CS-H-036');
  assert.equal(rows[0].client_ip, '203.0.113.77');
  assert.equal(num(rows[0].sent_bytes), 2 * 52_428_800);
});

test('CS-H-037 web attacks: sqlmap\'s injections, the SSRF to the metadata service, the zgrab probe', () => {
  const rows = rowsOf('CS-H-037');
  assert.deepEqual(rows.map((r) => [r.client_ip, r.kind, num(r.requests)]), [
    ['192.0.2.201', 'scanner', 1],
    [ATTACKER_IP, 'sql-injection', 20],
    [ATTACKER_IP, 'scanner', 10],
    [ATTACKER_IP, 'ssrf-metadata', 3],
  ]);
  assert.equal(num(rows[3].answered_2xx_3xx), 3);
});

test('CS-H-038 S3 volume: svc-backup\'s sync from the attacker address first, then anonymous', () => {
  const rows = rowsOf('CS-H-038');
  assert.deepEqual(rows.slice(0, 3).map((r) => [r.requester, r.remote_ip]), [
    [BACKUP_ARN, ATTACKER_IP],
    [BACKUP_ARN, TOR_IP],
    ['(anonymous)', TOR_IP],
  ]);
  assert.equal(num(rows[0].bytes_sent), 5 * 524_288_000 + 4096);
  assert.equal(num(rows[0].distinct_objects), 5);
});

test('CS-H-039 anonymous reads: the two exports, served to the Tor exit', () => {
  const rows = rowsOf('CS-H-039');
  assert.deepEqual(rows.map((r) => [r.key, num(r.served)]), [['exports/customers.csv', 2], ['exports/orders.csv', 1]]);
  assert.deepEqual(rows[0].remote_ips, [TOR_IP]);
});

test('CS-H-040 coverage: flow logs missing from 05-02 to 05-08', () => {
  const rows = rowsOf('CS-H-040');
  const vpc = rows.filter((r) => r.source === 'vpc_flow');
  assert.deepEqual(vpc.filter((r) => num(r.records) === 0).map((r) => r.day), ['2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05', '2024-05-06', '2024-05-07', '2024-05-08']);
  assert.equal(num(vpc.find((r) => r.day === '2024-05-05')!.empty_hour_count), 24);
  const ct = rows.find((r) => r.source === 'cloudtrail' && r.day === '2024-05-09')!;
  assert.equal(num(ct.empty_hour_count), 0);
  assert.ok(num(ct.files) >= 2);
});

test('CS-H-041 import rejects: the bad flow line, the bad ALB line and the unknown file', () => {
  const rows = rowsOf('CS-H-041');
  assert.equal(rows.length, 3);
  const byKind = Object.fromEntries(rows.map((r) => [String(r.path).split('/')[0] === 'notes' ? 'notes' : String(r.path).includes('vpcflowlogs') ? 'vpc' : 'elb', r]));
  assert.equal(byKind.notes.status, 'rejected');
  assert.deepEqual(byKind.vpc.first_positions, ['line 7']);
  assert.equal(byKind.vpc.status, 'partial');
  assert.equal(byKind.elb.status, 'partial');
  for (const r of rows) assert.ok((r.reasons as string[]).length >= 1 && r.sha256);
});
