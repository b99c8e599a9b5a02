import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseStore, sqlString, type Row } from '../../../analyzers/store/caseStore';
import { createLineStage, stageLines } from '../../../analyzers/importers/lineStage';
import { detectVpcLayout, importVpcFlowParquet, parseVpcFlowStaged, type VpcLayout } from '../../../analyzers/importers/vpcFlow';
import type { ParseResult } from '../../../analyzers/importers/types';
import { REJECTS_COLUMNS, VPC_COLUMNS } from '../../../analyzers/store/schema';

let dir: string;
let store: CaseStore;
let nextSourceId = 1;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-vpc-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'), { threads: 2 });
  await createLineStage(store.conn);
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const BIGINT_COLUMNS = new Set(
  [...VPC_COLUMNS, ...REJECTS_COLUMNS].filter((c) => c.type === 'BIGINT').map((c) => c.name),
);

/** JSON rows carry BIGINT as text; these tests compare small counts as numbers. */
async function rowsJson(sql: string, id: number): Promise<Row[]> {
  const rows = await store.allJson(sql, { id });
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, BIGINT_COLUMNS.has(k) && typeof v === 'string' ? Number(v) : v])),
  );
}

interface Imported {
  result: ParseResult;
  layout: VpcLayout;
  rows: Row[];
  rejects: Row[];
}

function detected(lines: string[], given?: string[]): { layout: VpcLayout; headerLine: boolean } {
  const d = detectVpcLayout(lines.slice(0, 20), given);
  assert.ok(d && 'layout' in d, `expected a layout, got ${JSON.stringify(d)}`);
  return d;
}

/** Stages a file's lines as the importer does (1-based line numbers, no blank or header lines) and parses them. */
async function importLines(lines: string[], given?: string[]): Promise<Imported> {
  const { layout, headerLine } = detected(lines, given);
  const id = nextSourceId++;
  const staged = lines
    .map((line, i) => ({ sourceFileId: id, recordIndex: i + 1, line }))
    .filter((l, i) => l.line.trim() !== '' && !(headerLine && i === 0));
  await stageLines(store.conn, staged);
  const result = await parseVpcFlowStaged(store.conn, id, layout);
  const rows = await rowsJson(`SELECT * FROM vpc_flow WHERE source_file_id = $id ORDER BY record_index`, id);
  const rejects = await rowsJson(`SELECT * FROM rejects WHERE source_file_id = $id ORDER BY position`, id);
  const headersInside = staged.filter((l) => l.line === layout.fields.join(' ')).length;
  assert.equal(result.imported.vpc_flow, rows.length);
  assert.equal(result.rejected, rejects.length);
  assert.equal(staged.length - headersInside, rows.length + rejects.length, 'records in = imported + rejected');
  return { result, layout, rows, rejects };
}

const V2_ACCEPT = '2 210987654321 eni-0a1b2c3d4e5f60718 10.1.2.3 10.1.9.8 51012 22 6 12 3301 1600000000 1600000060 ACCEPT OK';
const V2_REJECT = '2 210987654321 eni-0a1b2c3d4e5f60718 198.51.100.7 10.1.2.3 40404 3389 6 3 180 1600000100 1600000160 REJECT OK';
const V3_HEADER =
  'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status';
const v3Line = (srcport: string, tcpFlags: string) =>
  `3 vpc-0f1e2d3c4b5a69788 subnet-0aa11bb22cc33dd44 i-0123abcd4567ef890 eni-0f0e0d0c0b0a09080 210987654321 IPv4 203.0.113.40 10.2.0.15 ${srcport} 8443 203.0.113.40 10.2.0.15 6 912 9 1610000000 1610000058 ACCEPT ${tcpFlags} OK`;
const V5_CUSTOM =
  'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status';
const V5_CUSTOM_LINE =
  '5 52.94.1.20 10.3.0.71 443 50210 6 1620000000 1620000055 IPv4 21 17310 210987654321 vpc-0c0c0c0c0c0c0c0c0 subnet-0d0d0d0d0d0d0d0d0 i-0e0e0e0e0e0e0e0e0 eni-0f0f0f0f0f0f0f0f0 eu-west-1 euw1-az2 - - ACCEPT 19 52.94.1.20 10.3.0.71 S3 - 8 ingress OK';
