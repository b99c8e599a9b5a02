/**
 * Requests to Acme's buckets as S3 server access logs record them, and their
 * delivery: S3 writes a log object every few minutes to an hour, named for
 * when it was written, under the target prefix of each source bucket.
 */
import type { Rng } from './rng';
import { s3AccessKey, s3AccessLine, s3HostId, type S3AccessRecord } from './s3AccessLog';
import { instanceSession } from './identities';
import { HOUR, MINUTE } from './timefmt';
import { ACCOUNT, BUCKETS, CANONICAL_ID, CI_ROLE, CI_RUNNER_IPS, HOME_REGION, WEB_1, WEB_INSTANCES, WEB_ROLE, type Instance } from './world';

export const APP_S3_UA =
  'aws-sdk-js/3.623.0 ua/2.1 os/linux#6.1.102-111.182.amzn2023.x86_64 lang/js md/nodejs#20.16.0 api/s3#3.623.0';
const CI_S3_UA =
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#s3.cp';

export interface S3Request {
  bucket: string;
  time: number;
  remoteIp: string;
  requester: string;
  operation: string;
  key: string;
  method: string;
  /** Path and query after the host, as sent (virtual-hosted style). */
  uri: string;
  status: number;
  errorCode?: string;
  bytesSent: number | null;
  objectSize: number | null;
  userAgent: string;
  /** Unsigned requests (public objects) carry no signature or authentication type. */
  anonymous?: boolean;
}

export function s3Record(rng: Rng, r: S3Request): S3AccessRecord {
  const throughput = rng.float(20_000, 90_000);
  const total = r.bytesSent ? Math.max(1, Math.round(r.bytesSent / throughput)) + rng.int(2, 30) : rng.int(3, 60);
  return {
    bucketOwner: CANONICAL_ID,
    bucket: r.bucket,
    time: r.time,
    remoteIp: r.remoteIp,
    requester: r.anonymous ? '-' : r.requester,
    requestId: rng.upperHex(16),
    operation: r.operation,
    key: r.key,
    requestUri: `${r.method} ${r.uri} HTTP/1.1`,
    httpStatus: r.status,
    errorCode: r.errorCode ?? '-',
    bytesSent: r.bytesSent,
    objectSize: r.objectSize,
    totalTime: total,
    turnAroundTime: rng.int(1, Math.min(total, 40)),
    referer: '-',
    userAgent: r.userAgent,
    versionId: '-',
    hostId: s3HostId(rng),
    signatureVersion: r.anonymous ? '-' : 'SigV4',
    cipherSuite: 'TLS_AES_128_GCM_SHA256',
    authenticationType: r.anonymous ? '-' : 'AuthHeader',
    hostHeader: `${r.bucket}.s3.${HOME_REGION}.amazonaws.com`,
    tlsVersion: 'TLSv1.3',
    accessPointArn: '-',
    aclRequired: '-',
  };
}

export function lifecycleExpiry(rng: Rng, t: number, bucket: string, key: string, size: number): S3AccessRecord {
  return {
    bucketOwner: CANONICAL_ID,
    bucket,
    time: t,
    remoteIp: '-',
    requester: 'AmazonS3',
    requestId: rng.upperHex(16),
    operation: 'S3.EXPIRE.OBJECT',
    key,
    requestUri: '-',
    httpStatus: null,
    errorCode: '-',
    bytesSent: null,
    objectSize: size,
    totalTime: null,
    turnAroundTime: null,
    referer: '-',
    userAgent: '-',
    versionId: rng.alnum(32),
    hostId: s3HostId(rng),
    signatureVersion: '-',
    cipherSuite: '-',
    authenticationType: '-',
    hostHeader: '-',
    tlsVersion: '-',
    accessPointArn: '-',
    aclRequired: '-',
  };
}

export function roleRequester(instance: Instance, t: number): string {
  return `arn:aws:sts::${ACCOUNT}:assumed-role/${WEB_ROLE.name}/${instanceSession(instance, t).sessionName}`;
}

