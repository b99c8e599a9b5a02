/**
 * The everyday CloudTrail of Acme: SSM agents checking in, instance profile
 * credential rotation, developers in the console with MFA, a CLI user, CI
 * deploys through GitHub OIDC, the app reading its secrets, and one root
 * sign-in to look at the bill.
 */
import type { Rng } from './rng';
import {
  assumedRoleIdentity,
  awsServiceIdentity,
  cloudTrailRecord,
  iamUserIdentity,
  rootIdentity,
  s3AdditionalData,
  s3RequestId,
  stsCredentials,
  webIdentityUser,
  type ApiCall,
  type Json,
  type JsonObject,
  type RoleSession,
} from './cloudtrailRecord';
import type { TimedRecord } from './cloudtrailFiles';
import { consoleSessionKey, instanceSession, instanceSessionAt, rotationIndex, rotationTime } from './identities';
import { HOUR, MINUTE, iamDate } from './timefmt';
import {
  ACCOUNT,
  ALB,
  BUCKETS,
  CI_ROLE,
  CI_RUNNER_IPS,
  CLI_USER,
  DEVELOPERS,
  GITHUB_OIDC,
  HOME_REGION,
  OFFICE_IP,
  SECRETS_KMS_KEY,
  TRAIL,
  WEB_INSTANCES,
  WEB_ROLE,
  type IamUser,
  type Instance,
} from './world';

export const SSM_AGENT_UA = 'aws-sdk-go/1.54.19 (go1.22.5; linux; amd64) amazon-ssm-agent/';
const APP_SDK_UA =
  'aws-sdk-js/3.623.0 ua/2.1 os/linux#6.1.102-111.182.amzn2023.x86_64 lang/js md/nodejs#20.16.0 api/secrets-manager#3.623.0';
const ECR_CREDENTIAL_UA = 'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ecr#1.32.0';
const DOCKER_UA = 'docker/27.1.1 go/go1.21.12 git-commit/cc13f95 kernel/6.1.102-111.182.amzn2023.x86_64 os/linux arch/amd64 UpstreamClient(Docker-Client/27.1.1 \\(linux\\))';
const GHA_UA = 'configure-aws-credentials-for-github-actions';
const CI_CLI_UA =
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off';
const S3_CONSOLE_UA =
  '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.226-192.879.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b09 java/1.8.0_412 vendor/Oracle_Corporation cfg/retry-mode/standard]';

const REGISTRY_HOST = `${ACCOUNT}.dkr.ecr.${HOME_REGION}.amazonaws.com`;
const REPOSITORY_ARN = `arn:aws:ecr:${HOME_REGION}:${ACCOUNT}:repository/acme/shop-web`;

export function timed(rng: Rng, call: ApiCall): TimedRecord {
  return { time: call.time, region: call.region, record: cloudTrailRecord(rng, call) };
}

export function ssmHeartbeat(rng: Rng, t: number, instance: Instance): TimedRecord {
  return timed(rng, {
    time: t,
    identity: assumedRoleIdentity(instanceSession(instance, t)),
    source: 'ssm.amazonaws.com',
    name: 'UpdateInstanceInformation',
    region: HOME_REGION,
    sourceIp: instance.publicIp,
    userAgent: SSM_AGENT_UA,
    requestParameters: {
      instanceId: instance.id,
      agentVersion: '3.3.808.0',
      agentStatus: 'Active',
      platformType: 'Linux',
      platformName: 'Amazon Linux',
      platformVersion: '2023',
      iPAddress: instance.privateIp,
      computerName: `ip-${instance.privateIp.replaceAll('.', '-')}.ec2.internal`,
      agentName: 'amazon-ssm-agent',
      availabilityZone: instance.az,
      availabilityZoneId: instance.azId,
      ssmConnectionChannel: 'ssmmessages',
    },
    readOnly: false,
  });
}

