import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { importPaths } from '../../../analyzers/importers/importRun';
import { queryEvents, countEvents } from '../../../analyzers/timeline/eventsQuery';
import { histogram, bucketSize } from '../../../analyzers/timeline/histogram';
import { coverage } from '../../../analyzers/timeline/coverage';
import { entityProfile } from '../../../analyzers/entities/entityProfile';
import { exportEvents, exportTimelineItems } from '../../../analyzers/timeline/exports';
import { addNote, listItems, pinEvent, removeItem, updateItem } from '../../../analyzers/timeline/incidentTimeline';
import { withCase, writeFiles } from '../../helpers/tempCase';

const ATTACKER = '198.51.100.23';
const ct = (i: number, time: string, name: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08', eventTime: time, eventSource: name === 'StopLogging' || name === 'StartLogging' ? 'cloudtrail.amazonaws.com' : 'iam.amazonaws.com', eventName: name,
  awsRegion: 'us-east-1', sourceIPAddress: ATTACKER, userAgent: 'aws-cli/2.15.0',
  userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/web-role/i-0abc1234def567890', accountId: '111122223333', accessKeyId: 'ASIAATTACKER0000001', principalId: 'AROA:i-0abc1234def567890' },
  recipientAccountId: '111122223333', eventID: `ct-${i}`, ...extra,
});
const alb = (time: string, url: string, status: number, ua: string) =>
  `http ${time} app/web/50dc6c495c0c9188 ${ATTACKER}:40001 10.0.1.15:80 0.000 0.001 0.000 ${status} ${status} 120 512 "GET ${url} HTTP/1.1" "${ua}" - - arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/73e2d6bc24d8a067 "Root=1-65e1a2b3-0123456789abcdef01234567" "-" "-" 0 ${time} "forward" "-" "-" "10.0.1.15:80" "${status}" "-" "-"`;
const flow = (start: number, dst: string, bytes: number) => `2 111122223333 eni-0a1b2c3d4e5f60718 10.0.1.15 ${dst} 443 51515 6 40 ${bytes} ${start} ${start + 60} ACCEPT OK`;
const s3 = (time: string, key: string) => `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be corp-data [${time}] ${ATTACKER} arn:aws:sts::111122223333:assumed-role/web-role/i-0abc1234def567890 3E57427F33A59F07 REST.GET.OBJECT ${key} "GET /corp-data/${key} HTTP/1.1" 200 - 52428 52428 45 44 "-" "aws-cli/2.15.0" - Ow3zjzqkEGrU5Uhd0Y1ZX/ZC7Lq2vgwA5yB9w8xqKvUgf4+Tzz8VDSmS0fhP3tV3fHSHGmj+sQo= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader corp-data.s3.us-east-1.amazonaws.com TLSv1.2 - -`;

async function story(dir: string): Promise<void> {
  writeFiles(dir, {
    'logs/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02/a.json': JSON.stringify({ Records: [
      ct(1, '2024-03-02T02:20:00Z', 'GetCallerIdentity', { eventSource: 'sts.amazonaws.com' }),
      ct(2, '2024-03-02T02:25:00Z', 'CreateUser', { requestParameters: { userName: 'backdoor' } }),
      ct(3, '2024-03-02T02:30:00Z', 'StopLogging', { requestParameters: { name: 'main-trail' } }),
      ct(6, '2024-03-02T02:26:00Z', 'AttachUserPolicy', { errorCode: 'AccessDenied', errorMessage: 'denied' }),
    ] }),
    'logs/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02/b.json': JSON.stringify({ Records: [
      ct(4, '2024-03-02T06:40:00Z', 'StartLogging', { requestParameters: { name: 'main-trail' } }),
      ct(5, '2024-03-02T06:45:00Z', 'ListUsers'),
    ] }),
    'logs/AWSLogs/111122223333/elasticloadbalancing/us-east-1/2024/03/02/alb.log': [
      alb('2024-03-02T02:10:00.100000Z', 'http://web.example.com:80/../../etc/passwd', 404, 'sqlmap/1.7'),
      alb('2024-03-02T02:12:00.200000Z', 'http://web.example.com:80/fetch?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/web-role', 200, '<script>alert(1)</script>'),
    ].join('\n'),
    'logs/AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/02/flow.log': [flow(1709346600, ATTACKER, 734003200), flow(1709346660, '10.0.2.9', 4000)].join('\n'),
    'logs/s3-access/2024-03-02-02-50-00-ABCDEF0123456789': [s3('02/Mar/2024:02:50:00 +0000', 'reports/q1.pdf'), s3('02/Mar/2024:02:50:05 +0000', 'reports/q2.pdf')].join('\n'),
  });
}

