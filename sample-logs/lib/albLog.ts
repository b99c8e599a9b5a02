/**
 * Application Load Balancer access log lines with every field AWS writes
 * today (29, plus conn_trace_id since 2024), and their file names.
 */
import type { Rng } from './rng';
import { compactMinute, isoMicros, isoMillisAsMicros, ymdPath } from './timefmt';

export interface AlbRequest {
  type: 'http' | 'https' | 'h2';
  /** When the load balancer sent the response, epoch ms, plus sub-millisecond micros. */
  time: number;
  micros: number;
  elb: string;
  clientIp: string;
  clientPort: number;
  /** null: no target (redirects, fixed responses, requests refused by the load balancer). */
  target: { ip: string; port: number } | null;
  requestProcessingTime: number;
  targetProcessingTime: number;
  responseProcessingTime: number;
  elbStatus: number;
  targetStatus: number | null;
  receivedBytes: number;
  sentBytes: number;
  method: string;
  /** Full URL as the load balancer logs it: scheme://host:port/path?query. */
  url: string;
  httpVersion: string;
  userAgent: string;
  sslCipher: string;
  sslProtocol: string;
  targetGroupArn: string;
  traceId: string;
  domain: string;
  certArn: string;
  matchedRulePriority: string;
  requestCreationTime: number;
  actions: string;
  redirectUrl: string;
  errorReason: string;
  classification: string;
  classificationReason: string;
  connTraceId: string;
}

const q = (v: string): string => `"${v}"`;
const secs = (v: number): string => (v < 0 ? '-1' : v.toFixed(3));

export function albLine(r: AlbRequest): string {
  const target = r.target ? `${r.target.ip}:${r.target.port}` : '-';
  return [
    r.type,
    isoMicros(r.time, r.micros),
    r.elb,
    `${r.clientIp}:${r.clientPort}`,
    target,
    secs(r.requestProcessingTime),
    r.target ? secs(r.targetProcessingTime) : '-1',
    r.target ? secs(r.responseProcessingTime) : '-1',
    String(r.elbStatus),
    r.targetStatus === null ? '-' : String(r.targetStatus),
    String(r.receivedBytes),
    String(r.sentBytes),
    q(`${r.method} ${r.url} ${r.httpVersion}`),
    q(r.userAgent),
    r.sslCipher,
    r.sslProtocol,
    r.targetGroupArn,
    q(r.traceId),
    q(r.domain),
    q(r.certArn),
    r.matchedRulePriority,
    isoMillisAsMicros(r.requestCreationTime),
    q(r.actions),
    q(r.redirectUrl),
    q(r.errorReason),
    q(target),
    q(r.targetStatus === null ? '-' : String(r.targetStatus)),
    q(r.classification),
    q(r.classificationReason),
    r.connTraceId,
  ].join(' ');
}

/** X-Amzn-Trace-Id as the load balancer creates it: version, hex epoch seconds, 96 random bits. */
export function traceId(rng: Rng, ms: number): string {
  return `Root=1-${Math.floor(ms / 1000).toString(16).padStart(8, '0')}-${rng.hex(24)}`;
}

export function connTraceId(rng: Rng): string {
  return `TID_${rng.hex(32)}`;
}

export function albKey(
  rng: Rng,
  account: string,
  region: string,
  lb: { name: string; id: string },
  endTime: number,
  nodeIp: string,
): string {
  return `AWSLogs/${account}/elasticloadbalancing/${region}/${ymdPath(endTime)}/${account}_elasticloadbalancing_${region}_app.${lb.name}.${lb.id}_${compactMinute(endTime)}_${nodeIp}_${rng.lowerAlnum(8)}.log.gz`;
}