/** ec2.amazonaws.com assumes the instance profile role to refresh the credentials IMDS serves. */
export function instanceCredentialRotation(rng: Rng, instance: Instance, index: number, t = rotationTime(instance, index)): TimedRecord {
  const s = instanceSessionAt(instance, index);
  return timed(rng, {
    time: t,
    identity: awsServiceIdentity('ec2.amazonaws.com'),
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    region: HOME_REGION,
    sourceIp: 'ec2.amazonaws.com',
    userAgent: 'ec2.amazonaws.com',
    requestParameters: { roleArn: WEB_ROLE.arn, roleSessionName: instance.id },
    responseElements: {
      credentials: stsCredentials(rng, s.accessKeyId, s.creationDate, 6),
      assumedRoleUser: {
        assumedRoleId: `${WEB_ROLE.roleId}:${instance.id}`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${WEB_ROLE.name}/${instance.id}`,
      },
    },
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: WEB_ROLE.arn }],
    sharedEventId: rng.uuid(),
    readOnly: true,
    host: null,
  });
}

/**
 * GetSecretValue as CloudTrail sees it: the caller's call, then the KMS
 * Decrypt that Secrets Manager makes on the caller's behalf.
 */
export function secretRead(
  rng: Rng,
  t: number,
  caller: { identity: JsonObject; invokedIdentity: JsonObject; sourceIp: string; userAgent: string },
  secretId: string,
): TimedRecord[] {
  const secretArn = `arn:aws:secretsmanager:${HOME_REGION}:${ACCOUNT}:secret:${secretId}-${rng.alnum(6)}`;
  return [
    timed(rng, {
      time: t,
      identity: caller.identity,
      source: 'secretsmanager.amazonaws.com',
      name: 'GetSecretValue',
      region: HOME_REGION,
      sourceIp: caller.sourceIp,
      userAgent: caller.userAgent,
      requestParameters: { secretId },
      readOnly: true,
    }),
    timed(rng, {
      time: t,
      identity: caller.invokedIdentity,
      source: 'kms.amazonaws.com',
      name: 'Decrypt',
      region: HOME_REGION,
      sourceIp: 'secretsmanager.amazonaws.com',
      userAgent: 'secretsmanager.amazonaws.com',
      requestParameters: {
        encryptionContext: { SecretARN: secretArn, SecretVersionId: rng.uuid() },
        encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      },
      resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: SECRETS_KMS_KEY }],
      readOnly: true,
      host: null,
    }),
  ];
}

export function instanceCaller(instance: Instance, t: number, userAgent = APP_SDK_UA) {
  const session = instanceSession(instance, t);
  return {
    identity: assumedRoleIdentity(session),
    invokedIdentity: assumedRoleIdentity(session, 'secretsmanager.amazonaws.com'),
    sourceIp: instance.publicIp,
    userAgent,
  };
}

/** The app starting after a deploy: pull the image, read its secrets. */
export function appRestart(rng: Rng, t: number, instance: Instance): TimedRecord[] {
  const session = instanceSession(instance, t);
  const identity = assumedRoleIdentity(session);
  const out: TimedRecord[] = [
    timed(rng, {
      time: t,
      identity,
      source: 'ecr.amazonaws.com',
      name: 'GetAuthorizationToken',
      region: HOME_REGION,
      sourceIp: instance.publicIp,
      userAgent: ECR_CREDENTIAL_UA,
      requestParameters: { registryIds: [ACCOUNT] },
      responseElements: null,
      readOnly: true,
    }),
    timed(rng, {
      time: t + 2000,
      identity,
      source: 'ecr.amazonaws.com',
      name: 'BatchGetImage',
      region: HOME_REGION,
      sourceIp: instance.publicIp,
      userAgent: DOCKER_UA,
      requestParameters: {
        imageIds: [{ imageTag: 'latest' }],
        acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'],
        repositoryName: 'acme/shop-web',
        registryId: ACCOUNT,
      },
      resources: [{ ARN: REPOSITORY_ARN, accountId: ACCOUNT }],
      readOnly: true,
      host: REGISTRY_HOST,
    }),
  ];
  for (let i = 0; i < 2; i++) {
    out.push(
      timed(rng, {
        time: t + 3000 + i * 400,
        identity,
        source: 'ecr.amazonaws.com',
        name: 'GetDownloadUrlForLayer',
        region: HOME_REGION,
        sourceIp: instance.publicIp,
        userAgent: DOCKER_UA,
        requestParameters: { repositoryName: 'acme/shop-web', registryId: ACCOUNT, layerDigest: `sha256:${rng.hex(64)}` },
        resources: [{ ARN: REPOSITORY_ARN, accountId: ACCOUNT }],
        readOnly: true,
        host: REGISTRY_HOST,
      }),
    );
  }
  const caller = instanceCaller(instance, t);
  let at = t + 15_000;
  for (const secret of ['prod/webapp/db', 'prod/webapp/session-key', 'prod/stripe/api-key']) {
    out.push(...secretRead(rng, at, caller, secret));
    at += rng.int(40, 400);
  }
  return out;
}

interface ConsoleAction {
  source: string;
  name: string;
  readOnly: boolean;
  params: (rng: Rng) => Json;
  s3?: boolean;
  region?: string;
}

const CONSOLE_ACTIONS: ConsoleAction[] = [
  { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true, params: () => ({ instancesSet: {}, filterSet: {}, includeAllInstances: false }) },
  { source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', readOnly: true, params: () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }) },
  { source: 'ec2.amazonaws.com', name: 'DescribeVpcs', readOnly: true, params: () => ({ vpcSet: {}, filterSet: {} }) },
  { source: 'ec2.amazonaws.com', name: 'DescribeInstanceStatus', readOnly: true, params: () => ({ instancesSet: {}, filterSet: {}, includeAllInstances: true }) },
  { source: 'elasticloadbalancing.amazonaws.com', name: 'DescribeLoadBalancers', readOnly: true, params: () => ({ pageSize: 400 }) },
  { source: 'elasticloadbalancing.amazonaws.com', name: 'DescribeTargetHealth', readOnly: true, params: () => ({ targetGroupArn: ALB.targetGroupArn }) },
  { source: 'monitoring.amazonaws.com', name: 'DescribeAlarms', readOnly: true, params: () => ({ maxRecords: 100 }) },
  {
    source: 'monitoring.amazonaws.com',
    name: 'GetMetricData',
    readOnly: true,
    params: (rng) => ({
      metricDataQueries: [{ id: `m${rng.int(1, 9)}`, metricStat: { metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count' }, period: 300, stat: 'Sum' } }],
      startTime: 'Mar 18, 2025, 6:00:00 AM',
      endTime: 'Mar 18, 2025, 9:00:00 AM',
    }),
  },
  { source: 'logs.amazonaws.com', name: 'DescribeLogGroups', readOnly: true, params: () => ({ limit: 50 }) },
  {
    source: 'logs.amazonaws.com',
    name: 'FilterLogEvents',
    readOnly: true,
    params: (rng) => ({ logGroupName: '/acme/shop/web', filterPattern: rng.pick(['ERROR', '"checkout failed"', 'timeout']), interleaved: true }),
  },
  { source: 'rds.amazonaws.com', name: 'DescribeDBInstances', readOnly: true, params: () => null },
  { source: 'health.amazonaws.com', name: 'DescribeEventAggregates', readOnly: true, params: () => ({ aggregateField: 'eventTypeCategory', filter: { eventStatusCodes: ['open', 'upcoming'] } }) },
  { source: 'cloudtrail.amazonaws.com', name: 'LookupEvents', readOnly: true, params: () => ({ maxResults: 50 }) },
  { source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true, s3: true, params: () => ({ Host: 's3.amazonaws.com' }) },
  {
    source: 's3.amazonaws.com',
    name: 'GetBucketPolicy',
    readOnly: true,
    s3: true,
    params: (rng) => {
      const bucket = rng.pick([BUCKETS.data, BUCKETS.artifacts]);
      return { bucketName: bucket, Host: `${bucket}.s3.amazonaws.com`, policy: '' };
    },
  },
  {
    source: 's3.amazonaws.com',
    name: 'GetBucketLocation',
    readOnly: true,
    s3: true,
    params: (rng) => {
      const bucket = rng.pick([BUCKETS.data, BUCKETS.artifacts, TRAIL.bucket]);
      return { bucketName: bucket, Host: `${bucket}.s3.amazonaws.com`, location: '' };
    },
  },
  { source: 'secretsmanager.amazonaws.com', name: 'ListSecrets', readOnly: true, params: () => ({ maxResults: 100 }) },
  { source: 'iam.amazonaws.com', name: 'GetAccountSummary', readOnly: true, params: () => null },
  { source: 'iam.amazonaws.com', name: 'ListUsers', readOnly: true, params: () => null },
  { source: 'ce.amazonaws.com', name: 'GetCostAndUsage', readOnly: true, params: () => ({ timePeriod: { start: '2025-03-01', end: '2025-03-18' }, granularity: 'DAILY', metrics: ['UnblendedCost'] }) },
];

function consoleCall(rng: Rng, t: number, user: IamUser, signedInAt: number, action: ConsoleAction): TimedRecord {
  const identity = iamUserIdentity(user, {
    accessKeyId: consoleSessionKey(user, signedInAt),
    console: { creationDate: signedInAt, mfa: true },
  });
  const region = action.region ?? HOME_REGION;
  const params = action.params(rng);
  const bucket = action.s3 && params && typeof params === 'object' && !Array.isArray(params) ? params.bucketName : undefined;
  return timed(rng, {
    time: t,
    identity,
    source: action.source,
    name: action.name,
    region,
    sourceIp: user.sourceIp,
    userAgent: action.s3 ? S3_CONSOLE_UA : rng.chance(0.35) ? 'AWS Internal' : user.browser!,
    requestParameters: params,
    additionalEventData: action.s3 ? s3AdditionalData(rng, 0, rng.int(300, 4000)) : undefined,
    requestId: action.s3 ? s3RequestId(rng) : undefined,
    resources: typeof bucket === 'string' ? [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }] : undefined,
    readOnly: action.readOnly,
    fromConsole: true,
  });
}

export function consoleLogin(rng: Rng, t: number, user: IamUser, success: boolean, mfa: boolean): TimedRecord {
  const identity: JsonObject = {
    type: 'IAMUser',
    principalId: user.userId,
    arn: `arn:aws:iam::${ACCOUNT}:user/${user.name}`,
    accountId: ACCOUNT,
    userName: user.name,
  };
  const mfaData: JsonObject = mfa
    ? { MFAIdentifier: `arn:aws:iam::${ACCOUNT}:mfa/${user.name.split('.')[0]}-phone`, MFAUsed: 'Yes' }
    : { MFAUsed: 'No' };
  return timed(rng, {
    time: t,
    identity,
    source: 'signin.amazonaws.com',
    name: 'ConsoleLogin',
    region: HOME_REGION,
    sourceIp: user.sourceIp,
    userAgent: user.browser ?? 'Mozilla/5.0',
    errorMessage: success ? undefined : 'Failed authentication',
    responseElements: { ConsoleLogin: success ? 'Success' : 'Failure' },
    additionalEventData: {
      LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_4f1e2d3c4b5a6978',
      MobileVersion: 'No',
      ...mfaData,
    },
    requestId: null,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    host: 'us-east-1.signin.aws.amazon.com',
  });
}

/** One working day of one developer: sign in with MFA, then look around the console. */
export function developerDay(rng: Rng, dayStart: number, user: IamUser, withTypo: boolean): TimedRecord[] {
  const out: TimedRecord[] = [];
  const signIn = dayStart + rng.int(8 * 60, 10 * 60) * MINUTE + rng.int(0, 59_000);
  if (withTypo) out.push(consoleLogin(rng, signIn - rng.int(20, 90) * 1000, user, false, false));
  out.push(consoleLogin(rng, signIn, user, true, true));
  const calls = rng.int(18, 40);
  let t = signIn + rng.int(5, 40) * 1000;
  const end = signIn + 9 * HOUR;
  for (let i = 0; i < calls && t < end; i++) {
    const burst = rng.int(1, 4);
    const action = rng.pick(CONSOLE_ACTIONS);
    for (let b = 0; b < burst; b++) out.push(consoleCall(rng, t + b * rng.int(200, 1500), user, signIn, action));
    t += rng.int(1, 35) * MINUTE + rng.int(0, 59_000);
  }
  return out;
}

const CLI_COMMANDS: { source: string; name: string; cmd: string; params: (rng: Rng) => Json; s3?: boolean }[] = [
  { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', cmd: 'sts.get-caller-identity', params: () => null },
  { source: 'logs.amazonaws.com', name: 'FilterLogEvents', cmd: 'logs.tail', params: () => ({ logGroupName: '/acme/shop/web', interleaved: true }) },
  { source: 'ec2.amazonaws.com', name: 'DescribeInstances', cmd: 'ec2.describe-instances', params: () => ({ instancesSet: {}, filterSet: { items: [{ name: 'tag:app', valueSet: { items: [{ value: 'shop' }] } }] } }) },
  { source: 's3.amazonaws.com', name: 'ListBuckets', cmd: 's3.ls', params: () => ({ Host: 's3.amazonaws.com' }), s3: true },
  { source: 'cloudformation.amazonaws.com', name: 'DescribeStacks', cmd: 'cloudformation.describe-stacks', params: () => ({ stackName: 'acme-shop-prod' }) },
  { source: 'ssm.amazonaws.com', name: 'GetParameter', cmd: 'ssm.get-parameter', params: () => ({ name: '/acme/shop/feature-flags', withDecryption: false }) },
  { source: 'ecr.amazonaws.com', name: 'DescribeImages', cmd: 'ecr.describe-images', params: () => ({ repositoryName: 'acme/shop-web', maxResults: 20 }) },
  { source: 'rds.amazonaws.com', name: 'DescribeDBInstances', cmd: 'rds.describe-db-instances', params: () => ({ dBInstanceIdentifier: 'acme-shop-db' }) },
];

export function cliCall(rng: Rng, t: number, user: IamUser): TimedRecord {
  const c = rng.pick(CLI_COMMANDS);
  return timed(rng, {
    time: t,
    identity: iamUserIdentity(user),
    source: c.source,
    name: c.name,
    region: HOME_REGION,
    sourceIp: user.sourceIp,
    userAgent: `${user.cli} command/${c.cmd}`,
    requestParameters: c.params(rng),
    additionalEventData: c.s3 ? s3AdditionalData(rng, 0, rng.int(300, 4000)) : undefined,
    requestId: c.s3 ? s3RequestId(rng) : undefined,
    readOnly: true,
  });
}

export function cliDay(rng: Rng, dayStart: number): TimedRecord[] {
  const out: TimedRecord[] = [];
  const bursts = rng.int(2, 4);
  for (let b = 0; b < bursts; b++) {
    let t = dayStart + rng.int(9 * 60, 18 * 60) * MINUTE + rng.int(0, 59_000);
    const n = rng.int(4, 12);
    for (let i = 0; i < n; i++) {
      out.push(cliCall(rng, t, CLI_USER));
      t += rng.int(2, 90) * 1000;
    }
  }
  return out;
}

/** The account owner signs in as root once to look at the bill. */
export function rootBillingVisit(rng: Rng, t: number): TimedRecord[] {
  const console = { creationDate: t, mfa: true };
  const browser = DEVELOPERS[0].browser!;
  const out: TimedRecord[] = [
    timed(rng, {
      time: t,
      identity: rootIdentity(),
      source: 'signin.amazonaws.com',
      name: 'ConsoleLogin',
      region: HOME_REGION,
      sourceIp: OFFICE_IP,
      userAgent: browser,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/billing/home', MobileVersion: 'No', MFAUsed: 'Yes' },
      requestId: null,
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      host: 'signin.aws.amazon.com',
    }),
  ];
  const key = consoleSessionKey('root', t);
  const calls: [string, string, Json][] = [
    ['ce.amazonaws.com', 'GetCostAndUsage', { timePeriod: { start: '2025-02-01', end: '2025-03-01' }, granularity: 'MONTHLY', metrics: ['BlendedCost'] }],
    ['ce.amazonaws.com', 'GetCostForecast', { timePeriod: { start: '2025-03-18', end: '2025-04-01' }, metric: 'BLENDED_COST', granularity: 'MONTHLY' }],
    ['account.amazonaws.com', 'GetContactInformation', null],
    ['iam.amazonaws.com', 'GetAccountSummary', null],
  ];
  let at = t + 20_000;
  for (const [source, name, params] of calls) {
    out.push(
      timed(rng, {
        time: at,
        identity: rootIdentity({ accessKeyId: key, console }),
        source,
        name,
        region: HOME_REGION,
        sourceIp: OFFICE_IP,
        userAgent: 'AWS Internal',
        requestParameters: params,
        readOnly: true,
        fromConsole: true,
      }),
    );
    at += rng.int(15, 120) * 1000;
  }
  return out;
}

export function ciSession(rng: Rng, t: number): RoleSession {
  return {
    role: CI_ROLE,
    sessionName: 'GitHubActions',
    accessKeyId: `ASIA${rng.awsId(16)}`,
    creationDate: t,
  };
}

export function ciEcrCall(
  rng: Rng,
  t: number,
  identity: JsonObject,
  runnerIp: string,
  name: string,
  params: Json,
  userAgent: string,
  readOnly: boolean,
): TimedRecord {
  const registryCall = name !== 'GetAuthorizationToken';
  return timed(rng, {
    time: t,
    identity,
    source: 'ecr.amazonaws.com',
    name,
    region: HOME_REGION,
    sourceIp: runnerIp,
    userAgent,
    requestParameters: params,
    resources: registryCall ? [{ ARN: REPOSITORY_ARN, accountId: ACCOUNT }] : undefined,
    readOnly,
    host: registryCall ? REGISTRY_HOST : undefined,
  });
}

/** A GitHub Actions deploy: OIDC sign-in, image push to ECR, SSM command to restart the web servers. */
export function ciDeploy(rng: Rng, t: number): TimedRecord[] {
  const runnerIp = rng.pick(CI_RUNNER_IPS);
  const subject = 'repo:acme/shop:ref:refs/heads/main';
  const session = ciSession(rng, t);
  const identity = assumedRoleIdentity(session);
  const out: TimedRecord[] = [
    timed(rng, {
      time: t,
      identity: webIdentityUser(GITHUB_OIDC, subject),
      source: 'sts.amazonaws.com',
      name: 'AssumeRoleWithWebIdentity',
      region: HOME_REGION,
      sourceIp: runnerIp,
      userAgent: GHA_UA,
      requestParameters: { roleArn: CI_ROLE.arn, roleSessionName: 'GitHubActions', durationSeconds: 3600 },
      responseElements: {
        credentials: stsCredentials(rng, session.accessKeyId, t, 1),
        subjectFromWebIdentityToken: subject,
        assumedRoleUser: { assumedRoleId: `${CI_ROLE.roleId}:GitHubActions`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${CI_ROLE.name}/GitHubActions` },
        provider: GITHUB_OIDC,
        audience: 'sts.amazonaws.com',
      },
      additionalEventData: { identityProviderConnectionVerificationMethod: 'IAMTrustStore' },
      resources: [
        { accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: CI_ROLE.arn },
        { accountId: ACCOUNT, type: 'AWS::IAM::OIDCProvider', ARN: GITHUB_OIDC },
      ],
      readOnly: true,
    }),
  ];
  let at = t + rng.int(3, 8) * 1000;
  const push = (name: string, params: Json, ua: string, readOnly: boolean): void => {
    out.push(ciEcrCall(rng, at, identity, runnerIp, name, params, ua, readOnly));
    at += rng.int(300, 6000);
  };
  push('GetAuthorizationToken', { registryIds: [ACCOUNT] }, `${CI_CLI_UA} command/ecr.get-login-password`, true);
  push('BatchCheckLayerAvailability', { repositoryName: 'acme/shop-web', registryId: ACCOUNT, layerDigests: [`sha256:${rng.hex(64)}`, `sha256:${rng.hex(64)}`] }, DOCKER_UA, true);
  for (let i = 0; i < 2; i++) {
    push('InitiateLayerUpload', { repositoryName: 'acme/shop-web', registryId: ACCOUNT }, DOCKER_UA, false);
    push('CompleteLayerUpload', { repositoryName: 'acme/shop-web', registryId: ACCOUNT, uploadId: rng.uuid(), layerDigests: [`sha256:${rng.hex(64)}`] }, DOCKER_UA, false);
  }
  const sha = rng.hex(40);
  push('PutImage', { repositoryName: 'acme/shop-web', registryId: ACCOUNT, imageTag: sha.slice(0, 12), imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }, DOCKER_UA, false);
  const commandId = rng.uuid();
  out.push(
    timed(rng, {
      time: at,
      identity,
      source: 'ssm.amazonaws.com',
      name: 'SendCommand',
      region: HOME_REGION,
      sourceIp: runnerIp,
      userAgent: `${CI_CLI_UA} command/ssm.send-command`,
      requestParameters: {
        instanceIds: WEB_INSTANCES.map((i) => i.id),
        documentName: 'AWS-RunShellScript',
        comment: `deploy acme/shop ${sha.slice(0, 12)}`,
        parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        interactive: false,
      },
      responseElements: {
        command: {
          commandId,
          documentName: 'AWS-RunShellScript',
          instanceIds: WEB_INSTANCES.map((i) => i.id),
          requestedDateTime: iamDate(at),
          status: 'Pending',
          targets: [],
        },
      },
      readOnly: false,
    }),
  );
  for (const instance of WEB_INSTANCES) {
    at += rng.int(8, 25) * 1000;
    out.push(
      timed(rng, {
        time: at,
        identity,
        source: 'ssm.amazonaws.com',
        name: 'GetCommandInvocation',
        region: HOME_REGION,
        sourceIp: runnerIp,
        userAgent: `${CI_CLI_UA} command/ssm.get-command-invocation`,
        requestParameters: { commandId, instanceId: instance.id },
        readOnly: true,
      }),
    );
    out.push(...appRestart(rng, at - rng.int(2, 6) * 1000, instance));
  }
  return out;
}

