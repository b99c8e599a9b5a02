import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { generateSampleLogs, newSigningKey } from '../../../sample-logs/generate';
import { digestStringToSign } from '../../../sample-logs/lib/digests';
import { INCIDENT, XSS_IMG, XSS_SCRIPT } from '../../../sample-logs/lib/incidentTimeline';
import { ATTACKER_IP } from '../../../sample-logs/lib/world';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-sample-logs-'));
const dirA = path.join(tmp, 'a');
const dirB = path.join(tmp, 'b');
generateSampleLogs({ outDir: dirA, signingKey: newSigningKey() });
generateSampleLogs({ outDir: dirB, signingKey: newSigningKey() });
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function walk(root: string, dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(root, p) : [path.relative(root, p).split(path.sep).join('/')];
  });
}

const files = walk(dirA).sort();
const read = (rel: string): Buffer => fs.readFileSync(path.join(dirA, rel));
const text = (rel: string): string => (rel.endsWith('.gz') ? zlib.gunzipSync(read(rel)) : read(rel)).toString('utf8');
const isDigest = (rel: string): boolean => rel.includes('/CloudTrail-Digest/');
const of = (part: string): string[] => files.filter((f) => f.includes(part));

/** Split a space-separated log line, keeping "quoted" and [bracketed] fields whole. */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    const close = line[i] === '"' ? '"' : line[i] === '[' ? ']' : ' ';
    const from = close === ' ' ? i : i + 1;
    let j = line.indexOf(close, from);
    if (j < 0) j = line.length;
    out.push(line.slice(i, close === ' ' ? j : j + 1));
    i = j + 1;
  }
  return out;
}

const lines = (rel: string): string[] => text(rel).split('\n').filter((l) => l !== '');

test('two runs write byte-identical log files; only digests and keys depend on the signing key', () => {
  const other = walk(dirB).sort();
  assert.deepEqual(other, files);
  for (const rel of files) {
    if (isDigest(rel) || rel.startsWith('keys/')) continue;
    assert.ok(read(rel).equals(fs.readFileSync(path.join(dirB, rel))), `${rel} differs between runs`);
  }
});

test('the dataset is small and laid out as AWS delivers to S3', () => {
  const total = files.reduce((s, f) => s + read(f).length, 0);
  assert.ok(total < 5_000_000, `${total} bytes`);
  const patterns: [RegExp, number][] = [
    [/^AWSLogs\/123456789012\/CloudTrail\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/123456789012_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/, 100],
    [/^AWSLogs\/123456789012\/CloudTrail-Digest\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/123456789012_CloudTrail-Digest_[a-z0-9-]+_acme-management-trail_us-east-1_\d{8}T\d{6}Z\.json\.gz$/, 48],
    [/^AWSLogs\/123456789012\/vpcflowlogs\/us-east-1\/\d{4}\/\d{2}\/\d{2}\/123456789012_vpcflowlogs_us-east-1_fl-[0-9a-f]{17}_\d{8}T\d{4}Z_[0-9a-f]{8}\.log\.gz$/, 200],
    [/^AWSLogs\/123456789012\/elasticloadbalancing\/us-east-1\/\d{4}\/\d{2}\/\d{2}\/123456789012_elasticloadbalancing_us-east-1_app\.acme-shop-prod\.6f1e0c2b9d8a7e35_\d{8}T\d{4}Z_[\d.]+_[a-z0-9]{8}\.log\.gz$/, 200],
    [/^s3-access\/[a-z0-9-]+\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/, 10],
    [/^keys\/(list-public-keys|signatures)\.json$/, 2],
  ];
  for (const f of files) assert.ok(patterns.some(([re]) => re.test(f)), `unexpected path ${f}`);
  for (const [re, min] of patterns) assert.ok(files.filter((f) => re.test(f)).length >= min, `fewer than ${min} files match ${re}`);
});

test('CloudTrail log files are {"Records":[...]} with the fields CloudTrail writes', () => {
  let events = 0;
  for (const rel of of('/CloudTrail/')) {
    const doc = JSON.parse(text(rel)) as { Records: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(doc), ['Records']);
    for (const r of doc.Records) {
      events++;
      assert.ok(['1.08', '1.09'].includes(r.eventVersion as string), rel);
      assert.equal(r.recipientAccountId, '123456789012');
      assert.equal(r.eventCategory, 'Management');
      assert.equal(r.managementEvent, true);
      assert.equal(typeof r.readOnly, 'boolean');
      assert.match(r.eventID as string, /^[0-9a-f-]{36}$/);
      const t = Date.parse(r.eventTime as string);
      assert.ok(!(t > INCIDENT.stopLogging && t < INCIDENT.startLogging), `event inside the logging gap in ${rel}`);
    }
  }
  assert.ok(events > 800 && events < 5000, `${events} events`);
});

