/**
 * What the attacker does with the stolen credentials, as CloudTrail records
 * it: recon from a non-AWS address with web-1's instance role session, a
 * burst of AccessDenied, an admin backdoor user, CloudTrail stopped and
 * restarted, SSH opened to the world, GPU instances in a region Acme never
 * uses, a burst of GetSecretValue and a bucket made public.
 */
import type { Rng } from './rng';
import {
  accessDeniedMessage,
  assumedRoleIdentity,
  ec2DeniedMessage,
  iamUserIdentity,
  s3AdditionalData,
  s3RequestId,
  type ApiCall,
  type Json,
  type JsonObject,
} from './cloudtrailRecord';
import type { TimedRecord } from './cloudtrailFiles';
import { consoleLogin, secretRead, timed } from './benignCloudTrail';
import { consoleSessionKey } from './identities';
import {
  ATTACKER_BOTO3,
  ATTACKER_BROWSER,
  ATTACKER_CLI,
  INCIDENT,
  STOLEN_SESSION,
  XSS_IMG,
  XSS_SCRIPT,
} from './incidentTimeline';
import { iamDate } from './timefmt';
import {
  ACCOUNT,
  ATTACKER_IP,
  BACKDOOR_USER,
  BUCKETS,
  GPU_REGION,
  HOME_REGION,
  SECRETS,
  TRAIL,
  WEB_ROLE,
  WEB_SG,
} from './world';

const roleArn = `arn:aws:sts::${ACCOUNT}:assumed-role/${WEB_ROLE.name}/${STOLEN_SESSION.sessionName}`;
const userArn = `arn:aws:iam::${ACCOUNT}:user/${BACKDOOR_USER.name}`;

interface Step {
  source: string;
  name: string;
  params?: Json;
  response?: Json;
  readOnly: boolean;
  /** Error code when the call is refused. */
  denied?: string;
  region?: string;
  ua?: string;
  additionalEventData?: Json;
  resources?: Json[];
  requestId?: string;
}

const service = (source: string): string => source.replace('.amazonaws.com', '');

/** What the enumeration tool tries in its first two minutes, and how each service says no. */
const ENUMERATION: [source: string, name: string, denied: string | null][] = [
  ['ec2.amazonaws.com', 'DescribeInstances', null],
  ['ec2.amazonaws.com', 'DescribeSecurityGroups', null],
  ['ec2.amazonaws.com', 'DescribeVpcs', null],
  ['ec2.amazonaws.com', 'DescribeRegions', null],
  ['ec2.amazonaws.com', 'DescribeSnapshots', 'Client.UnauthorizedOperation'],
  ['ec2.amazonaws.com', 'DescribeVolumes', 'Client.UnauthorizedOperation'],
  ['lambda.amazonaws.com', 'ListFunctions20150331', 'AccessDenied'],
  ['rds.amazonaws.com', 'DescribeDBInstances', 'AccessDenied'],
  ['rds.amazonaws.com', 'DescribeDBSnapshots', 'AccessDenied'],
  ['dynamodb.amazonaws.com', 'ListTables', 'AccessDenied'],
  ['kms.amazonaws.com', 'ListKeys', 'AccessDenied'],
  ['kms.amazonaws.com', 'ListAliases', 'AccessDenied'],
  ['sns.amazonaws.com', 'ListTopics', 'AuthorizationError'],
  ['sqs.amazonaws.com', 'ListQueues', 'AccessDenied'],
  ['organizations.amazonaws.com', 'DescribeOrganization', 'AccessDeniedException'],
  ['organizations.amazonaws.com', 'ListAccounts', 'AccessDeniedException'],
  ['ecs.amazonaws.com', 'ListClusters', 'AccessDeniedException'],
  ['eks.amazonaws.com', 'ListClusters', 'AccessDeniedException'],
  ['ssm.amazonaws.com', 'DescribeParameters', 'AccessDeniedException'],
  ['guardduty.amazonaws.com', 'ListDetectors', 'AccessDeniedException'],
  ['iam.amazonaws.com', 'ListAccessKeys', 'AccessDenied'],
  ['iam.amazonaws.com', 'ListGroups', 'AccessDenied'],
  ['iam.amazonaws.com', 'ListPolicies', 'AccessDenied'],
  ['route53.amazonaws.com', 'ListHostedZones', 'AccessDenied'],
  ['cloudformation.amazonaws.com', 'ListStacks', 'AccessDenied'],
  ['logs.amazonaws.com', 'DescribeLogGroups', 'AccessDeniedException'],
  ['ecr.amazonaws.com', 'DescribeRepositories', 'AccessDeniedException'],
  ['secretsmanager.amazonaws.com', 'ListSecrets', null],
  ['cloudtrail.amazonaws.com', 'DescribeTrails', 'AccessDeniedException'],
  ['config.amazonaws.com', 'DescribeConfigurationRecorders', 'AccessDeniedException'],
  ['elasticloadbalancing.amazonaws.com', 'DescribeLoadBalancers', 'AccessDenied'],
  ['backup.amazonaws.com', 'ListBackupVaults', 'AccessDeniedException'],
  ['athena.amazonaws.com', 'ListWorkGroups', 'AccessDeniedException'],
  ['glue.amazonaws.com', 'GetDatabases', 'AccessDeniedException'],
  ['iam.amazonaws.com', 'GetAccountPasswordPolicy', 'AccessDenied'],
];

