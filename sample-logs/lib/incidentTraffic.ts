/**
 * The incident outside CloudTrail: S3 server access logs of the bucket
 * being synced to the attacker while CloudTrail was stopped, then read
 * anonymously once public; VPC flow records of SSH refused, then allowed,
 * then gigabytes leaving web-1 for the attacker.
 */
import type { Rng } from './rng';
import type { FlowRecord } from './vpcFlow';
import type { S3AccessRecord } from './s3AccessLog';
import { closedPortProbe } from './trafficFlows';
import { s3Record } from './s3Activity';
import { ATTACKER_CLI, INCIDENT } from './incidentTimeline';
import { MINUTE } from './timefmt';
import { ACCOUNT, ATTACKER_IP, BACKDOOR_USER, BUCKETS, WEB_1 } from './world';

const SYNC_UA = `${ATTACKER_CLI} command/s3.sync`;

/** What the bucket holds, in the order `aws s3 sync` walks it (lexicographic). */
function bucketObjects(rng: Rng): { key: string; size: number }[] {
  const out: { key: string; size: number }[] = [];
  for (let d = 11; d <= 17; d++) out.push({ key: `backups/db/acme-shop-2025-03-${d}.sql.gz`, size: rng.int(360_000_000, 420_000_000) });
  for (let d = 1; d <= 17; d++) {
    const day = String(d).padStart(2, '0');
    out.push({ key: `exports/customers/customers-2025-03-${day}.csv.gz`, size: rng.int(42_000_000, 58_000_000) });
    out.push({ key: `exports/orders/orders-2025-03-${day}.csv.gz`, size: rng.int(3_000_000, 7_000_000) });
  }
  for (let n = 0; n < 520; n++) out.push({ key: `invoices/2025/03/INV-${130000 + n * 17}.pdf`, size: rng.int(40_000, 180_000) });
  return out;
}

export function incidentS3(rng: Rng): S3AccessRecord[] {
  const out: S3AccessRecord[] = [];
  const requester = `arn:aws:iam::${ACCOUNT}:user/${BACKDOOR_USER.name}`;
  const base = { bucket: BUCKETS.data, remoteIp: ATTACKER_IP, requester, userAgent: SYNC_UA };
  let token = '';
  for (let page = 0; page < 2; page++) {
    out.push(
      s3Record(rng, {
        ...base,
        time: INCIDENT.s3ListBucket + page * 1400,
        operation: 'REST.GET.BUCKET',
        key: '-',
        method: 'GET',
        uri: `/?list-type=2${token}&prefix=&encoding-type=url`,
        status: 200,
        bytesSent: rng.int(180_000, 260_000),
        objectSize: null,
      }),
    );
    token = `&continuation-token=${rng.base64(60).replace(/[+/=]/g, 'x')}`;
  }
  const objects = bucketObjects(rng);
  const span = INCIDENT.s3ExfilEnd - INCIDENT.s3ListBucket - 10_000;
  const totalBytes = objects.reduce((s, o) => s + o.size, 0);
  let t = INCIDENT.s3ListBucket + 5_000;
  for (const o of objects) {
    out.push(s3Record(rng, { ...base, time: t, operation: 'REST.GET.OBJECT', key: o.key, method: 'GET', uri: `/${o.key}`, status: 200, bytesSent: o.size, objectSize: o.size }));
    t += Math.max(150, Math.round((o.size / totalBytes) * span * rng.float(0.8, 1.2)));
  }
  out.push(
    s3Record(rng, {
      ...base,
      time: INCIDENT.bucketMadePublic,
      operation: 'REST.PUT.BUCKETPOLICY',
      key: '-',
      method: 'PUT',
      uri: '/?policy',
      status: 204,
      bytesSent: null,
      objectSize: null,
      userAgent: `${ATTACKER_CLI} command/s3api.put-bucket-policy`,
    }),
  );
  t = INCIDENT.anonymousReads;
  for (let d = 1; d <= 17 && t < INCIDENT.end; d++) {
    for (const kind of ['customers', 'orders']) {
      const key = `exports/${kind}/${kind}-2025-03-${String(d).padStart(2, '0')}.csv.gz`;
      const size = kind === 'customers' ? rng.int(42_000_000, 58_000_000) : rng.int(3_000_000, 7_000_000);
      out.push(s3Record(rng, { ...base, requester: '-', anonymous: true, userAgent: 'curl/8.5.0', time: t, operation: 'REST.GET.OBJECT', key, method: 'GET', uri: `/${key}`, status: 200, bytesSent: size, objectSize: size }));
      t += rng.int(8_000, 25_000);
    }
  }
  return out;
}

export function incidentFlows(rng: Rng): FlowRecord[] {
  const out: FlowRecord[] = [];
  for (const offset of [0, 1_000, 50_000, 36 * MINUTE + 28_000]) {
    out.push(closedPortProbe(rng, INCIDENT.sshRejected + offset, WEB_1, ATTACKER_IP, 22));
  }
  const sshPort = 51514;
  const sec = (ms: number): number => Math.floor(ms / 1000);
  // The SSH session lasts half an hour; flow logs cut it into ten-minute aggregation windows.
  const windows = [
    [INCIDENT.sshSession, INCIDENT.sshSession + 10 * MINUTE],
    [INCIDENT.sshSession + 10 * MINUTE, INCIDENT.sshSession + 20 * MINUTE],
    [INCIDENT.sshSession + 20 * MINUTE, INCIDENT.sshSessionEnd],
  ];
  for (const [from, to] of windows) {
    const egress = rng.int(580_000_000, 720_000_000);
    const ingress = Math.round(egress * rng.float(0.015, 0.025));
    out.push({
      eni: WEB_1.eni, srcaddr: ATTACKER_IP, dstaddr: WEB_1.privateIp, srcport: sshPort, dstport: 22, protocol: 6,
      packets: Math.round(ingress / 66), bytes: ingress, start: sec(from), end: sec(to), action: 'ACCEPT', logStatus: 'OK', tcpFlags: from === INCIDENT.sshSession ? 2 : 0,
    });
    out.push({
      eni: WEB_1.eni, srcaddr: WEB_1.privateIp, dstaddr: ATTACKER_IP, srcport: 22, dstport: sshPort, protocol: 6,
      packets: Math.round(egress / 1448), bytes: egress, start: sec(from), end: sec(to), action: 'ACCEPT', logStatus: 'OK', tcpFlags: to === INCIDENT.sshSessionEnd ? 1 : 0,
    });
  }
  return out;
}
