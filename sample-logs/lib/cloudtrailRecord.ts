/**
 * Builders for CloudTrail records shaped exactly as CloudTrail delivers them
 * to S3: the same keys, in the same order, with the same absences (no
 * tlsDetails on calls an AWS service makes for a principal, no requestID on
 * console sign-in events, errorCode/errorMessage only on failures).
 */
import type { Rng } from './rng';
import { isoSeconds, iamDate } from './timefmt';
import { ACCOUNT, type IamUser, type Role } from './world';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type CloudTrailRecord = JsonObject;

export function iamUserIdentity(
  user: IamUser,
  opts: { accessKeyId?: string; console?: { creationDate: number; mfa: boolean } } = {},
): JsonObject {
  const id: JsonObject = {
    type: 'IAMUser',
    principalId: user.userId,
    arn: `arn:aws:iam::${ACCOUNT}:user/${user.name}`,
    accountId: ACCOUNT,
  };
  const key = opts.accessKeyId ?? user.accessKeyId;
  if (key) id.accessKeyId = key;
  id.userName = user.name;
  if (opts.console) {
    id.sessionContext = {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(opts.console.creationDate), mfaAuthenticated: String(opts.console.mfa) },
    };
  }
  return id;
}

export interface RoleSession {
  role: Role;
  sessionName: string;
  accessKeyId: string;
  creationDate: number;
  /** Credentials an EC2 instance got from its instance profile (IMDS). */
  ec2?: boolean;
}

export function assumedRoleIdentity(s: RoleSession, invokedBy?: string): JsonObject {
  const sessionContext: JsonObject = {
    sessionIssuer: {
      type: 'Role',
      principalId: s.role.roleId,
      arn: s.role.arn,
      accountId: ACCOUNT,
      userName: s.role.name,
    },
    webIdFederationData: {},
    attributes: { creationDate: isoSeconds(s.creationDate), mfaAuthenticated: 'false' },
  };
  if (s.ec2) sessionContext.ec2RoleDelivery = '2.0';
  const id: JsonObject = {
    type: 'AssumedRole',
    principalId: `${s.role.roleId}:${s.sessionName}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${s.role.name}/${s.sessionName}`,
    accountId: ACCOUNT,
    accessKeyId: s.accessKeyId,
    sessionContext,
  };
  if (invokedBy) id.invokedBy = invokedBy;
  return id;
}

export function rootIdentity(opts: { accessKeyId?: string; console?: { creationDate: number; mfa: boolean } } = {}): JsonObject {
  const id: JsonObject = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
  if (opts.accessKeyId) id.accessKeyId = opts.accessKeyId;
  if (opts.console) {
    id.sessionContext = {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(opts.console.creationDate), mfaAuthenticated: String(opts.console.mfa) },
    };
  }
  return id;
}

export function awsServiceIdentity(invokedBy: string): JsonObject {
  return { type: 'AWSService', invokedBy };
}

export function webIdentityUser(provider: string, subject: string): JsonObject {
  return {
    type: 'WebIdentityUser',
    principalId: `${provider}:sts.amazonaws.com:${subject}`,
    userName: subject,
    identityProvider: provider,
  };
}

export interface ApiCall {
  time: number;
  identity: JsonObject;
  source: string;
  name: string;
  region: string;
  sourceIp: string;
  userAgent: string;
  requestParameters?: Json;
  responseElements?: Json;
  additionalEventData?: Json;
  resources?: Json[];
  errorCode?: string;
  errorMessage?: string;
  readOnly: boolean;
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  /**
   * Host header the client sent, which CloudTrail copies into tlsDetails.
   * Undefined: the service's usual endpoint; null: no tlsDetails at all, as
   * for calls an AWS service makes on a principal's behalf.
   */
  host?: string | null;
  /** Calls made by the console with the session of a signed-in user. */
  fromConsole?: boolean;
  requestId?: string | null;
  sharedEventId?: string;
  vpcEndpointId?: string;
}