const getObject = (rng: Rng, t: number, instance: Instance, key: string, size: number): S3AccessRecord =>
  s3Record(rng, {
    bucket: BUCKETS.data,
    time: t,
    remoteIp: instance.privateIp,
    requester: roleRequester(instance, t),
    operation: 'REST.GET.OBJECT',
    key,
    method: 'GET',
    uri: `/${key}`,
    status: 200,
    bytesSent: size,
    objectSize: size,
    userAgent: APP_S3_UA,
  });

const putObject = (rng: Rng, t: number, instance: Instance, key: string, size: number): S3AccessRecord =>
  s3Record(rng, {
    bucket: BUCKETS.data,
    time: t,
    remoteIp: instance.privateIp,
    requester: roleRequester(instance, t),
    operation: 'REST.PUT.OBJECT',
    key,
    method: 'PUT',
    uri: `/${key}`,
    status: 200,
    bytesSent: null,
    objectSize: size,
    userAgent: APP_S3_UA,
  });

/** The app serves avatars and invoices out of the data bucket and writes an invoice per order. */
export function appS3Request(rng: Rng, t: number): S3AccessRecord {
  const instance = rng.pick(WEB_INSTANCES);
  const customer = rng.int(10000, 19999);
  switch (rng.weighted([['avatar', 55], ['invoice', 25], ['head', 10], ['put', 10]] as const)) {
    case 'avatar':
      return getObject(rng, t, instance, `uploads/customers/${customer}/avatar.webp`, rng.int(8000, 90000));
    case 'invoice':
      return getObject(rng, t, instance, `invoices/2025/03/INV-${rng.int(100000, 140000)}.pdf`, rng.int(40000, 180000));
    case 'head':
      return s3Record(rng, {
        bucket: BUCKETS.data,
        time: t,
        remoteIp: instance.privateIp,
        requester: roleRequester(instance, t),
        operation: 'REST.HEAD.OBJECT',
        key: `uploads/customers/${customer}/avatar.webp`,
        method: 'HEAD',
        uri: `/uploads/customers/${customer}/avatar.webp`,
        status: rng.chance(0.2) ? 404 : 200,
        bytesSent: null,
        objectSize: null,
        userAgent: APP_S3_UA,
      });
    case 'put':
      return putObject(rng, t, instance, `invoices/2025/03/INV-${rng.int(140000, 149999)}.pdf`, rng.int(40000, 180000));
  }
}

const HOURLY_REQUESTS = [3, 2, 2, 1, 1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 8, 7, 6, 5, 4];

/** The nightly export web-1 writes, in one multipart upload. */
function nightlyExport(rng: Rng, t: number, date: string): S3AccessRecord[] {
  const key = `exports/customers/customers-${date}.csv.gz`;
  const uploadId = rng.alnum(64);
  const requester = roleRequester(WEB_1, t);
  const base = { bucket: BUCKETS.data, remoteIp: WEB_1.privateIp, requester, key, userAgent: APP_S3_UA };
  const out: S3AccessRecord[] = [
    s3Record(rng, { ...base, time: t, operation: 'REST.POST.UPLOADS', method: 'POST', uri: `/${key}?uploads`, status: 200, bytesSent: 412, objectSize: null }),
  ];
  const parts = rng.int(5, 8);
  for (let p = 1; p <= parts; p++) {
    out.push(
      s3Record(rng, {
        ...base,
        time: t + p * rng.int(800, 2500),
        operation: 'REST.PUT.PART',
        method: 'PUT',
        uri: `/${key}?partNumber=${p}&uploadId=${uploadId}`,
        status: 200,
        bytesSent: null,
        objectSize: 8_388_608,
      }),
    );
  }
  out.push(
    s3Record(rng, {
      ...base,
      time: t + (parts + 2) * 2500,
      operation: 'REST.POST.UPLOAD',
      method: 'POST',
      uri: `/${key}?uploadId=${uploadId}`,
      status: 200,
      bytesSent: 356,
      objectSize: parts * 8_388_608,
    }),
  );
  return out;
}

