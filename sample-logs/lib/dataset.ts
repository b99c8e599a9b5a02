/**
 * Assembles the sample dataset: two days of benign activity with the
 * incident on day 2, laid out as the files AWS delivers to S3.
 */
import zlib from 'node:zlib';
import type { KeyObject } from 'node:crypto';
import { Rng } from './rng';
import { albKey, albLine } from './albLog';
import { benignAlbDay, type AlbEntry } from './albTraffic';
import { benignCloudTrailDay } from './benignCloudTrail';
import { packCloudTrailFiles, type TimedRecord } from './cloudtrailFiles';
import { buildDigests, publicKeyList, type LoggingGap } from './digests';
import { incidentAlb } from './incidentAlb';
import { incidentCloudTrail } from './incidentCloudTrail';
import { INCIDENT } from './incidentTimeline';
import { incidentFlows, incidentS3 } from './incidentTraffic';
import type { JsonObject } from './cloudtrailRecord';
import { benignS3Day, packS3AccessLogs } from './s3Activity';
import type { S3AccessRecord } from './s3AccessLog';
import { DAY, HOUR, MINUTE } from './timefmt';
import { backgroundFlowsDay, clientFlows, targetFlows } from './trafficFlows';
import { CUSTOM_V5_FIELDS, DEFAULT_FIELDS, flowLine, vpcFlowKey, type FlowContext, type FlowRecord } from './vpcFlow';
import { S3_ENDPOINT_IPS } from './addresses';
import {
  ACCOUNT,
  ALB,
  BASE_TIME,
  HOME_REGION,
  SUBNET_FLOW_LOG_ID,
  TRAIL,
  VPC_FLOW_LOG_ID,
  VPC_ID,
  WEB_1,
} from './world';

export interface GeneratedFile {
  /** Path below the dataset root, with forward slashes. */
  path: string;
  data: Buffer;
}

export interface SampleLogs {
  files: GeneratedFile[];
  /** keys/signatures.json: digest S3 key to hex signature (S3 object metadata in AWS). */
  signatures: Record<string, string>;
  /** keys/list-public-keys.json. */
  publicKeys: JsonObject;
  counts: { cloudtrailEvents: number; cloudtrailFiles: number; digests: number; vpcRecords: number; vpcFiles: number; albLines: number; albFiles: number; s3Lines: number; s3Files: number };
}

export interface SampleOptions {
  seed: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const DAYS = 2;
export const LOGGING_GAP: LoggingGap = { stoppedAt: INCIDENT.stopLogging, restartedAt: INCIDENT.startLogging };
const WINDOW = 5 * MINUTE;
const gzip = (data: Buffer | string): Buffer => zlib.gzipSync(data, { level: 9 });

function inGap(t: number): boolean {
  return t > LOGGING_GAP.stoppedAt && t < LOGGING_GAP.restartedAt;
}

function groupByWindow<T>(items: T[], timeOf: (item: T) => number, keyOf: (item: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = `${keyOf(item)}|${(Math.floor(timeOf(item) / WINDOW) + 1) * WINDOW}`;
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return new Map([...m.entries()].sort(([a], [b]) => Number(a.split('|')[1]) - Number(b.split('|')[1]) || a.localeCompare(b)));
}

/** web-1's subnet flow log: the same traffic, with the version 5 fields a custom format adds. */
function subnetRecord(r: FlowRecord): FlowRecord {
  const ingress = r.dstaddr === WEB_1.privateIp;
  const peer = ingress ? r.srcaddr : r.dstaddr;
  const toS3 = S3_ENDPOINT_IPS.includes(peer);
  return {
    ...r,
    instanceId: WEB_1.id,
    subnetId: WEB_1.subnet,
    flowDirection: ingress ? 'ingress' : 'egress',
    trafficPath: peer.startsWith('10.') ? 1 : toS3 ? 7 : 8,
  };
}

function flowFiles(rng: Rng, flowLogId: string, fields: string[], records: FlowRecord[], ctx: FlowContext): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  for (const [k, list] of groupByWindow(records, (r) => r.end * 1000 - 1, () => flowLogId)) {
    const end = Number(k.split('|')[1]);
    list.sort((a, b) => a.start - b.start || a.eni.localeCompare(b.eni));
    const body = [fields.join(' '), ...list.map((r) => flowLine(fields, r, ctx))].join('\n') + '\n';
    out.push({ path: vpcFlowKey(rng, ACCOUNT, HOME_REGION, flowLogId, end), data: gzip(body) });
  }
  return out;
}

function albFiles(rng: Rng, entries: AlbEntry[]): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  for (const [k, list] of groupByWindow(entries, (e) => e.req.time, (e) => e.node.publicIp)) {
    const [nodeIp, end] = k.split('|');
    list.sort((a, b) => a.req.time - b.req.time);
    const body = list.map((e) => albLine(e.req)).join('\n') + '\n';
    out.push({ path: albKey(rng, ACCOUNT, HOME_REGION, ALB, Number(end), nodeIp), data: gzip(body) });
  }
  return out;
}