test('digests list every log file with its SHA-256, chain, and verify with the published key', () => {
  const keys = JSON.parse(text('keys/list-public-keys.json')) as { PublicKeyList: { Value: string; Fingerprint: string }[] };
  const signatures = JSON.parse(text('keys/signatures.json')) as Record<string, string>;
  const der = Buffer.from(keys.PublicKeyList[0].Value, 'base64');
  const publicKey = crypto.createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  assert.equal(keys.PublicKeyList[0].Fingerprint, crypto.createHash('md5').update(der).digest('hex'));

  const sha = (rel: string): string => crypto.createHash('sha256').update(zlib.gunzipSync(read(rel))).digest('hex');
  const listed = new Set<string>();
  let chainStarts = 0;
  for (const rel of of('/CloudTrail-Digest/')) {
    const d = JSON.parse(text(rel)) as Record<string, unknown> & { logFiles: Record<string, string>[] };
    assert.equal(d.digestS3Object, rel);
    assert.equal(d.digestPublicKeyFingerprint, keys.PublicKeyList[0].Fingerprint);
    for (const lf of d.logFiles) {
      assert.ok(files.includes(lf.s3Object), `digest lists missing ${lf.s3Object}`);
      assert.equal(lf.hashValue, sha(lf.s3Object), lf.s3Object);
      assert.equal(lf.hashAlgorithm, 'SHA-256');
      listed.add(lf.s3Object);
    }
    if (d.previousDigestS3Object === null) {
      chainStarts++;
      assert.equal(d.previousDigestSignature, null);
    } else {
      const prev = d.previousDigestS3Object as string;
      assert.equal(d.previousDigestHashValue, sha(prev));
      assert.equal(d.previousDigestSignature, signatures[prev]);
    }
    const toSign = digestStringToSign(d.digestEndTime as string, d.digestS3Bucket as string, rel, sha(rel), d.previousDigestSignature as string | null);
    assert.ok(crypto.verify('sha256', Buffer.from(toSign), publicKey, Buffer.from(signatures[rel], 'hex')), `signature of ${rel}`);
  }
  // Each region's chain starts once, and breaks once more when logging is stopped.
  assert.equal(chainStarts, 4);
  assert.deepEqual([...listed].sort(), of('/CloudTrail/').sort());
});

test('text logs have the field counts of their formats', () => {
  for (const rel of of('/vpcflowlogs/')) {
    const [header, ...records] = lines(rel);
    const n = header.split(' ').length;
    assert.ok(n === 14 || n === 29, `${rel}: header of ${n} fields`);
    assert.ok(header.startsWith('version '));
    for (const l of records) assert.equal(l.split(' ').length, n, `${rel}: ${l}`);
  }
  for (const rel of of('/elasticloadbalancing/')) {
    for (const l of lines(rel)) assert.equal(fields(l).length, 30, `${rel}: ${l}`);
  }
  for (const rel of of('s3-access/')) {
    for (const l of lines(rel)) assert.equal(fields(l).length, 26, `${rel}: ${l}`);
  }
});

test('the attacker address runs through all four sources, with XSS payloads kept as text', () => {
  const all = (part: string): string => of(part).map(text).join('\n');
  const cloudtrail = all('/CloudTrail/');
  const alb = all('/elasticloadbalancing/');
  const vpc = all('/vpcflowlogs/');
  const s3 = all('s3-access/');
  for (const body of [cloudtrail, alb, vpc, s3]) assert.ok(body.includes(ATTACKER_IP));
  for (const payload of [XSS_SCRIPT, XSS_IMG]) {
    assert.ok(alb.includes(`"${payload}"`), `ALB user agent ${payload}`);
    assert.ok(cloudtrail.includes(`"userAgent":${JSON.stringify(payload)}`), `CloudTrail user agent ${payload}`);
  }
  assert.ok(alb.includes('/latest/meta-data/iam/security-credentials/acme-web-app-role'));
  for (const name of ['StopLogging', 'StartLogging', 'CreateUser', 'AttachUserPolicy', 'CreateLoginProfile', 'AuthorizeSecurityGroupIngress', 'RunInstances', 'GetSecretValue', 'PutBucketPolicy']) {
    assert.ok(cloudtrail.includes(`"eventName":"${name}"`), name);
  }
});
