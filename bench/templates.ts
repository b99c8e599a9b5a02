/**
 * Record templates for the bench. The sample generator's builders are exact
 * but make every field from scratch; at millions of records that is slower
 * than the import being measured. So the bench builds a few thousand records
 * with them and stamps out copies, drawing afresh the fields that must differ
 * (time, ids, ports, byte counts).
 */
import type { Rng } from '../sample-logs/lib/rng';
import { benignCloudTrailMix } from '../sample-logs/lib/benignCloudTrail';
import { benignAlbMix } from '../sample-logs/lib/albTraffic';
import { albLine, connTraceId, traceId } from '../sample-logs/lib/albLog';
import { benignFlowMix } from '../sample-logs/lib/trafficFlows';
import type { FlowRecord } from '../sample-logs/lib/vpcFlow';
import { isoMicros, isoMillisAsMicros, isoSeconds } from '../sample-logs/lib/timefmt';

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

export class CloudTrailTemplates {
  private readonly pool: Template[] = [];

  constructor(rng: Rng, size: number, around: number) {
    for (let i = 0; i < size; i++) {
      const r = benignCloudTrailMix(rng, around + i * 997).record;
      r.eventTime = mark('TIME');
      r.eventID = mark('EVENTID');
      // S3 request ids are not UUIDs; those keep the template's.
      if (typeof r.requestID === 'string' && UUID.test(r.requestID)) r.requestID = mark('REQUESTID');
      this.pool.push(template(JSON.stringify(r)));
    }
  }

  /** One record as minified JSON, as it sits inside {"Records":[...]}. */
  record(rng: Rng, t: number): string {
    return fill(rng.pick(this.pool), (h) => (h === 'TIME' ? isoSeconds(t) : rng.uuid()));
  }
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
