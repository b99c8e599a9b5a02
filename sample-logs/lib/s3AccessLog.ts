/**
 * S3 server access log lines (26 fields: the 24 of the classic format, then
 * access point ARN and aclRequired) and their object names.
 */
import type { Rng } from './rng';
import { dashedSecond, s3LogTime } from './timefmt';

export interface S3AccessRecord {
  bucketOwner: string;
  bucket: string;
  time: number;
  remoteIp: string;
  requester: string;
  requestId: string;
  operation: string;
  key: string;
  /** The request line; '-' for actions S3 takes itself (lifecycle expiry). */
  requestUri: string;
  httpStatus: number | null;
  errorCode: string;
  bytesSent: number | null;
  objectSize: number | null;
  totalTime: number | null;
  turnAroundTime: number | null;
  referer: string;
  userAgent: string;
  versionId: string;
  hostId: string;
  signatureVersion: string;
  cipherSuite: string;
  authenticationType: string;
  hostHeader: string;
  tlsVersion: string;
  accessPointArn: string;
  aclRequired: string;
}

const num = (v: number | null): string => (v === null ? '-' : String(v));

export function s3AccessLine(r: S3AccessRecord): string {
  return [
    r.bucketOwner,
    r.bucket,
    s3LogTime(r.time),
    r.remoteIp,
    r.requester,
    r.requestId,
    r.operation,
    r.key,
    `"${r.requestUri}"`,
    num(r.httpStatus),
    r.errorCode,
    num(r.bytesSent),
    num(r.objectSize),
    num(r.totalTime),
    num(r.turnAroundTime),
    `"${r.referer}"`,
    `"${r.userAgent}"`,
    r.versionId,
    r.hostId,
    r.signatureVersion,
    r.cipherSuite,
    r.authenticationType,
    r.hostHeader,
    r.tlsVersion,
    r.accessPointArn,
    r.aclRequired,
  ].join(' ');
}

/** <target-prefix>YYYY-MM-DD-HH-MM-SS-<16 upper-case hex>: no extension, not compressed. */
export function s3AccessKey(rng: Rng, targetPrefix: string, deliveredAt: number): string {
  return `${targetPrefix}${dashedSecond(deliveredAt)}-${rng.upperHex(16)}`;
}

export function s3HostId(rng: Rng): string {
  return rng.base64(56);
}