/** IAM action names that differ from their CloudTrail event names. */
const ACTION_OF: Record<string, string> = { ListFunctions20150331: 'ListFunctions' };

function deniedMessage(rng: Rng, principalArn: string, source: string, name: string, code: string): string {
  if (code === 'Client.UnauthorizedOperation') return ec2DeniedMessage(rng);
  return accessDeniedMessage(principalArn, `${service(source)}:${ACTION_OF[name] ?? name}`);
}

function play(rng: Rng, start: number, gapMs: [number, number], steps: Step[], actor: { identity: JsonObject; arn: string; ua: string }): { events: TimedRecord[]; end: number } {
  const events: TimedRecord[] = [];
  let t = start;
  for (const s of steps) {
    const call: ApiCall = {
      time: t,
      identity: actor.identity,
      source: s.source,
      name: s.name,
      region: s.region ?? HOME_REGION,
      sourceIp: ATTACKER_IP,
      userAgent: s.ua ?? actor.ua,
      requestParameters: s.params ?? null,
      responseElements: s.response ?? null,
      additionalEventData: s.additionalEventData,
      resources: s.resources,
      requestId: s.requestId,
      readOnly: s.readOnly,
    };
    if (s.denied) {
      call.errorCode = s.denied;
      call.errorMessage = deniedMessage(rng, actor.arn, s.source, s.name, s.denied);
    }
    events.push(timed(rng, call));
    t += rng.int(gapMs[0], gapMs[1]);
  }
  return { events, end: t };
}

const ec2Response = (requestId: string, body: JsonObject): JsonObject => ({ requestId, ...body });

