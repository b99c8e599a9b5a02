/**
 * VPC flow records for the traffic the other logs describe: every ALB
 * connection appears on the load balancer node's interface, ALB-to-target
 * traffic on the web servers' interfaces, plus what the web servers do on
 * their own (database, S3 through the gateway endpoint, Systems Manager) and
 * the internet knocking on closed ports.
 */
import type { Rng } from './rng';
import type { AlbEntry } from './albTraffic';
import type { FlowRecord } from './vpcFlow';
import { ephemeralPort, publicClientIp, S3_ENDPOINT_IPS, SSM_ENDPOINT_IPS } from './addresses';
import { HOUR, MINUTE } from './timefmt';
import { ALB, RDS, WEB_INSTANCES, type Instance } from './world';

const sec = (ms: number): number => Math.floor(ms / 1000);
const packetsFor = (bytes: number, rng: Rng): number => Math.max(1, Math.round(bytes / rng.int(900, 1400)));

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}

/** Client connections as the load balancer node's interface records them, one flow per connection and window. */
export function clientFlows(rng: Rng, entries: AlbEntry[]): FlowRecord[] {
  const out: FlowRecord[] = [];
  const groups = groupBy(entries, (e) => `${e.node.eni}|${e.req.clientIp}|${e.req.clientPort}|${Math.floor(e.req.time / (5 * MINUTE))}`);
  for (const list of groups.values()) {
    const node = list[0].node;
    const { clientIp, clientPort } = list[0].req;
    const port = list[0].req.type === 'http' ? 80 : 443;
    const first = Math.min(...list.map((e) => e.req.requestCreationTime));
    const last = Math.max(...list.map((e) => e.req.time));
    const received = list.reduce((s, e) => s + e.req.receivedBytes, 0) + 600;
    const sent = list.reduce((s, e) => s + e.req.sentBytes, 0) + 4200;
    const start = sec(first) - rng.int(0, 3);
    const end = Math.max(sec(last) + rng.int(1, 40), start + 1);
    out.push({
      eni: node.eni, srcaddr: clientIp, dstaddr: node.privateIp, srcport: clientPort, dstport: port, protocol: 6,
      packets: packetsFor(received, rng) + 3, bytes: received, start, end, action: 'ACCEPT', logStatus: 'OK', tcpFlags: 19,
    });
    out.push({
      eni: node.eni, srcaddr: node.privateIp, dstaddr: clientIp, srcport: port, dstport: clientPort, protocol: 6,
      packets: packetsFor(sent, rng) + 2, bytes: sent, start, end, action: 'ACCEPT', logStatus: 'OK', tcpFlags: 19,
    });
  }
  return out;
}

/** Pooled ALB-to-target connections on the target's interface, aggregated over ten minutes. */
export function targetFlows(rng: Rng, entries: AlbEntry[]): FlowRecord[] {
  const out: FlowRecord[] = [];
  const withTarget = entries.filter((e) => e.req.target !== null);
  const groups = groupBy(withTarget, (e) => `${e.node.privateIp}|${e.req.target!.ip}|${Math.floor(e.req.time / (10 * MINUTE))}`);
  for (const [key, list] of groups) {
    const node = list[0].node;
    const target = WEB_INSTANCES.find((i) => i.privateIp === list[0].req.target!.ip)!;
    const window = Number(key.split('|')[2]) * 10 * MINUTE;
    const received = list.reduce((s, e) => s + e.req.receivedBytes + 120, 0);
    const sent = list.reduce((s, e) => s + e.req.sentBytes, 0);
    const start = sec(window) + rng.int(0, 20);
    const end = sec(window + 10 * MINUTE) - rng.int(1, 20);
    const nodePort = 30000 + ((Number(key.split('|')[2]) * 7 + node.privateIp.length) % 30000);
    out.push({
      eni: target.eni, srcaddr: node.privateIp, dstaddr: target.privateIp, srcport: nodePort, dstport: ALB.targetPort, protocol: 6,
      packets: packetsFor(received, rng) + list.length, bytes: received, start, end, action: 'ACCEPT', logStatus: 'OK', tcpFlags: 3,
    });
    out.push({
      eni: target.eni, srcaddr: target.privateIp, dstaddr: node.privateIp, srcport: ALB.targetPort, dstport: nodePort, protocol: 6,
      packets: packetsFor(sent, rng) + list.length, bytes: sent, start, end, action: 'ACCEPT', logStatus: 'OK', tcpFlags: 3,
    });
  }
  return out;
}

