/**
 * VPC flow log records and files as delivered to S3: one gzip file per flow
 * log and five-minute window, whose first line names the fields in the
 * flow log's format.
 */
import type { Rng } from './rng';
import { compactMinute, ymdPath } from './timefmt';

export interface FlowRecord {
  eni: string;
  /** '-' for NODATA and SKIPDATA records. */
  srcaddr: string;
  dstaddr: string;
  srcport: number;
  dstport: number;
  protocol: number;
  packets: number;
  bytes: number;
  /** Epoch seconds. */
  start: number;
  end: number;
  action: 'ACCEPT' | 'REJECT' | '-';
  logStatus: 'OK' | 'NODATA' | 'SKIPDATA';
  instanceId?: string;
  subnetId?: string;
  tcpFlags?: number;
  /** Address of the packet when it differs from the interface address (NAT, load balancers). */
  pktSrcaddr?: string;
  pktDstaddr?: string;
  pktSrcAwsService?: string;
  pktDstAwsService?: string;
  flowDirection?: 'ingress' | 'egress';
  /** 1 same VPC, 2 internet/NAT... 8 internet gateway (egress only). */
  trafficPath?: number;
}

/** The default format (version 2): what a flow log writes when no format is given. */
export const DEFAULT_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];

/** A custom format picked in the console: version 5 fields in an order of the owner's choosing. */
export const CUSTOM_V5_FIELDS = [
  'version', 'vpc-id', 'subnet-id', 'instance-id', 'interface-id', 'account-id', 'type',
  'srcaddr', 'dstaddr', 'srcport', 'dstport', 'pkt-srcaddr', 'pkt-dstaddr', 'protocol',
  'bytes', 'packets', 'start', 'end', 'action', 'tcp-flags', 'log-status', 'region', 'az-id',
  'sublocation-type', 'sublocation-id', 'pkt-src-aws-service', 'pkt-dst-aws-service',
  'flow-direction', 'traffic-path',
];

export interface FlowContext {
  account: string;
  vpcId: string;
  region: string;
  azId: string;
}

const dash = (v: string | number | undefined): string => (v === undefined || v === '' ? '-' : String(v));

function fieldValue(field: string, r: FlowRecord, c: FlowContext, version: number): string {
  const noData = r.logStatus !== 'OK';
  switch (field) {
    case 'version': return String(version);
    case 'account-id': return c.account;
    case 'interface-id': return r.eni;
    case 'srcaddr': return r.srcaddr;
    case 'dstaddr': return r.dstaddr;
    case 'srcport': return noData ? '-' : String(r.srcport);
    case 'dstport': return noData ? '-' : String(r.dstport);
    case 'protocol': return noData ? '-' : String(r.protocol);
    case 'packets': return noData ? '-' : String(r.packets);
    case 'bytes': return noData ? '-' : String(r.bytes);
    case 'start': return String(r.start);
    case 'end': return String(r.end);
    case 'action': return r.action;
    case 'log-status': return r.logStatus;
    case 'vpc-id': return c.vpcId;
    case 'subnet-id': return dash(r.subnetId);
    case 'instance-id': return dash(r.instanceId);
    case 'type': return noData ? '-' : 'IPv4';
    case 'tcp-flags': return noData ? '-' : r.protocol === 6 ? String(r.tcpFlags ?? 19) : '0';
    case 'pkt-srcaddr': return dash(r.pktSrcaddr ?? r.srcaddr);
    case 'pkt-dstaddr': return dash(r.pktDstaddr ?? r.dstaddr);
    case 'region': return c.region;
    case 'az-id': return c.azId;
    case 'sublocation-type': return '-';
    case 'sublocation-id': return '-';
    case 'pkt-src-aws-service': return dash(r.pktSrcAwsService);
    case 'pkt-dst-aws-service': return dash(r.pktDstAwsService);
    case 'flow-direction': return dash(r.flowDirection);
    case 'traffic-path': return r.flowDirection === 'egress' ? dash(r.trafficPath ?? 1) : '-';
    default: throw new Error(`unknown flow log field ${field}`);
  }
}

export function flowLine(fields: string[], r: FlowRecord, c: FlowContext): string {
  const version = fields.length === DEFAULT_FIELDS.length ? 2 : 5;
  return fields.map((f) => fieldValue(f, r, c, version)).join(' ');
}

/** The default-format line without the per-field dispatch: the bench writes millions. */
export function defaultFlowLine(account: string, r: FlowRecord): string {
  if (r.logStatus !== 'OK') return `2 ${account} ${r.eni} - - - - - - - ${r.start} ${r.end} - ${r.logStatus}`;
  return `2 ${account} ${r.eni} ${r.srcaddr} ${r.dstaddr} ${r.srcport} ${r.dstport} ${r.protocol} ${r.packets} ${r.bytes} ${r.start} ${r.end} ${r.action} ${r.logStatus}`;
}

export function vpcFlowKey(rng: Rng, account: string, region: string, flowLogId: string, deliveredAt: number): string {
  return `AWSLogs/${account}/vpcflowlogs/${region}/${ymdPath(deliveredAt)}/${account}_vpcflowlogs_${region}_${flowLogId}_${compactMinute(deliveredAt)}_${rng.hex(8)}.log.gz`;
}