test('the attacker IP has one story across every source, in time order', async () => {
  await withCase(async (store, dir) => {
    await story(dir);
    const s = await importPaths(store, [path.join(dir, 'logs')]);
    assert.equal(s.rejected, 0);
    const page = await queryEvents(store, { entities: [{ kind: 'ip', value: ATTACKER }] });
    assert.deepEqual(page.rows.map((e) => [e.time, e.source]), [
      ['2024-03-02T02:10:00.1Z', 'elb'],
      ['2024-03-02T02:12:00.2Z', 'elb'],
      ['2024-03-02T02:20:00Z', 'cloudtrail'],
      ['2024-03-02T02:25:00Z', 'cloudtrail'],
      ['2024-03-02T02:26:00Z', 'cloudtrail'],
      ['2024-03-02T02:30:00Z', 'cloudtrail'],
      ['2024-03-02T02:30:00Z', 'vpc_flow'],
      ['2024-03-02T02:50:00Z', 's3_access'],
      ['2024-03-02T02:50:05Z', 's3_access'],
      ['2024-03-02T06:40:00Z', 'cloudtrail'],
      ['2024-03-02T06:45:00Z', 'cloudtrail'],
    ]);
    const denied = page.rows.find((e) => e.action === 'iam.amazonaws.com:AttachUserPolicy')!;
    assert.equal(denied.outcome, 'denied');
    assert.equal(page.rows.find((e) => e.action === 'iam.amazonaws.com:CreateUser')!.target, 'backdoor');
    // Paging from a cursor continues where the last page ended.
    const p1 = await queryEvents(store, { entities: [{ kind: 'ip', value: ATTACKER }] }, { limit: 4 });
    const p2 = await queryEvents(store, { entities: [{ kind: 'ip', value: ATTACKER }] }, { limit: 4, cursor: p1.nextCursor! });
    assert.deepEqual([...p1.rows, ...p2.rows].map((e) => e.time), page.rows.slice(0, 8).map((e) => e.time));
    assert.equal(await countEvents(store, { sources: ['cloudtrail'], from: '2024-03-02T02:00:00Z', to: '2024-03-02T03:00:00Z' }), 4);
    assert.equal(await countEvents(store, { text: 'passwd' }), 1);
  });
});

test('entity profile: access key -> principal -> IPs -> ELB and flows', async () => {
  await withCase(async (store, dir) => {
    await story(dir);
    await importPaths(store, [path.join(dir, 'logs')]);
    const p = await entityProfile(store, { kind: 'access_key', value: 'ASIAATTACKER0000001' });
    assert.equal(p.total, 6);
    assert.equal(p.firstSeen, '2024-03-02T02:20:00Z');
    assert.deepEqual(p.related.principals.map((x) => x.value), ['arn:aws:sts::111122223333:assumed-role/web-role/i-0abc1234def567890']);
    assert.deepEqual(p.related.instances.map((x) => x.value), ['i-0abc1234def567890']);
    assert.ok(Math.abs(p.errorRate - 1 / 6) < 1e-9);
    const hop = p.ipActivity.find((a) => a.ip === ATTACKER)!;
    assert.deepEqual([hop.cloudtrail, hop.elb, hop.vpc_flow, hop.s3_access], [6, 2, 1, 2]);
    const ip = await entityProfile(store, { kind: 'ip', value: ATTACKER });
    assert.deepEqual(ip.bySource.map((s) => [s.source, s.count]).sort(), [['cloudtrail', 6], ['elb', 2], ['s3_access', 2], ['vpc_flow', 1]]);
    assert.ok(ip.related.enis.some((e) => e.value === 'eni-0a1b2c3d4e5f60718'));
  });
});