export function buildSampleLogs(o: SampleOptions): SampleLogs {
  const root = new Rng(`cloudsift-sample-logs/${o.seed}`);
  const cloudtrail: TimedRecord[] = [];
  const alb: AlbEntry[] = [];
  const s3: S3AccessRecord[] = [];
  const flows: FlowRecord[] = [];
  for (let d = 0; d < DAYS; d++) {
    const dayStart = BASE_TIME + d * DAY;
    const day = benignCloudTrailDay(root.fork(`cloudtrail/${d}`), dayStart, d);
    cloudtrail.push(...day.events.filter((e) => !inGap(e.time)));
    alb.push(...benignAlbDay(root.fork(`alb/${d}`), dayStart));
    s3.push(...benignS3Day(root.fork(`s3/${d}`), dayStart, day.deploys));
    flows.push(...backgroundFlowsDay(root.fork(`vpc/${d}`), dayStart));
  }
  cloudtrail.push(...incidentCloudTrail(root.fork('incident/cloudtrail')));
  alb.push(...incidentAlb(root.fork('incident/alb')));
  s3.push(...incidentS3(root.fork('incident/s3')));
  flows.push(...incidentFlows(root.fork('incident/vpc')));
  const flowRng = root.fork('vpc/derived');
  flows.push(...clientFlows(flowRng, alb), ...targetFlows(flowRng, alb));

  const end = BASE_TIME + DAYS * DAY;
  const inRange = (t: number): boolean => t >= BASE_TIME && t < end;
  const ctEvents = cloudtrail.filter((e) => inRange(e.time)).sort((a, b) => a.time - b.time);
  const ctFiles = packCloudTrailFiles(root.fork('cloudtrail/files'), ACCOUNT, ctEvents);
  const digests = buildDigests(ctFiles, {
    account: ACCOUNT,
    bucket: TRAIL.bucket,
    trailName: TRAIL.name,
    homeRegion: HOME_REGION,
    chainStart: BASE_TIME,
    until: end + HOUR,
    offsets: { [TRAIL.regions[0]]: 41 * MINUTE + 9_000, [TRAIL.regions[1]]: 43 * MINUTE + 52_000 },
    gaps: [LOGGING_GAP],
    privateKey: o.privateKey,
    publicKey: o.publicKey,
  });

  const vpcRecords = flows.filter((r) => inRange(r.start * 1000)).sort((a, b) => a.start - b.start);
  const ctx: FlowContext = { account: ACCOUNT, vpcId: VPC_ID, region: HOME_REGION, azId: WEB_1.azId };
  const subnet = vpcRecords.filter((r) => r.eni === WEB_1.eni).map(subnetRecord);
  const vpcDefaultFiles = flowFiles(root.fork('vpc/files'), VPC_FLOW_LOG_ID, DEFAULT_FIELDS, vpcRecords, ctx);
  const vpcSubnetFiles = flowFiles(root.fork('vpc/subnet-files'), SUBNET_FLOW_LOG_ID, CUSTOM_V5_FIELDS, subnet, ctx);

  const albEntries = alb.filter((e) => inRange(e.req.time));
  const albOut = albFiles(root.fork('alb/files'), albEntries);

  const s3Records = s3.filter((r) => inRange(r.time));
  const s3Objects = packS3AccessLogs(root.fork('s3/files'), s3Records, (bucket) => `s3-access/${bucket}/`);

  const files: GeneratedFile[] = [
    ...ctFiles.map((f) => ({ path: f.key, data: gzip(f.content) })),
    ...digests.map((d) => ({ path: d.key, data: gzip(d.content) })),
    ...vpcDefaultFiles,
    ...vpcSubnetFiles,
    ...albOut,
    ...s3Objects.map((s) => ({ path: s.key, data: s.content })),
  ];
  const signatures: Record<string, string> = {};
  for (const d of [...digests].sort((a, b) => a.key.localeCompare(b.key))) signatures[d.key] = d.signature;
  return {
    files,
    signatures,
    publicKeys: publicKeyList(o.publicKey, BASE_TIME - 10 * DAY, BASE_TIME + 20 * DAY),
    counts: {
      cloudtrailEvents: ctEvents.length,
      cloudtrailFiles: ctFiles.length,
      digests: digests.length,
      vpcRecords: vpcRecords.length + subnet.length,
      vpcFiles: vpcDefaultFiles.length + vpcSubnetFiles.length,
      albLines: albEntries.length,
      albFiles: albOut.length,
      s3Lines: s3Records.length,
      s3Files: s3Objects.length,
    },
  };
}