const NAT_LAYOUT = 'instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr';

describe('detectVpcLayout', () => {
  test('header-less 14 fields is the v2 default', () => {
    const d = detected([V2_ACCEPT, V2_REJECT]);
    assert.equal(d.headerLine, false);
    assert.equal(d.layout.name, 'v2 default');
    assert.equal(d.layout.origin, 'default');
    assert.equal(d.layout.fields.length, 14);
  });

  test('a header line gives the order', () => {
    const d = detected([V3_HEADER, v3Line('5001', '2')]);
    assert.equal(d.headerLine, true);
    assert.equal(d.layout.origin, 'header');
    assert.equal(d.layout.name, 'custom (21 fields, header)');
    assert.deepEqual(d.layout.fields, V3_HEADER.split(' '));
  });

  test('a header spelling out the default fields is named for them', () => {
    const d = detected(['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status', V2_ACCEPT]);
    assert.equal(d.layout.name, 'v2 default');
    assert.equal(d.layout.origin, 'header');
  });

  test('header only is an error', () => {
    assert.deepEqual(detectVpcLayout([V3_HEADER, '', '  ']), { error: 'VPC flow log header only, no records' });
  });

  test('a header naming an unknown field is an error', () => {
    const d = detectVpcLayout(['version account-id interface-id srcaddr packets-sparkled', V2_ACCEPT]);
    assert.ok(d && 'error' in d);
    assert.match(d.error, /unknown field\(s\): packets-sparkled/);
  });

  test('an unknown header-less layout is an error that says how to give it', () => {
    const d = detectVpcLayout(['- eni-0aa0aa0aa0aa0aa0a 10.0.1.5 10.0.0.220 10.0.1.5 198.51.100.9']);
    assert.ok(d && 'error' in d);
    assert.match(d.error, /layout unknown: records have 6 fields/);
    assert.match(d.error, /--vpc-layout/);
  });

  test('a given layout is matched by field count', () => {
    const d = detected(['- eni-0aa0aa0aa0aa0aa0a 10.0.1.5 10.0.0.220 10.0.1.5 198.51.100.9'], [V3_HEADER, NAT_LAYOUT]);
    assert.equal(d.layout.origin, 'given');
    assert.equal(d.layout.name, 'custom (6 fields, given)');
    assert.deepEqual(d.layout.fields, NAT_LAYOUT.split(' '));
  });

  test('a given layout wins over the standard layout of the same count', () => {
    const reordered = 'version account-id interface-id dstaddr srcaddr dstport srcport protocol packets bytes start end action log-status';
    const d = detected([V2_ACCEPT], [reordered]);
    assert.equal(d.layout.origin, 'given');
    assert.equal(d.layout.fields[3], 'dstaddr');
  });

  test('the commonest field count decides, so one stray line does not', () => {
    const d = detected([v3Line('5001', '2'), '...', v3Line('5002', '18')], [V3_HEADER]);
    assert.equal(d.layout.fields.length, 21);
  });

  test('lines that are not VPC flow give null', () => {
    assert.equal(detectVpcLayout(['{"Records":[{"eventVersion":"1.08","eventSource":"s3.amazonaws.com"}]}']), null);
    assert.equal(
      detectVpcLayout([
        'http 2024-03-01T10:00:00.123456Z app/web/50dc6c495c0c9188 192.0.2.10:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2024-03-01T10:00:00.122000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"',
      ]),
      null,
    );
    assert.equal(detectVpcLayout(['hello world', 'just some text']), null);
    assert.equal(detectVpcLayout([]), null);
  });
});