function stolenRoleActivity(rng: Rng): TimedRecord[] {
  const actor = { identity: assumedRoleIdentity(STOLEN_SESSION), arn: roleArn, ua: `${ATTACKER_CLI} command/sts.get-caller-identity` };
  const out: TimedRecord[] = [];
  const whoami: Step = { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true };
  const s3list = (ua?: string): Step => ({
    source: 's3.amazonaws.com',
    name: 'ListBuckets',
    params: { Host: 's3.amazonaws.com' },
    readOnly: true,
    ua,
    additionalEventData: s3AdditionalData(rng, 0, 1630),
    requestId: s3RequestId(rng),
  });
  out.push(...play(rng, INCIDENT.firstStolenUse, [20_000, 40_000], [whoami, { ...whoami, ua: XSS_SCRIPT }, s3list(XSS_IMG)], actor).events);

  const iam = (name: string, params: Json, denied?: string): Step => ({ source: 'iam.amazonaws.com', name, params, readOnly: true, denied, ua: `${ATTACKER_CLI} command/iam.${name.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}` });
  out.push(
    ...play(rng, INCIDENT.recon, [6_000, 25_000], [
      { ...s3list(`${ATTACKER_CLI} command/s3.ls`) },
      iam('GetAccountAuthorizationDetails', { filter: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] }, 'AccessDenied'),
      iam('ListUsers', null, 'AccessDenied'),
      iam('ListRoles', null, 'AccessDenied'),
      iam('ListAttachedRolePolicies', { roleName: WEB_ROLE.name }, 'AccessDenied'),
      iam('ListRolePolicies', { roleName: WEB_ROLE.name }),
      iam('GetRolePolicy', { roleName: WEB_ROLE.name, policyName: 'legacy-provisioning' }),
    ], actor).events,
  );

  const burst: Step[] = ENUMERATION.map(([source, name, denied]) => ({ source, name, readOnly: true, denied: denied ?? undefined, params: null }));
  out.push(...play(rng, INCIDENT.enumerationBurst, [900, 5200], burst, { ...actor, ua: ATTACKER_BOTO3 }).events);

  const created = INCIDENT.createUser;
  const tags = [{ key: 'owner', value: XSS_IMG }, { key: 'purpose', value: 'backup sync' }];
  const persistence: Step[] = [
    {
      source: 'iam.amazonaws.com',
      name: 'CreateUser',
      params: { userName: BACKDOOR_USER.name, tags },
      response: { user: { path: '/', userName: BACKDOOR_USER.name, userId: BACKDOOR_USER.userId, arn: userArn, createDate: iamDate(created), tags } },
      readOnly: false,
      ua: `${ATTACKER_CLI} command/iam.create-user`,
    },
    {
      source: 'iam.amazonaws.com',
      name: 'CreateAccessKey',
      params: { userName: BACKDOOR_USER.name },
      response: { accessKey: { userName: BACKDOOR_USER.name, accessKeyId: BACKDOOR_USER.accessKeyId!, status: 'Active', createDate: iamDate(created + 17_000) } },
      readOnly: false,
      ua: `${ATTACKER_CLI} command/iam.create-access-key`,
    },
    {
      source: 'iam.amazonaws.com',
      name: 'AttachUserPolicy',
      params: { userName: BACKDOOR_USER.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      readOnly: false,
      ua: `${ATTACKER_CLI} command/iam.attach-user-policy`,
    },
    {
      source: 'iam.amazonaws.com',
      name: 'CreateLoginProfile',
      params: { userName: BACKDOOR_USER.name, passwordResetRequired: false },
      response: { loginProfile: { userName: BACKDOOR_USER.name, createDate: iamDate(created + 66_000), passwordResetRequired: false } },
      readOnly: false,
      ua: `${ATTACKER_CLI} command/iam.create-login-profile`,
    },
  ];
  out.push(...play(rng, created, [17_000, 28_000], persistence, actor).events);
  return out;
}

function trailStep(name: string, readOnly: boolean, cmd: string): Step {
  return { source: 'cloudtrail.amazonaws.com', name, params: { name: TRAIL.arn }, readOnly, ua: `${ATTACKER_CLI} command/cloudtrail.${cmd}` };
}