test('histogram buckets, coverage gaps lined up with StopLogging', async () => {
  await withCase(async (store, dir) => {
    await story(dir);
    await importPaths(store, [path.join(dir, 'logs')]);
    assert.equal(bucketSize(3600, 120), 30);
    assert.equal(bucketSize(86400 * 2, 120), 1800);
    const h = await histogram(store, {}, 60);
    assert.equal(h.total, 12);
    assert.equal(h.series.cloudtrail.reduce((a, b) => a + b, 0), 6);
    assert.equal(h.buckets.length, h.series.cloudtrail.length);
    const c = await coverage(store, { bucketMinutes: 60 });
    const ctGap = c.gaps.find((g) => g.source === 'cloudtrail')!;
    assert.equal(ctGap.account, '111122223333');
    assert.equal(ctGap.region, 'us-east-1');
    assert.equal(ctGap.from, '2024-03-02T03:00:00Z');
    assert.equal(ctGap.to, '2024-03-02T06:00:00Z');
    assert.deepEqual(ctGap.explanations.map((e) => e.event), ['StopLogging', 'StartLogging']);
    const vpc = c.series.find((s) => s.source === 'vpc_flow')!;
    assert.equal(vpc.region, 'us-east-1', 'region from the AWSLogs path when the record has none');
  });
});

test('incident timeline: pin, annotate, note, export as Timesketch; events export', async () => {
  await withCase(async (store, dir) => {
    await story(dir);
    await importPaths(store, [path.join(dir, 'logs')]);
    const stop = (await queryEvents(store, { text: 'StopLogging' })).rows[0];
    const item = await pinEvent(store, { tbl: stop.tbl, source_file_id: stop.source_file_id, record_index: stop.record_index }, { note: 'trail stopped', tags: ['evasion'] });
    await updateItem(store, item.item_id, { note: 'trail stopped by the stolen role', tags: ['evasion', 'T1562.008'] });
    const n = await addNote(store, '2024-03-02T02:15:00Z', 'credentials stolen through SSRF');
    const items = await listItems(store);
    assert.deepEqual(items.map((i) => [i.time, i.kind]), [['2024-03-02T02:15:00Z', 'note'], ['2024-03-02T02:30:00Z', 'event']]);
    assert.deepEqual(items[1].tags, ['evasion', 'T1562.008']);
    const sink = new PassThrough();
    let text = '';
    sink.on('data', (c) => (text += c));
    await exportTimelineItems(store, items, 'timesketch', sink);
    const ts = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(ts[1].timestamp_desc, 'Event Time');
    assert.equal(ts[1].note, 'trail stopped by the stolen role');
    await removeItem(store, n.item_id);
    assert.equal((await listItems(store)).length, 1);

    const file = path.join(dir, 'story.jsonl');
    const written = await exportEvents(store, { entities: [{ kind: 'ip', value: ATTACKER }] }, 'timesketch', file);
    assert.equal(written, 11);
    const first = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]) as Record<string, unknown>;
    assert.deepEqual([first.datetime, first.timestamp_desc, first.source_ip], ['2024-03-02T02:10:00.1Z', 'Response Sent', ATTACKER]);
    assert.match(String(first.message), /etc\/passwd/);
    const pq = path.join(dir, 'story.parquet');
    assert.equal(await exportEvents(store, { entities: [{ kind: 'ip', value: ATTACKER }] }, 'parquet', pq), 11);
    const csvFile = path.join(dir, 'story.csv');
    await exportEvents(store, { sources: ['elb'] }, 'csv', csvFile);
    assert.match(fs.readFileSync(csvFile, 'utf8'), /<script>alert\(1\)<\/script>/);
  });
});