describe('parseVpcFlowStaged', () => {
  test('default v2 ACCEPT and REJECT', async () => {
    const { rows, rejects, result } = await importLines([V2_ACCEPT, V2_REJECT]);
    assert.equal(rejects.length, 0);
    assert.equal(rows.length, 2);
    const [a, r] = rows;
    assert.equal(a.record_index, 1);
    assert.equal(a.version, 2);
    assert.equal(a.account_id, '210987654321');
    assert.equal(a.interface_id, 'eni-0a1b2c3d4e5f60718');
    assert.equal(a.srcaddr, '10.1.2.3');
    assert.equal(a.srcport, 51012);
    assert.equal(a.dstport, 22);
    assert.equal(a.protocol, 6);
    assert.equal(a.packets, 12);
    assert.equal(a.bytes, 3301);
    assert.equal(a.action, 'ACCEPT');
    assert.equal(a.log_status, 'OK');
    assert.equal(a.layout, 'v2 default');
    assert.equal(a.raw, V2_ACCEPT);
    const start = await store.one<{ s: string; e: string; t: string }>(
      `SELECT epoch(start_time)::BIGINT::VARCHAR AS s, epoch(end_time)::BIGINT::VARCHAR AS e, epoch(event_time)::BIGINT::VARCHAR AS t
       FROM vpc_flow WHERE source_file_id = $id AND record_index = 1`,
      { id: a.source_file_id as number },
    );
    assert.deepEqual(start, { s: '1600000000', e: '1600000060', t: '1600000000' });
    assert.equal(r.action, 'REJECT');
    assert.equal(r.dstport, 3389);
    assert.deepEqual(result.imported, { vpc_flow: 2 });
    assert.equal(result.format, 'v2 default');
    assert.equal(result.firstEventTime, '2020-09-13T12:26:40.000Z');
    assert.equal(result.lastEventTime, '2020-09-13T12:28:20.000Z');
  });

  test('NODATA and SKIPDATA are kept with null fields', async () => {
    const nodata = '2 210987654321 eni-0a1b2c3d4e5f60718 - - - - - - - 1431280876 1431280934 - NODATA';
    const skipdata = '2 210987654321 eni-0b2c3d4e5f6071829 - - - - - - - 1431280876 1431280934 - SKIPDATA';
    const { rows, rejects } = await importLines([nodata, skipdata]);
    assert.equal(rejects.length, 0);
    assert.deepEqual(
      rows.map((r) => [r.log_status, r.srcaddr, r.dstaddr, r.srcport, r.dstport, r.protocol, r.packets, r.bytes, r.action]),
      [
        ['NODATA', null, null, null, null, null, null, null, null],
        ['SKIPDATA', null, null, null, null, null, null, null, null],
      ],
    );
    assert.ok(rows.every((r) => r.start_time !== null && r.event_time !== null));
    assert.equal(rows[1].raw, skipdata);
  });

  test('IPv6 addresses stay text', async () => {
    const line =
      '2 210987654321 eni-0a1b2c3d4e5f60718 2001:db8:4321:a100:1f2e:3d4c:5b6a:7980 2001:db8:4321:a102::17 40112 22 6 41 7312 1477913708 1477913820 ACCEPT OK';
    const { rows } = await importLines([line]);
    assert.equal(rows[0].srcaddr, '2001:db8:4321:a100:1f2e:3d4c:5b6a:7980');
    assert.equal(rows[0].dstaddr, '2001:db8:4321:a102::17');
  });

  test('ICMP: protocol 1 with ports 0', async () => {
    const { rows } = await importLines([
      '2 210987654321 eni-0a1b2c3d4e5f60718 198.51.100.12 10.1.2.3 0 0 1 4 336 1432917027 1432917142 ACCEPT OK',
      '2 210987654321 eni-0a1b2c3d4e5f60718 10.1.2.3 198.51.100.12 0 0 1 4 336 1432917094 1432917142 REJECT OK',
    ]);
    assert.deepEqual(rows.map((r) => [r.protocol, r.srcport, r.dstport, r.action]), [
      [1, 0, 0, 'ACCEPT'],
      [1, 0, 0, 'REJECT'],
    ]);
  });

  test('custom v3 order from a header line (21 fields)', async () => {
    const { rows, rejects, layout } = await importLines([V3_HEADER, v3Line('43416', '2'), v3Line('43418', '18')]);
    assert.equal(layout.name, 'custom (21 fields, header)');
    assert.equal(rejects.length, 0);
    const r = rows[0];
    assert.equal(r.record_index, 2);
    assert.equal(r.version, 3);
    assert.equal(r.vpc_id, 'vpc-0f1e2d3c4b5a69788');
    assert.equal(r.subnet_id, 'subnet-0aa11bb22cc33dd44');
    assert.equal(r.instance_id, 'i-0123abcd4567ef890');
    assert.equal(r.type, 'IPv4');
    assert.equal(r.srcport, 43416);
    assert.equal(r.pkt_srcaddr, '203.0.113.40');
    assert.equal(r.bytes, 912);
    assert.equal(r.packets, 9);
    assert.equal(r.tcp_flags, 2);
    assert.equal(rows[1].tcp_flags, 18);
    assert.equal(r.layout, 'custom (21 fields, header)');
  });

  test('a header repeated inside the file is neither record nor reject', async () => {
    const { rows, rejects } = await importLines([V3_HEADER, v3Line('1', '2'), V3_HEADER, v3Line('2', '18')]);
    assert.deepEqual(rows.map((r) => r.record_index), [2, 4]);
    assert.equal(rejects.length, 0);
  });

  test('v5 custom order, header-less, from a given layout', async () => {
    const { rows, rejects, layout } = await importLines([V5_CUSTOM_LINE], [V5_CUSTOM]);
    assert.equal(layout.name, 'custom (29 fields, given)');
    assert.equal(rejects.length, 0);
    const r = rows[0];
    assert.equal(r.version, 5);
    assert.equal(r.srcport, 443);
    assert.equal(r.region, 'eu-west-1');
    assert.equal(r.az_id, 'euw1-az2');
    assert.equal(r.sublocation_type, null);
    assert.equal(r.pkt_src_aws_service, 'S3');
    assert.equal(r.pkt_dst_aws_service, null);
    assert.equal(r.traffic_path, 8);
    assert.equal(r.flow_direction, 'ingress');
    assert.equal(r.tcp_flags, 19);
    assert.equal(r.log_status, 'OK');
  });

  test('29 fields header-less: all fields v2..v5 in version order', async () => {
    const line =
      '5 21098765432 eni-07a7a7a7a7a7a7a7a 192.0.2.156 10.200.0.9 50041 33004 17 52 1 1640000066 1640000297 REJECT OK vpc-0b8b8b8b8b8b8b8b8 subnet-0c9c9c9c9c9c9c9c9 i-0d1d1d1d1d1d1d1d1 1 IPv4 192.0.2.156 10.200.0.80 us-east-1 use1-az5 - - AMAZON CLOUDFRONT ingress 1';
    const { rows, layout } = await importLines([line]);
    assert.equal(layout.name, 'v5 all fields');
    const r = rows[0];
    assert.equal(r.account_id, '21098765432');
    assert.equal(r.vpc_id, 'vpc-0b8b8b8b8b8b8b8b8');
    assert.equal(r.tcp_flags, 1);
    assert.equal(r.pkt_dstaddr, '10.200.0.80');
    assert.equal(r.region, 'us-east-1');
    assert.equal(r.pkt_src_aws_service, 'AMAZON');
    assert.equal(r.pkt_dst_aws_service, 'CLOUDFRONT');
    assert.equal(r.flow_direction, 'ingress');
    assert.equal(r.traffic_path, 1);
  });

  test('40 fields header-less: v2..v5 + ECS (v7) + reject-reason (v8)', async () => {
    const line =
      '3 000011112222 - 2001:db8::5 192.0.2.1 42910 80 17 51 33615 1755678754 1755678775 REJECT NODATA - - - - - - - - - - - - - ingress - arn:aws:ecs:us-east-1:000011112222:cluster/api api arn:aws:ecs:us-east-1:000011112222:container-instance/api/0f1e2d3c api-ci-1 c0ffee01-aaa c0ffee02-bbb billing arn:aws:ecs:us-east-1:000011112222:task-definition/billing:7 arn:aws:ecs:us-east-1:000011112222:task/api/9a8b7c6d 9a8b7c6d BPA';
    const { rows, layout, rejects } = await importLines([line]);
    assert.equal(layout.name, 'v8 all fields');
    assert.equal(rejects.length, 0);
    const r = rows[0];
    assert.equal(r.interface_id, null);
    assert.equal(r.srcaddr, '2001:db8::5');
    assert.equal(r.log_status, 'NODATA');
    assert.equal(r.flow_direction, 'ingress');
    assert.equal(r.traffic_path, null);
    assert.equal(r.ecs_cluster_arn, 'arn:aws:ecs:us-east-1:000011112222:cluster/api');
    assert.equal(r.ecs_cluster_name, 'api');
    assert.equal(r.ecs_service_name, 'billing');
    assert.equal(r.ecs_task_id, '9a8b7c6d');
    assert.equal(r.reject_reason, 'BPA');
  });

  test('Transit Gateway 36-field default, recognised by its tgw- ids whatever the version says', async () => {
    const line = (status: string, lost: string) =>
      `3 - 444455556666 tgw-0123456789abcdef0 tgw-attach-0aaa1111 - - vpc-0aaa1111 vpc-0bbb2222 - - eni-0ccc3333dddd4444e eni-0ddd4444eeee5555f - - - 198.51.100.23 2001:db8:cf40:: 39464 22 6 49 8947 1755592533 1755592558 ${status} - ${lost} - - - - - ingress - -`;
    const { rows, layout, rejects } = await importLines([line('OK', '3'), line('SKIPDATA', '-')]);
    assert.equal(layout.name, 'transit gateway default');
    assert.equal(rejects.length, 0);
    const r = rows[0];
    assert.equal(r.version, 3);
    assert.equal(r.resource_type, null);
    assert.equal(r.account_id, '444455556666');
    assert.equal(r.tgw_id, 'tgw-0123456789abcdef0');
    assert.equal(r.tgw_attachment_id, 'tgw-attach-0aaa1111');
    assert.equal(r.tgw_src_vpc_id, 'vpc-0aaa1111');
    assert.equal(r.tgw_dst_eni, 'eni-0ddd4444eeee5555f');
    assert.equal(r.dstaddr, '2001:db8:cf40::');
    assert.equal(r.bytes, 8947);
    assert.equal(r.log_status, 'OK');
    assert.equal(r.packets_lost_no_route, 3);
    assert.equal(r.flow_direction, 'ingress');
    assert.equal(rows[1].log_status, 'SKIPDATA');
    assert.equal(rows[1].packets_lost_no_route, null);
  });

  test('36 fields without tgw- ids is not taken for Transit Gateway', () => {
    const line = Array.from({ length: 36 }, (_, i) => (i === 2 ? 'eni-0abc0abc0abc0abc0' : i === 0 ? '2' : '-')).join(' ');
    const d = detectVpcLayout([line]);
    assert.ok(d && 'error' in d);
  });

  test('runs of blanks separate fields (doubled space, tab, CR)', async () => {
    const doubled = v3Line('43638', '19').replace(' 8443 ', '  8443 ');
    const tabbed = v3Line('43639', '3').replace(' 8443 ', '\t8443 ');
    const cr = `${v3Line('43640', '1')}\r`;
    const { rows, rejects } = await importLines([V3_HEADER, doubled, tabbed, cr]);
    assert.equal(rejects.length, 0);
    assert.deepEqual(rows.map((r) => [r.srcport, r.dstport, r.tcp_flags, r.log_status]), [
      [43638, 8443, 19, 'OK'],
      [43639, 8443, 3, 'OK'],
      [43640, 8443, 1, 'OK'],
    ]);
    assert.equal(rows[0].raw, doubled, 'raw keeps the line exactly');
  });

  test('a line with the wrong field count is rejected with its line number', async () => {
    const lines = [V3_HEADER, v3Line('39812', '3'), '...', v3Line('39813', '19').split(' ').slice(0, 17).join(' ')];
    const { rows, rejects } = await importLines(lines);
    assert.deepEqual(rows.map((r) => r.record_index), [2]);
    assert.deepEqual(
      rejects.map((r) => [r.position, r.position_kind, r.reason, r.excerpt]),
      [
        [3, 'line', '1 fields, layout has 21', '...'],
        [4, 'line', '17 fields, layout has 21', lines[3]],
      ],
    );
  });

  test('an integer that does not cast exactly is rejected, never nulled or rounded', async () => {
    const lines = [
      V2_ACCEPT.replace(' 51012 ', ' abc '),
      V2_ACCEPT.replace(' 51012 ', ' 1.5 '),
      V2_ACCEPT.replace(' 51012 ', ' 99999999999 '),
      V2_ACCEPT.replace(' 3301 ', ' 1e3 '),
      V2_ACCEPT.replace(' 1600000000 ', ' 99999999999999 '),
      V2_ACCEPT.replace(' 1600000060 ', ' soon '),
      V2_ACCEPT.replace(' 51012 ', ' 051012 '),
      // Good records outnumber bad ones among the first lines, so the layout is still recognised.
      ...Array.from({ length: 7 }, () => V2_ACCEPT),
    ];
    const { rows, rejects } = await importLines(lines);
    assert.deepEqual(rows.map((r) => [r.record_index, r.srcport]), [7, 8, 9, 10, 11, 12, 13, 14].map((i) => [i, 51012]));
    assert.deepEqual(
      rejects.map((r) => [r.position, r.reason]),
      [
        [1, "field 6 (srcport) is not an integer: 'abc'"],
        [2, "field 6 (srcport) is not an integer: '1.5'"],
        [3, "field 6 (srcport) is out of range for INTEGER: '99999999999'"],
        [4, "field 10 (bytes) is not an integer: '1e3'"],
        [5, "field 11 (start) is out of range for epoch seconds: '99999999999999'"],
        [6, "field 12 (end) is not epoch seconds: 'soon'"],
      ],
    );
    assert.equal(rejects[0].excerpt, lines[0]);
  });

  test('a given layout without timestamps: event_time stays null', async () => {
    const { rows, result, layout } = await importLines(
      ['- eni-0aa0aa0aa0aa0aa0a 10.0.1.5 10.0.0.220 10.0.1.5 198.51.100.9', 'i-0b1b1b1b1b1b1b1b1 eni-0bb0bb0bb0bb0bb0b 10.0.1.5 198.51.100.9 10.0.1.5 198.51.100.9'],
      [NAT_LAYOUT],
    );
    assert.equal(layout.name, 'custom (6 fields, given)');
    assert.deepEqual(rows.map((r) => [r.instance_id, r.pkt_dstaddr, r.event_time, r.version]), [
      [null, '198.51.100.9', null, null],
      ['i-0b1b1b1b1b1b1b1b1', '198.51.100.9', null, null],
    ]);
    assert.equal(result.firstEventTime, null);
    assert.equal(result.lastEventTime, null);
  });

  test('only the given file is parsed when several are staged', async () => {
    const other = nextSourceId++;
    await stageLines(store.conn, [{ sourceFileId: other, recordIndex: 1, line: V2_REJECT }]);
    const { rows } = await importLines([V2_ACCEPT]);
    assert.equal(rows.length, 1);
    const stray = await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM vpc_flow WHERE source_file_id = $id`, { id: other });
    assert.equal(stray?.n, 0);
  });
});

describe('importVpcFlowParquet', () => {
  test('maps underscored columns by name; row number is record_index; raw is the row as JSON', async () => {
    const file = path.join(dir, 'flow.parquet');
    await store.run(
      `COPY (
         SELECT * FROM (VALUES
           (2, '210987654321', 'eni-0a1b2c3d4e5f60718', '10.1.2.3', '10.1.9.8', 51012, 22, 6, 12::BIGINT, 3301::BIGINT,
            1600000000::BIGINT, 1600000060::BIGINT, 'ACCEPT', 'OK', 'egress', 'kept'),
           (2, '210987654321', 'eni-0a1b2c3d4e5f60718', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            1600000100::BIGINT, 1600000160::BIGINT, NULL, 'NODATA', NULL, 'kept too')
         ) AS t("version", account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
                "start", "end", "action", log_status, flow_direction, delivery_note)
       ) TO ${sqlString(file)} (FORMAT parquet)`,
    );
    const id = nextSourceId++;
    const result = await importVpcFlowParquet(store.conn, file, id);
    assert.deepEqual(result.imported, { vpc_flow: 2 });
    assert.equal(result.rejected, 0);
    assert.equal(result.format, 'parquet (15 fields, 1 other columns in raw)');
    assert.equal(result.firstEventTime, '2020-09-13T12:26:40.000Z');
    assert.equal(result.lastEventTime, '2020-09-13T12:28:20.000Z');
    const rows = await rowsJson(`SELECT * FROM vpc_flow WHERE source_file_id = $id ORDER BY record_index`, id);
    assert.deepEqual(rows.map((r) => r.record_index), [1, 2]);
    assert.equal(rows[0].srcport, 51012);
    assert.equal(rows[0].flow_direction, 'egress');
    assert.equal(rows[0].layout, result.format);
    assert.equal(rows[1].log_status, 'NODATA');
    assert.equal(rows[1].srcaddr, null);
    const raw = JSON.parse(String(rows[0].raw));
    assert.equal(raw.interface_id, 'eni-0a1b2c3d4e5f60718');
    assert.equal(raw.start, 1600000000);
    assert.equal(raw.delivery_note, 'kept');
    const times = await store.one<{ s: string }>(
      `SELECT epoch(event_time)::BIGINT::VARCHAR AS s FROM vpc_flow WHERE source_file_id = $id AND record_index = 2`,
      { id },
    );
    assert.equal(times?.s, '1600000100');
  });

  test('text-typed Parquet columns follow the text rules and bad values are rejected', async () => {
    const file = path.join(dir, 'flow-text.parquet');
    await store.run(
      `COPY (
         SELECT * FROM (VALUES
           ('2', 'eni-0a1b2c3d4e5f60718', '443', '1600000000', 'OK'),
           ('2', 'eni-0a1b2c3d4e5f60718', 'x443', '1600000000', 'OK'),
           ('2', 'eni-0a1b2c3d4e5f60718', '-', '-', 'NODATA')
         ) AS t("version", interface_id, srcport, "start", log_status)
       ) TO ${sqlString(file)} (FORMAT parquet)`,
    );
    const id = nextSourceId++;
    const result = await importVpcFlowParquet(store.conn, file, id);
    assert.deepEqual(result.imported, { vpc_flow: 2 });
    assert.equal(result.rejected, 1);
    const rows = await rowsJson(`SELECT record_index, srcport, start_time FROM vpc_flow WHERE source_file_id = $id ORDER BY record_index`, id);
    assert.deepEqual(rows.map((r) => [r.record_index, r.srcport]), [
      [1, 443],
      [3, null],
    ]);
    const rejects = await rowsJson(`SELECT position, reason FROM rejects WHERE source_file_id = $id`, id);
    assert.deepEqual(rejects, [{ position: 2, reason: "column srcport is not an integer: 'x443'" }]);
  });

  test('Parquet timestamps without zone are read as UTC', async () => {
    const file = path.join(dir, 'flow-ts.parquet');
    await store.run(
      `COPY (SELECT 'eni-0a1b2c3d4e5f60718' AS interface_id, TIMESTAMP '2020-09-13 12:26:40' AS "start", 'OK' AS log_status)
       TO ${sqlString(file)} (FORMAT parquet)`,
    );
    const result = await importVpcFlowParquet(store.conn, file, nextSourceId++);
    assert.equal(result.firstEventTime, '2020-09-13T12:26:40.000Z');
  });

  test('a Parquet file with no VPC columns is refused', async () => {
    const file = path.join(dir, 'other.parquet');
    await store.run(`COPY (SELECT 1 AS a, 'b' AS b) TO ${sqlString(file)} (FORMAT parquet)`);
    await assert.rejects(importVpcFlowParquet(store.conn, file, nextSourceId++), /no VPC flow log columns/);
  });
});