/** Every event of one benign day, except what the incident module adds. */
export function benignCloudTrailDay(rng: Rng, dayStart: number, dayIndex: number): { events: TimedRecord[]; deploys: number[] } {
  const events: TimedRecord[] = [];
  for (const instance of WEB_INSTANCES) {
    const hb = rng.fork(`ssm/${instance.id}/${dayIndex}`);
    for (let t = dayStart + hb.int(0, 599) * 1000; t < dayStart + 24 * HOUR; t += 10 * MINUTE + hb.int(-3000, 3000)) {
      events.push(ssmHeartbeat(hb, t, instance));
    }
    const rot = rng.fork(`rotation/${instance.id}/${dayIndex}`);
    for (let i = rotationIndex(instance, dayStart) + 1; rotationTime(instance, i) < dayStart + 24 * HOUR; i++) {
      events.push(instanceCredentialRotation(rot, instance, i));
    }
  }
  DEVELOPERS.forEach((dev, i) => {
    events.push(...developerDay(rng.fork(`dev/${dev.name}/${dayIndex}`), dayStart, dev, dayIndex === 0 && i === 1));
  });
  events.push(...cliDay(rng.fork(`cli/${dayIndex}`), dayStart));
  if (dayIndex === 0) events.push(...rootBillingVisit(rng.fork('root'), dayStart + 14 * HOUR + 5 * MINUTE + 31_000));
  const ci = rng.fork(`ci/${dayIndex}`);
  const deploys: number[] = [];
  const n = ci.int(3, 5);
  for (let i = 0; i < n; i++) deploys.push(dayStart + ci.int(13 * 60, 22 * 60) * MINUTE + ci.int(0, 59_000));
  deploys.sort((a, b) => a - b);
  for (const t of deploys) events.push(...ciDeploy(ci, t));
  return { events, deploys };
}