function pair(
  rng: Rng,
  instance: Instance,
  peer: string,
  peerPort: number,
  start: number,
  end: number,
  bytesOut: number,
  bytesIn: number,
  peerService?: string,
): FlowRecord[] {
  const port = ephemeralPort(rng);
  return [
    {
      eni: instance.eni, srcaddr: instance.privateIp, dstaddr: peer, srcport: port, dstport: peerPort, protocol: 6,
      packets: packetsFor(bytesOut, rng) + 2, bytes: bytesOut, start, end, action: 'ACCEPT', logStatus: 'OK',
      pktDstAwsService: peerService, tcpFlags: 19,
    },
    {
      eni: instance.eni, srcaddr: peer, dstaddr: instance.privateIp, srcport: peerPort, dstport: port, protocol: 6,
      packets: packetsFor(bytesIn, rng) + 2, bytes: bytesIn, start, end, action: 'ACCEPT', logStatus: 'OK',
      pktSrcAwsService: peerService, tcpFlags: 19,
    },
  ];
}

const CLOSED_PORTS = [22, 23, 3389, 445, 5900, 8080, 6379, 2375, 9200, 1433];

export function closedPortProbe(rng: Rng, t: number, instance: Instance, from = publicClientIp(rng), port = rng.pick(CLOSED_PORTS)): FlowRecord {
  const start = sec(t);
  return {
    eni: instance.eni, srcaddr: from, dstaddr: instance.privateIp, srcport: ephemeralPort(rng), dstport: port, protocol: 6,
    packets: rng.int(1, 3), bytes: rng.int(40, 180), start, end: start + rng.int(0, 50), action: 'REJECT', logStatus: 'OK', tcpFlags: 2,
  };
}

/** An interface with no traffic in a capture window still reports it. */
const IDLE_ENI = 'eni-0f1e2d3c4b5a69788';

export function backgroundFlowsDay(rng: Rng, dayStart: number): FlowRecord[] {
  const out: FlowRecord[] = [];
  for (const instance of WEB_INSTANCES) {
    for (let w = dayStart; w < dayStart + 24 * HOUR; w += 10 * MINUTE) {
      const start = sec(w) + rng.int(0, 30);
      const end = sec(w + 10 * MINUTE) - rng.int(1, 30);
      out.push(...pair(rng, instance, RDS.ip, RDS.port, start, end, rng.int(20_000, 400_000), rng.int(60_000, 2_500_000)));
      if (rng.chance(0.35)) out.push(...pair(rng, instance, rng.pick(S3_ENDPOINT_IPS), 443, start + rng.int(0, 200), end, rng.int(2000, 30_000), rng.int(20_000, 3_000_000), 'S3'));
      if (w % HOUR === 0) out.push(...pair(rng, instance, rng.pick(SSM_ENDPOINT_IPS), 443, start, end, rng.int(4000, 12_000), rng.int(5000, 15_000), 'AMAZON'));
    }
    const probes = rng.int(60, 90);
    for (let i = 0; i < probes; i++) out.push(closedPortProbe(rng, dayStart + rng.int(0, 24 * HOUR - 60_000), instance));
  }
  for (let w = dayStart; w < dayStart + 24 * HOUR; w += HOUR) {
    const start = sec(w) + rng.int(0, 40);
    out.push({ eni: IDLE_ENI, srcaddr: '-', dstaddr: '-', srcport: 0, dstport: 0, protocol: 0, packets: 0, bytes: 0, start, end: start + 600, action: '-', logStatus: 'NODATA' });
  }
  return out;
}

/** One benign flow record of any kind, for the bench. */
export function benignFlowMix(rng: Rng, t: number): FlowRecord {
  const instance = rng.pick(WEB_INSTANCES);
  const start = sec(t);
  switch (rng.weighted([['db', 40], ['client', 35], ['s3', 12], ['probe', 12], ['nodata', 1]] as const)) {
    case 'db':
      return pair(rng, instance, RDS.ip, RDS.port, start, start + rng.int(30, 600), rng.int(2000, 400_000), rng.int(6000, 2_500_000))[rng.int(0, 1)];
    case 'client': {
      const node = rng.pick(ALB.nodes);
      const bytes = rng.int(600, 200_000);
      return {
        eni: node.eni, srcaddr: publicClientIp(rng), dstaddr: node.privateIp, srcport: ephemeralPort(rng), dstport: 443, protocol: 6,
        packets: packetsFor(bytes, rng) + 3, bytes, start, end: start + rng.int(1, 120), action: 'ACCEPT', logStatus: 'OK',
      };
    }
    case 's3':
      return pair(rng, instance, rng.pick(S3_ENDPOINT_IPS), 443, start, start + rng.int(1, 300), rng.int(2000, 30_000), rng.int(20_000, 3_000_000), 'S3')[rng.int(0, 1)];
    case 'probe':
      return closedPortProbe(rng, t, instance);
    case 'nodata':
      return { eni: IDLE_ENI, srcaddr: '-', dstaddr: '-', srcport: 0, dstport: 0, protocol: 0, packets: 0, bytes: 0, start, end: start + 600, action: '-', logStatus: 'NODATA' };
  }
}
