import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { importPaths } from '../../../analyzers/importers/importRun';
import { withCase, writeFiles } from '../../helpers/tempCase';

function ctEvent(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:i-0abc1234',
      arn: 'arn:aws:sts::111122223333:assumed-role/web-role/i-0abc1234',
      accountId: '011122223333',
      accessKeyId: 'ASIAEXAMPLE0000001',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::111122223333:role/web-role', accountId: '111122223333', userName: 'web-role' },
        attributes: { creationDate: '2024-03-01T10:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: `2024-03-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: '<script>alert(1)</script>',
    requestParameters: { bucketName: 'b', note: '\u003cx\u003e' },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `evt-${i}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '011122223333',
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 's3.amazonaws.com' },
    ...extra,
  };
}

const gz = (s: string | Buffer) => zlib.gzipSync(s);

test('CloudTrail S3 files: typed columns, byte-exact raw, provenance, sources row', async () => {
  await withCase(async (store, dir) => {
    // Hand-written JSON with an escape DuckDB would re-serialise differently: raw must keep it as written.
    const rec0 = JSON.stringify(ctEvent(0)).replace('"note":"<x>"', '"note":"\\u003cx\\u003e"');
    const body = `{"Records":[${rec0},${JSON.stringify(ctEvent(1, { errorCode: 'AccessDenied', errorMessage: 'no', readOnly: false }))}]}`;
    writeFiles(dir, { 'in/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/a.json.gz': gz(body) });
    const s = await importPaths(store, [path.join(dir, 'in')]);
    assert.equal(s.records.cloudtrail, 2);
    assert.equal(s.rejected, 0);
    const rows = await store.all<Record<string, unknown>>(`SELECT *, iso(event_time) AS t FROM cloudtrail ORDER BY record_index`);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].raw, rec0, 'raw is the exact bytes of the record');
    assert.equal(rows[0].record_index, 0n);
    assert.equal(rows[0].t, '2024-03-01T10:00:00Z');
    assert.equal(rows[0].account_id, '011122223333', 'account ids keep leading zeros');
    assert.equal(rows[0].session_name, 'i-0abc1234');
    assert.equal(rows[0].session_issuer_arn, 'arn:aws:iam::111122223333:role/web-role');
    assert.equal(rows[0].mfa_authenticated, false);
    assert.equal(rows[0].read_only, true);
    assert.equal(rows[0].tls_version, 'TLSv1.3');
    assert.equal(rows[0].user_agent, '<script>alert(1)</script>');
    assert.equal(rows[1].error_code, 'AccessDenied');
    assert.equal(rows[1].read_only, false);
    const src = await store.all<Record<string, unknown>>(`SELECT * FROM sources`);
    assert.equal(src.length, 1);
    assert.equal(src[0].path, 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/a.json.gz');
    assert.equal(src[0].kind, 'cloudtrail');
    assert.equal(src[0].container, 'gzip');
    assert.equal(src[0].records_imported, 2n);
    const onDisk = fs.readFileSync(path.join(dir, 'in/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/a.json.gz'));
    assert.equal(src[0].sha256, crypto.createHash('sha256').update(onDisk).digest('hex'), 'hash of the bytes as received');
    assert.equal(src[0].content_sha256, crypto.createHash('sha256').update(body).digest('hex'));
  });
});

test('every CloudTrail container: pretty, array, NDJSON, Event history, CloudWatch envelope and export, digest', async () => {
  await withCase(async (store, dir) => {
    const lookup = { Events: [{ EventId: 'x', EventTime: '2021-11-18T09:41:02-08:00', CloudTrailEvent: JSON.stringify(ctEvent(10)) }] };
    const cwl = {
      messageType: 'DATA_MESSAGE', owner: '111122223333', logGroup: 'aws-cloudtrail', logStream: 's', subscriptionFilters: ['f'],
      logEvents: [{ id: '1', timestamp: 1709287200000, message: JSON.stringify(ctEvent(11)) }, { id: '2', timestamp: 1709287200000, message: 'some_message' }],
    };
    const digest = { awsAccountId: '111122223333', digestStartTime: '2024-03-01T10:00:00Z', digestEndTime: '2024-03-01T11:00:00Z', digestS3Bucket: 'b', digestS3Object: 'k', digestPublicKeyFingerprint: 'f', digestSignatureAlgorithm: 'SHA256withRSA', newestEventTime: null, oldestEventTime: null, previousDigestS3Bucket: null, previousDigestS3Object: null, previousDigestHashValue: null, previousDigestHashAlgorithm: null, previousDigestSignature: null, logFiles: [] };
    writeFiles(dir, {
      'pretty.json': JSON.stringify({ Records: [ctEvent(2)] }, null, 2),
      'array.json': JSON.stringify([ctEvent(3), ctEvent(4)]),
      'events.ndjson': `${JSON.stringify(ctEvent(5))}\n\n${JSON.stringify(ctEvent(6))}\n`,
      'lookup.json': JSON.stringify(lookup, null, 4),
      'cwl.json': JSON.stringify(cwl),
      'export.log': `2024-03-01T10:00:00.000Z ${JSON.stringify(ctEvent(12))}\n2024-03-01T10:00:01.000Z ${JSON.stringify(ctEvent(13))}\n`,
      'digest.json.gz': gz(JSON.stringify(digest)),
    });
    await importPaths(store, [dir]);
    const src = await store.all<{ path: string; kind: string; format: string; records_imported: bigint }>(`SELECT path, kind, format, records_imported FROM sources ORDER BY path`);
    const by = Object.fromEntries(src.map((r) => [r.path, r]));
    assert.equal(by['pretty.json'].records_imported, 1n);
    assert.equal(by['array.json'].records_imported, 2n);
    assert.equal(by['events.ndjson'].records_imported, 2n);
    assert.equal(by['lookup.json'].records_imported, 1n);
    assert.equal(by['lookup.json'].format, 'lookup-events');
    assert.equal(by['cwl.json'].records_imported, 2n);
    assert.equal(by['export.log'].records_imported, 2n);
    assert.equal(by['digest.json.gz'].kind, 'cloudtrail-digest');
    const nd = await store.all<{ record_index: bigint }>(`SELECT record_index FROM cloudtrail c JOIN sources s USING (source_file_id) WHERE s.path = 'events.ndjson' ORDER BY 1`);
    assert.deepEqual(nd.map((r) => r.record_index), [1n, 3n], 'NDJSON positions are line numbers');
    const pretty = await store.one<{ raw: string }>(`SELECT raw FROM cloudtrail c JOIN sources s USING (source_file_id) WHERE s.path = 'pretty.json'`);
    assert.equal(pretty!.raw, JSON.stringify(ctEvent(2), null, 2).split('\n').map((l, i) => (i === 0 ? l : `    ${l}`)).join('\n'), 'pretty-printed raw kept as written');
    const lk = await store.one<{ raw: string; t: string }>(`SELECT raw, iso(event_time) AS t FROM cloudtrail c JOIN sources s USING (source_file_id) WHERE s.path = 'lookup.json'`);
    assert.equal(lk!.raw, JSON.stringify(ctEvent(10)), 'event history: the decoded CloudTrailEvent string');
    assert.equal(lk!.t, '2024-03-01T10:10:00Z', 'the inner eventTime, not the outer EventTime');
    const other = await store.all<{ kind: string; raw: string }>(`SELECT kind, raw FROM other_records`);
    assert.deepEqual(other, [{ kind: 'cloudwatch', raw: 'some_message' }]);
    const d = await store.one<{ n: bigint; c: string }>(`SELECT count(*) AS n, any_value(content_sha256) AS c FROM digests`);
    assert.equal(d!.n, 1n);
    assert.equal(d!.c, crypto.createHash('sha256').update(JSON.stringify(digest)).digest('hex'));
  });
});

test('re-importing adds nothing; the same event in two files is stored once with both places kept', async () => {
  await withCase(async (store, dir) => {
    writeFiles(dir, {
      'a/one.json': JSON.stringify({ Records: [ctEvent(1), ctEvent(2)] }),
      'b/two.json': JSON.stringify({ Records: [ctEvent(2), ctEvent(3)] }, null, 1),
      // Same eventID, different content: both are records.
      'c/same-id.ndjson': `${JSON.stringify(ctEvent(7))}\n${JSON.stringify(ctEvent(7, { eventName: 'ConsoleLogin' }))}\n`,
    });
    await importPaths(store, [dir]);
    const again = await importPaths(store, [dir]);
    assert.equal(again.skippedFiles, 3);
    assert.equal(Object.values(again.records).reduce((a, b) => a + b, 0), 0);
    const n = await store.one<{ n: bigint }>(`SELECT count(*) AS n FROM cloudtrail`);
    assert.equal(n!.n, 5n);
    const links = await store.all<Record<string, unknown>>(`SELECT event_id, record_index, kept_record_index FROM record_links`);
    assert.deepEqual(links, [{ event_id: 'evt-2', record_index: 0n, kept_record_index: 1n }]);
    const src = await store.all<{ path: string; records_duplicate: bigint }>(`SELECT path, records_duplicate FROM sources ORDER BY path`);
    assert.equal(src.length, 3, 'a second import of the same files adds no sources rows');
    assert.equal(src.find((s) => s.path === 'b/two.json')!.records_duplicate, 1n);
  });
});

test('bad input: truncated gzip, malformed JSON, binary, unknown format, bad NDJSON line, huge record', async () => {
  await withCase(async (store, dir) => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify(ctEvent(i))).join('\n');
    const full = gz(lines);
    const big = ctEvent(99, { requestParameters: { blob: 'x'.repeat(40 * 1024 * 1024) } });
    writeFiles(dir, {
      'truncated.json.gz': full.subarray(0, Math.floor(full.length * 0.6)),
      'malformed.json': '{"Records":[{"eventVersion":"1.08"} {"eventVersion":"1.08"}]}',
      'binary.bin': crypto.randomBytes(4096),
      'notes.txt': 'hello, this is not a log\nsecond line\n',
      'badline.ndjson': `${JSON.stringify(ctEvent(1))}\n{"eventVersion": oops}\n${JSON.stringify(ctEvent(2))}\n`,
      'big.json': JSON.stringify({ Records: [big] }),
    });
    const s = await importPaths(store, [dir]);
    const src = await store.all<{ path: string; status: string; records_imported: bigint; records_rejected: bigint; message: string | null }>(`SELECT path, status, records_imported, records_rejected, message FROM sources ORDER BY path`);
    const by = Object.fromEntries(src.map((r) => [r.path, r]));
    assert.equal(by['truncated.json.gz'].status, 'partial');
    assert.ok(by['truncated.json.gz'].records_imported > 50n, 'records before the damage are kept');
    assert.equal(by['malformed.json'].status, 'rejected');
    assert.match(by['malformed.json'].message ?? '', /Expected ','/);
    assert.equal(by['binary.bin'].status, 'rejected');
    assert.match(by['binary.bin'].message ?? '', /binary/);
    assert.equal(by['notes.txt'].status, 'rejected');
    assert.match(by['notes.txt'].message ?? '', /unrecognised format/);
    assert.equal(by['badline.ndjson'].records_imported, 2n);
    assert.equal(by['badline.ndjson'].records_rejected, 1n);
    assert.equal(by['big.json'].records_imported, 1n);
    const rej = await store.all<{ path: string; position: bigint; position_kind: string; reason: string }>(`SELECT s.path, position, position_kind, reason FROM rejects JOIN sources s USING (source_file_id) ORDER BY 1, 2`);
    const bad = rej.find((r) => r.path === 'badline.ndjson')!;
    assert.equal(bad.position, 2n);
    assert.equal(bad.position_kind, 'line');
    assert.match(bad.reason, /invalid JSON/);
    assert.ok(rej.some((r) => r.path === 'truncated.json.gz' && /gzip/.test(r.reason)));
    assert.ok(s.rejectedFiles >= 3);
    const bigRaw = await store.one<{ n: bigint }>(`SELECT length(raw) AS n FROM cloudtrail WHERE event_id = 'evt-99'`);
    assert.ok(Number(bigRaw!.n) > 40 * 1024 * 1024);
  });
});

test('archives: zip and tar.gz members are imported with archive!/member paths', async () => {
  await withCase(async (store, dir) => {
    writeFiles(dir, {
      'src/AWSLogs/1/CloudTrail/us-east-1/2024/03/01/x.json.gz': gz(JSON.stringify({ Records: [ctEvent(1)] })),
      'src/AWSLogs/1/CloudTrail/us-east-1/2024/03/01/y.json': JSON.stringify({ Records: [ctEvent(2), ctEvent(3)] }),
    });
    fs.mkdirSync(path.join(dir, 'in'));
    execFileSync('tar', ['-czf', path.join(dir, 'in/logs.tar.gz'), '-C', path.join(dir, 'src'), 'AWSLogs']);
    execFileSync('python3', ['-c', `import shutil; shutil.make_archive(${JSON.stringify(path.join(dir, 'in/logs'))}, 'zip', ${JSON.stringify(path.join(dir, 'src'))})`]);
    await importPaths(store, [path.join(dir, 'in')]);
    const src = await store.all<{ path: string; kind: string; records_imported: bigint }>(`SELECT path, kind, records_imported FROM sources ORDER BY path`);
    assert.deepEqual(
      src.map((r) => [r.path, r.kind]),
      [
        ['logs.tar.gz', 'archive'],
        ['logs.tar.gz!/AWSLogs/1/CloudTrail/us-east-1/2024/03/01/x.json.gz', 'cloudtrail'],
        ['logs.tar.gz!/AWSLogs/1/CloudTrail/us-east-1/2024/03/01/y.json', 'cloudtrail'],
        ['logs.zip', 'archive'],
        ['logs.zip!/AWSLogs/1/CloudTrail/us-east-1/2024/03/01/x.json.gz', 'duplicate'],
        ['logs.zip!/AWSLogs/1/CloudTrail/us-east-1/2024/03/01/y.json', 'duplicate'],
      ],
    );
    const n = await store.one<{ n: bigint }>(`SELECT count(*) AS n FROM cloudtrail`);
    assert.equal(n!.n, 3n);
  });
});