/**
 * One benign record of any kind, for the bench: the same builders as the
 * sample dataset, drawn in the proportions a small account shows.
 */
export function benignCloudTrailMix(rng: Rng, t: number): TimedRecord {
  const instance = rng.pick(WEB_INSTANCES);
  switch (rng.weighted([['ssm', 30], ['console', 25], ['ci', 12], ['cli', 10], ['secret', 12], ['rotation', 6], ['login', 5]] as const)) {
    case 'ssm':
      return ssmHeartbeat(rng, t, instance);
    case 'console': {
      const dev = rng.pick(DEVELOPERS);
      return consoleCall(rng, t, dev, t - rng.int(1, 300) * MINUTE, rng.pick(CONSOLE_ACTIONS));
    }
    case 'ci':
      return ciEcrCall(
        rng,
        t,
        assumedRoleIdentity(ciSession(rng, t - rng.int(5, 300) * 1000)),
        rng.pick(CI_RUNNER_IPS),
        'BatchCheckLayerAvailability',
        { repositoryName: 'acme/shop-web', registryId: ACCOUNT, layerDigests: [`sha256:${rng.hex(64)}`, `sha256:${rng.hex(64)}`] },
        DOCKER_UA,
        true,
      );
    case 'cli':
      return cliCall(rng, t, CLI_USER);
    case 'secret':
      return rng.pick(secretRead(rng, t, instanceCaller(instance, t), rng.pick(['prod/webapp/db', 'prod/webapp/session-key'])));
    case 'rotation':
      return instanceCredentialRotation(rng, instance, rotationIndex(instance, t), t);
    case 'login':
      return consoleLogin(rng, t, rng.pick(DEVELOPERS), true, true);
  }
}