function backdoorActivity(rng: Rng): TimedRecord[] {
  const identity = iamUserIdentity(BACKDOOR_USER);
  const actor = { identity, arn: userArn, ua: `${ATTACKER_CLI} command/sts.get-caller-identity` };
  const out: TimedRecord[] = [];
  out.push(
    ...play(rng, INCIDENT.backdoorFirstUse, [25_000, 45_000], [
      { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true },
      { source: 'iam.amazonaws.com', name: 'ListUsers', readOnly: true, ua: `${ATTACKER_CLI} command/iam.list-users` },
      { source: 'cloudtrail.amazonaws.com', name: 'DescribeTrails', params: { trailNameList: [], includeShadowTrails: true }, readOnly: true, ua: `${ATTACKER_CLI} command/cloudtrail.describe-trails` },
      trailStep('GetTrailStatus', true, 'get-trail-status'),
    ], actor).events,
  );
  out.push(...play(rng, INCIDENT.stopLogging, [1000, 1000], [trailStep('StopLogging', false, 'stop-logging')], actor).events);
  out.push(...play(rng, INCIDENT.startLogging, [1000, 1000], [trailStep('StartLogging', false, 'start-logging')], actor).events);

  const sgRule = rng.hex(17);
  const describeSg = rng.uuid();
  const authorize = rng.uuid();
  out.push(
    ...play(rng, INCIDENT.openSsh - 30_000, [30_000, 30_000], [
      {
        source: 'ec2.amazonaws.com',
        name: 'DescribeSecurityGroups',
        params: { securityGroupSet: {}, securityGroupIdSet: { items: [{ groupId: WEB_SG }] }, filterSet: {} },
        readOnly: true,
        ua: `${ATTACKER_CLI} command/ec2.describe-security-groups`,
        requestId: describeSg,
      },
      {
        source: 'ec2.amazonaws.com',
        name: 'AuthorizeSecurityGroupIngress',
        params: {
          groupId: WEB_SG,
          ipPermissions: {
            items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }],
          },
        },
        response: ec2Response(authorize, {
          _return: true,
          securityGroupRuleSet: {
            items: [{ groupOwnerId: ACCOUNT, groupId: WEB_SG, securityGroupRuleId: `sgr-0${sgRule}`, isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }],
          },
        }),
        readOnly: false,
        ua: `${ATTACKER_CLI} command/ec2.authorize-security-group-ingress`,
        requestId: authorize,
      },
    ], actor).events,
  );
  out.push(...gpuLaunch(rng, actor));

  const signedIn = INCIDENT.consoleLogin;
  out.push(consoleLogin(rng, signedIn, { ...BACKDOOR_USER, browser: ATTACKER_BROWSER }, true, false));
  const consoleIdentity = iamUserIdentity(BACKDOOR_USER, { accessKeyId: consoleSessionKey(BACKDOOR_USER, signedIn), console: { creationDate: signedIn, mfa: false } });
  let t = signedIn + 48_000;
  for (const [name, region] of [['DescribeInstances', GPU_REGION], ['DescribeInstanceStatus', GPU_REGION], ['DescribeInstances', GPU_REGION], ['DescribeAddresses', GPU_REGION]] as const) {
    out.push(
      timed(rng, {
        time: t,
        identity: consoleIdentity,
        source: 'ec2.amazonaws.com',
        name,
        region,
        sourceIp: ATTACKER_IP,
        userAgent: rng.chance(0.5) ? 'AWS Internal' : ATTACKER_BROWSER,
        requestParameters: { instancesSet: {}, filterSet: {} },
        readOnly: true,
        fromConsole: true,
      }),
    );
    t += rng.int(20_000, 50_000);
  }

  out.push(
    ...play(rng, INCIDENT.secretsBurst, [1000, 1000], [{ source: 'secretsmanager.amazonaws.com', name: 'ListSecrets', params: { maxResults: 100 }, readOnly: true, ua: `${ATTACKER_CLI} command/secretsmanager.list-secrets` }], actor).events,
  );
  const caller = {
    identity,
    invokedIdentity: { ...identity, invokedBy: 'secretsmanager.amazonaws.com' },
    sourceIp: ATTACKER_IP,
    userAgent: `${ATTACKER_CLI} command/secretsmanager.get-secret-value`,
  };
  t = INCIDENT.secretsBurst + 10_000;
  for (const secret of SECRETS) {
    out.push(...secretRead(rng, t, caller, secret));
    t += rng.int(3_000, 11_000);
  }

  const bucket = BUCKETS.data;
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
  };
  const bucketResource = [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }];
  out.push(
    ...play(rng, INCIDENT.publicAccessBlockRemoved, [35_000, 35_000], [
      {
        source: 's3.amazonaws.com',
        name: 'DeleteBucketPublicAccessBlock',
        params: { publicAccessBlock: '', bucketName: bucket, Host: `${bucket}.s3.amazonaws.com` },
        readOnly: false,
        ua: `${ATTACKER_CLI} command/s3api.delete-public-access-block`,
        additionalEventData: s3AdditionalData(rng, 0, 0),
        resources: bucketResource,
        requestId: s3RequestId(rng),
      },
      {
        source: 's3.amazonaws.com',
        name: 'PutBucketPolicy',
        params: { bucketPolicy: policy, bucketName: bucket, Host: `${bucket}.s3.amazonaws.com`, policy: '' },
        readOnly: false,
        ua: `${ATTACKER_CLI} command/s3api.put-bucket-policy`,
        additionalEventData: s3AdditionalData(rng, JSON.stringify(policy).length, 0),
        resources: bucketResource,
        requestId: s3RequestId(rng),
      },
    ], actor).events,
  );
  return out;
}

const GPU_INSTANCE_IDS = ['i-0e5d4c3b2a1f09e8d', 'i-0d4c3b2a1f09e8d7c', 'i-07f6e5d4c3b2a1908', 'i-06e5d4c3b2a190817', 'i-05d4c3b2a19081726', 'i-04c3b2a1908172635'];
const GPU_AMI = 'ami-0c7d2f1e0b9a84c53';

