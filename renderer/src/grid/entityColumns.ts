import type { EntityKind } from '../api/contract';

/** Only values that look like addresses get a profile: sourceIPAddress also holds service names and "AWS Internal". */
export function looksLikeIp(v: string): boolean {
  return /^(?:\d{1,3}\.){3}\d{1,3}$/.test(v) || (/^[0-9a-fA-F:]+$/.test(v) && v.includes(':'));
}

type KindOf = (value: string) => EntityKind | null;

const ip: KindOf = (v) => (looksLikeIp(v) ? 'ip' : null);
const principal: KindOf = (v) => (v && v !== '-' && v !== 'anonymous' ? 'principal' : null);
const always =
  (kind: EntityKind): KindOf =>
  (v) =>
    v && v !== '-' ? kind : null;

/** The columns of each table whose values are entities, and which kind each value is. */
export const ENTITY_COLUMNS: Record<string, Record<string, KindOf>> = {
  cloudtrail: { source_ip: ip, user_arn: principal, access_key_id: always('access_key'), session_name: always('session') },
  vpc_flow: { srcaddr: ip, dstaddr: ip, pkt_srcaddr: ip, pkt_dstaddr: ip, interface_id: always('eni'), instance_id: (v) => (v.startsWith('i-') ? 'instance' : null) },
  elb: { client_ip: ip, target_ip: ip },
  s3_access: { remote_ip: ip, requester: principal, bucket: always('bucket') },
};

export function entityKindOf(table: string, column: string): KindOf | undefined {
  return ENTITY_COLUMNS[table]?.[column];
}
