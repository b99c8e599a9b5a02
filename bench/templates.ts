/**
 * Record templates for the bench. The sample generator's builders are exact
 * but make every field from scratch; at millions of records that is slower
 * than the import being measured. So the bench builds a few thousand records
 * with them and stamps out copies, drawing afresh the fields that must differ
 * (time, ids, ports, byte counts).
 */
import type { Rng } from '../sample-logs/lib/rng';
import { benignCloudTrailDay, benignCloudTrailMix } from '../sample-logs/lib/benignCloudTrail';
import { incidentCloudTrail } from '../sample-logs/lib/incidentCloudTrail';
import { benignAlbMix } from '../sample-logs/lib/albTraffic';
import { albLine, connTraceId, traceId } from '../sample-logs/lib/albLog';
import { benignFlowMix } from '../sample-logs/lib/trafficFlows';
import type { FlowRecord } from '../sample-logs/lib/vpcFlow';
import type { JsonObject } from '../sample-logs/lib/cloudtrailRecord';
import { DAY, isoMicros, isoMillisAsMicros, isoSeconds } from '../sample-logs/lib/timefmt';

type Hole = 'TIME' | 'EVENTID' | 'REQUESTID' | 'CREATED' | 'TRACE' | 'TID' | 'PORT';

interface Template {
  parts: string[];
  holes: Hole[];
  /** ALB: how long before the response the request arrived. */
  leadMs: number;
}

const mark = (h: Hole): string => `@@${h}@@`;
const HOLE = /@@(TIME|EVENTID|REQUESTID|CREATED|TRACE|TID|PORT)@@/g;

function template(text: string, leadMs = 0): Template {
  const parts: string[] = [];
  const holes: Hole[] = [];
  let last = 0;
  for (const m of text.matchAll(HOLE)) {
    parts.push(text.slice(last, m.index));
    holes.push(m[1] as Hole);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { parts, holes, leadMs };
}

function fill(t: Template, value: (h: Hole) => string): string {
  let s = t.parts[0];
  for (let i = 0; i < t.holes.length; i++) s += value(t.holes[i]) + t.parts[i + 1];
  return s;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/;

/**
 * What the CloudTrail copies are drawn from. The everyday mix alone has some
 * thirty event names, all reads or heartbeats, so most investigations would
 * find no row to look at; real trails also carry deploys, console sessions,
 * IAM and network changes and denied calls. So a fifth of the records come
 * from whole benign days (CI deploys with SendCommand and web identity,
 * developer and root console sessions) and one in a hundred from the sample
 * incident (IAM users and keys, StopLogging, security group and bucket policy
 * changes, AccessDenied probing across services, GPU launches).
 */
const CLOUDTRAIL_POOLS = [
  ['mix', 80],
  ['days', 19],
  ['incident', 1],
] as const;

export class CloudTrailTemplates {
  private readonly pools: Record<(typeof CLOUDTRAIL_POOLS)[number][0], Template[]> = { mix: [], days: [], incident: [] };

  constructor(rng: Rng, size: number, around: number) {
    for (let i = 0; i < size; i++) this.pools.mix.push(cloudTrailTemplate(benignCloudTrailMix(rng, around + i * 997).record));
    for (let d = 0; this.pools.days.length < size / 2; d++) {
      for (const e of benignCloudTrailDay(rng.fork(`day/${d}`), around + d * DAY, d).events) this.pools.days.push(cloudTrailTemplate(e.record));
    }
    for (const e of incidentCloudTrail(rng.fork('incident'))) this.pools.incident.push(cloudTrailTemplate(e.record));
  }

  /** One record as minified JSON, as it sits inside {"Records":[...]}. */
  record(rng: Rng, t: number): string {
    const pool = this.pools[rng.weighted(CLOUDTRAIL_POOLS)];
    return fill(rng.pick(pool), (h) => (h === 'TIME' ? isoSeconds(t) : rng.uuid()));
  }
}

function cloudTrailTemplate(record: JsonObject): Template {
  const r: JsonObject = { ...record, eventTime: mark('TIME'), eventID: mark('EVENTID') };
  // S3 request ids are not UUIDs; those keep the template's.
  if (typeof r.requestID === 'string' && UUID.test(r.requestID)) r.requestID = mark('REQUESTID');
  return template(JSON.stringify(r));
}

export class AlbTemplates {
  private readonly pool: Template[] = [];

  constructor(rng: Rng, size: number, around: number) {
    for (let i = 0; i < size; i++) {
      const { req } = benignAlbMix(rng, around + i * 991);
      const line = albLine(req)
        .replace(isoMicros(req.time, req.micros), mark('TIME'))
        .replace(isoMillisAsMicros(req.requestCreationTime), mark('CREATED'))
        .replace(`"${req.traceId}"`, `"${mark('TRACE')}"`)
        .replace(req.connTraceId, mark('TID'))
        .replace(`${req.clientIp}:${req.clientPort}`, `${req.clientIp}:${mark('PORT')}`);
      this.pool.push(template(line, req.time - req.requestCreationTime));
    }
  }

  line(rng: Rng, t: number): string {
    const tpl = rng.pick(this.pool);
    const created = t - tpl.leadMs;
    return fill(tpl, (h) => {
      switch (h) {
        case 'TIME':
          return isoMicros(t, rng.int(0, 999));
        case 'CREATED':
          return isoMillisAsMicros(created);
        case 'TRACE':
          return traceId(rng, created);
        case 'TID':
          return connTraceId(rng);
        default:
          return String(rng.int(1024, 65535));
      }
    });
  }
}

export class FlowTemplates {
  private readonly pool: FlowRecord[] = [];

  constructor(rng: Rng, size: number, around: number) {
    for (let i = 0; i < size; i++) this.pool.push(benignFlowMix(rng, around + i * 983));
  }

  /** A default-format (version 2) line starting at t. */
  line(rng: Rng, account: string, t: number): string {
    const r = rng.pick(this.pool);
    const start = Math.floor(t / 1000);
    const end = start + (r.end - r.start);
    if (r.logStatus !== 'OK') return `2 ${account} ${r.eni} - - - - - - - ${start} ${end} - ${r.logStatus}`;
    const f = 0.5 + rng.next();
    const ephemeral = rng.int(32768, 60999);
    const srcport = r.srcport >= 32768 ? ephemeral : r.srcport;
    const dstport = r.srcport >= 32768 ? r.dstport : r.dstport >= 32768 ? ephemeral : r.dstport;
    const packets = Math.max(1, Math.round(r.packets * f));
    const bytes = Math.max(40 * packets, Math.round(r.bytes * f));
    return `2 ${account} ${r.eni} ${r.srcaddr} ${r.dstaddr} ${srcport} ${dstport} ${r.protocol} ${packets} ${bytes} ${start} ${end} ${r.action} ${r.logStatus}`;
  }
}