export function ciArtifactUpload(rng: Rng, t: number): S3AccessRecord[] {
  const sha = rng.hex(12);
  const requester = `arn:aws:sts::${ACCOUNT}:assumed-role/${CI_ROLE.name}/GitHubActions`;
  const ip = rng.pick(CI_RUNNER_IPS);
  return ['bundle.tar.gz', 'sbom.spdx.json'].map((name, i) =>
    s3Record(rng, {
      bucket: BUCKETS.artifacts,
      time: t + i * rng.int(500, 3000),
      remoteIp: ip,
      requester,
      operation: 'REST.PUT.OBJECT',
      key: `shop/${sha}/${name}`,
      method: 'PUT',
      uri: `/shop/${sha}/${name}`,
      status: 200,
      bytesSent: null,
      objectSize: name.endsWith('gz') ? rng.int(30_000_000, 60_000_000) : rng.int(200_000, 600_000),
      userAgent: CI_S3_UA,
    }),
  );
}

export function benignS3Day(rng: Rng, dayStart: number, deploys: number[]): S3AccessRecord[] {
  const out: S3AccessRecord[] = [];
  for (let h = 0; h < 24; h++) {
    const n = Math.max(0, HOURLY_REQUESTS[h] + rng.int(-1, 2));
    for (let i = 0; i < n; i++) out.push(appS3Request(rng, dayStart + h * HOUR + rng.int(0, HOUR - 1)));
  }
  const date = new Date(dayStart - 1).toISOString().slice(0, 10);
  out.push(...nightlyExport(rng, dayStart + 2 * HOUR + 10 * MINUTE + rng.int(0, 60_000), date));
  for (const t of deploys) out.push(...ciArtifactUpload(rng, t + rng.int(20, 60) * 1000));
  const expired = rng.int(2, 5);
  for (let i = 0; i < expired; i++) {
    out.push(lifecycleExpiry(rng, dayStart + 19 * HOUR + 28 * MINUTE + i * 40, BUCKETS.artifacts, `shop/${rng.hex(12)}/bundle.tar.gz`, rng.int(30_000_000, 60_000_000)));
  }
  return out;
}

export interface S3LogObject {
  key: string;
  deliveredAt: number;
  content: Buffer;
  lines: number;
}

/** Cut each bucket's requests into log objects covering a few minutes to an hour each. */
export function packS3AccessLogs(rng: Rng, records: S3AccessRecord[], prefixFor: (bucket: string) => string): S3LogObject[] {
  const out: S3LogObject[] = [];
  const byBucket = new Map<string, S3AccessRecord[]>();
  for (const r of records) {
    const list = byBucket.get(r.bucket);
    if (list) list.push(r);
    else byBucket.set(r.bucket, [r]);
  }
  for (const bucket of [...byBucket.keys()].sort()) {
    const list = byBucket.get(bucket)!.sort((a, b) => a.time - b.time);
    let i = 0;
    while (i < list.length) {
      const span = rng.int(5, 60) * MINUTE;
      const first = list[i].time;
      let j = i;
      while (j < list.length && list[j].time < first + span && j - i < 400) j++;
      const chunk = list.slice(i, j);
      const deliveredAt = chunk[chunk.length - 1].time + rng.int(2, 40) * MINUTE + rng.int(0, 59_000);
      out.push({
        key: s3AccessKey(rng, prefixFor(bucket), deliveredAt),
        deliveredAt,
        content: Buffer.from(chunk.map((r) => s3AccessLine(r) + '\n').join(''), 'utf8'),
        lines: chunk.length,
      });
      i = j;
    }
  }
  return out.sort((a, b) => a.deliveredAt - b.deliveredAt || a.key.localeCompare(b.key));
}