/** CloudTrail's eventVersion differs by service; these are the values each one wrote at the time. */
const EVENT_VERSION: Record<string, string> = {
  'iam.amazonaws.com': '1.09',
  's3.amazonaws.com': '1.09',
  'ec2.amazonaws.com': '1.09',
  'cloudtrail.amazonaws.com': '1.09',
  'secretsmanager.amazonaws.com': '1.09',
  'ecs.amazonaws.com': '1.09',
  'ecr.amazonaws.com': '1.09',
};

export function defaultHost(source: string, region: string): string {
  const service = source.replace('.amazonaws.com', '');
  switch (service) {
    case 'iam':
      return 'iam.amazonaws.com';
    case 'sts':
      return 'sts.amazonaws.com';
    case 's3':
      return 's3.amazonaws.com';
    case 'signin':
      return 'signin.aws.amazon.com';
    case 'ce':
      return 'ce.us-east-1.amazonaws.com';
    case 'organizations':
      return 'organizations.us-east-1.amazonaws.com';
    case 'route53':
      return 'route53.amazonaws.com';
    case 'ecr':
      return `api.ecr.${region}.amazonaws.com`;
    default:
      return `${service}.${region}.amazonaws.com`;
  }
}

export function tlsDetails(rng: Rng, host: string): JsonObject {
  return rng.chance(0.75)
    ? { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host }
    : { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: host };
}

export function cloudTrailRecord(rng: Rng, call: ApiCall): CloudTrailRecord {
  const r: CloudTrailRecord = {
    eventVersion: EVENT_VERSION[call.source] ?? '1.08',
    userIdentity: call.identity,
    eventTime: isoSeconds(call.time),
    eventSource: call.source,
    eventName: call.name,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
  };
  // A failed console sign-in carries an errorMessage and no errorCode.
  if (call.errorCode) r.errorCode = call.errorCode;
  if (call.errorMessage) r.errorMessage = call.errorMessage;
  r.requestParameters = call.requestParameters ?? null;
  r.responseElements = call.errorCode ? null : (call.responseElements ?? null);
  if (call.additionalEventData !== undefined) r.additionalEventData = call.additionalEventData;
  const requestId = call.requestId === undefined ? rng.uuid() : call.requestId;
  if (requestId !== null) r.requestID = requestId;
  r.eventID = rng.uuid();
  r.readOnly = call.readOnly;
  if (call.resources) r.resources = call.resources;
  r.eventType = call.eventType ?? 'AwsApiCall';
  r.managementEvent = true;
  r.recipientAccountId = ACCOUNT;
  if (call.sharedEventId) r.sharedEventID = call.sharedEventId;
  if (call.vpcEndpointId) r.vpcEndpointId = call.vpcEndpointId;
  r.eventCategory = 'Management';
  if (call.host !== null) r.tlsDetails = tlsDetails(rng, call.host ?? defaultHost(call.source, call.region));
  if (call.fromConsole) r.sessionCredentialFromConsole = 'true';
  return r;
}

/** An STS session token: opaque base64 of about 700 characters. */
export function sessionToken(rng: Rng): string {
  return `IQoJb3JpZ2luX2Vj${rng.base64(520)}`;
}

export function stsCredentials(rng: Rng, accessKeyId: string, issued: number, hours: number): JsonObject {
  return { accessKeyId, sessionToken: sessionToken(rng), expiration: iamDate(issued + hours * 3_600_000) };
}

/** S3 request ids are 16 upper-case characters, not UUIDs. */
export function s3RequestId(rng: Rng): string {
  return rng.awsId(16);
}

export function s3AdditionalData(rng: Rng, bytesIn: number, bytesOut: number): JsonObject {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: bytesIn,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': rng.base64(56),
    bytesTransferredOut: bytesOut,
  };
}

export function accessDeniedMessage(principalArn: string, action: string, resource = '*'): string {
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

export function ec2DeniedMessage(rng: Rng): string {
  return `You are not authorized to perform this operation. Encoded authorization failure message: ${rng.base64(420).replace(/[+/=]/g, '-')}`;
}