function runInstances(rng: Rng, type: string, count: number, ids: string[], denied?: string): Step {
  const requestId = rng.uuid();
  const params: JsonObject = {
    instancesSet: { items: [{ imageId: GPU_AMI, minCount: count, maxCount: count, keyName: 'deploy-key' }] },
    instanceType: type,
    blockDeviceMapping: { items: [{ deviceName: '/dev/sda1', ebs: { volumeSize: 200, deleteOnTermination: true } }] },
    monitoring: { enabled: false },
    disableApiTermination: false,
    disableApiStop: false,
    clientToken: rng.uuid(),
  };
  const launched = INCIDENT.gpuLaunch;
  return {
    source: 'ec2.amazonaws.com',
    name: 'RunInstances',
    params,
    response: denied
      ? null
      : ec2Response(requestId, {
          reservationId: `r-0${rng.hex(16)}`,
          ownerId: ACCOUNT,
          groupSet: {},
          instancesSet: {
            items: ids.map((id, i) => ({
              instanceId: id,
              imageId: GPU_AMI,
              currentInstanceBootMode: 'legacy-bios',
              instanceState: { code: 0, name: 'pending' },
              privateDnsName: `ip-172-31-${rng.int(0, 47)}-${rng.int(1, 254)}.${GPU_REGION}.compute.internal`,
              keyName: 'deploy-key',
              amiLaunchIndex: i,
              productCodes: {},
              instanceType: type,
              launchTime: launched + 120_000,
              placement: { availabilityZone: `${GPU_REGION}a`, tenancy: 'default' },
              monitoring: { state: 'disabled' },
              subnetId: 'subnet-0a9b8c7d6e5f40312',
              vpcId: 'vpc-0f1e2d3c4b5a69788',
              privateIpAddress: `172.31.${rng.int(0, 47)}.${rng.int(1, 254)}`,
              stateReason: { code: 'pending', message: 'pending' },
              architecture: 'x86_64',
              rootDeviceType: 'ebs',
              rootDeviceName: '/dev/sda1',
            })),
          },
          requesterId: '',
        }),
    readOnly: false,
    denied,
    region: GPU_REGION,
    ua: `${ATTACKER_CLI} command/ec2.run-instances`,
    requestId,
  };
}

function gpuLaunch(rng: Rng, actor: { identity: JsonObject; arn: string; ua: string }): TimedRecord[] {
  const steps: Step[] = [
    { source: 'ec2.amazonaws.com', name: 'DescribeRegions', params: { regionSet: {}, allRegions: false }, readOnly: true, ua: `${ATTACKER_CLI} command/ec2.describe-regions` },
    {
      source: 'ec2.amazonaws.com',
      name: 'DescribeImages',
      params: { executableBySet: {}, imagesSet: {}, ownersSet: { items: [{ owner: 'amazon' }] }, filterSet: { items: [{ name: 'name', valueSet: { items: [{ value: 'Deep Learning AMI GPU PyTorch*' }] } }] } },
      readOnly: true,
      region: GPU_REGION,
      ua: `${ATTACKER_CLI} command/ec2.describe-images`,
    },
    {
      source: 'ec2.amazonaws.com',
      name: 'ImportKeyPair',
      params: { keyName: 'deploy-key', publicKeyMaterial: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      response: { requestId: rng.uuid(), keyName: 'deploy-key', keyFingerprint: 'b3:8f:4a:0e:77:21:c6:9d:51:e2:3a:f0:18:6b:9c:d4', keyPairId: `key-0${rng.hex(16)}` },
      readOnly: false,
      region: GPU_REGION,
      ua: `${ATTACKER_CLI} command/ec2.import-key-pair`,
    },
    runInstances(rng, 'p3.16xlarge', 4, [], 'Client.VcpuLimitExceeded'),
    runInstances(rng, 'p3.2xlarge', 2, GPU_INSTANCE_IDS.slice(0, 2)),
    runInstances(rng, 'g4dn.xlarge', 4, GPU_INSTANCE_IDS.slice(2)),
    { source: 'ec2.amazonaws.com', name: 'DescribeInstances', params: { instancesSet: {}, filterSet: {} }, readOnly: true, region: GPU_REGION, ua: `${ATTACKER_CLI} command/ec2.describe-instances` },
  ];
  const { events } = play(rng, INCIDENT.gpuLaunch, [15_000, 50_000], steps, actor);
  for (const e of events) {
    if (e.record.errorCode === 'Client.VcpuLimitExceeded') {
      e.record.errorMessage =
        'You have requested more vCPU capacity than your current vCPU limit of 64 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.';
    }
  }
  return events;
}

export function incidentCloudTrail(rng: Rng): TimedRecord[] {
  return [...stolenRoleActivity(rng.fork('stolen-role')), ...backdoorActivity(rng.fork('backdoor'))];
}
