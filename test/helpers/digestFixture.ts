import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { digestStringToSign } from '../../analyzers/integrity/digestSignatures';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TRAIL = 'main-trail';
const BUCKET = 'org-cloudtrail-logs';

export interface DigestFixture {
  root: string;
  logKeys: string[];
  digestKeys: string[];
  publicKeysFile: string;
  signaturesFile: string;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * A small signed trail: `hours` hourly digests in one chain, each listing one
 * log file, signed with a test RSA key published as list-public-keys output.
 */
export function buildDigestFixture(root: string, hours = 4): DigestFixture {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ format: 'der', type: 'pkcs1' });
  const fingerprint = crypto.createHash('md5').update(der).digest('hex');
  const logKeys: string[] = [];
  const digestKeys: string[] = [];
  const signatures: Record<string, string> = {};
  let prev = null as { key: string; sha: string; sig: string } | null;
  for (let h = 0; h < hours; h++) {
    const start = new Date(Date.UTC(2024, 2, 2, h, 0, 0));
    const end = new Date(Date.UTC(2024, 2, 2, h + 1, 0, 0));
    const ymd = '2024/03/02';
    const logKey = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${ymd}/${ACCOUNT}_CloudTrail_${REGION}_${stamp(start).slice(0, 13)}Z_log${h}.json.gz`;
    const records = { Records: [{ eventVersion: '1.08', eventTime: new Date(start.getTime() + 600_000).toISOString().replace('.000Z', 'Z'), eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', awsRegion: REGION, sourceIPAddress: '203.0.113.10', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ops`, accountId: ACCOUNT }, eventID: `fixture-${h}`, recipientAccountId: ACCOUNT }] };
    const logContent = Buffer.from(JSON.stringify(records));
    write(root, logKey, zlib.gzipSync(logContent));
    logKeys.push(logKey);
    const digestKey = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/${ymd}/${ACCOUNT}_CloudTrail-Digest_${REGION}_${TRAIL}_${REGION}_${stamp(end)}.json.gz`;
    const digest: Parameters<typeof digestStringToSign>[0] & Record<string, unknown> = {
      awsAccountId: ACCOUNT,
      digestStartTime: start.toISOString().replace('.000Z', 'Z'),
      digestEndTime: end.toISOString().replace('.000Z', 'Z'),
      digestS3Bucket: BUCKET,
      digestS3Object: digestKey,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: records.Records[0].eventTime,
      oldestEventTime: records.Records[0].eventTime,
      previousDigestS3Bucket: prev ? BUCKET : null,
      previousDigestS3Object: prev?.key ?? null,
      previousDigestHashValue: prev?.sha ?? null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev?.sig ?? null,
      logFiles: [{ s3Bucket: BUCKET, s3Object: logKey, hashValue: crypto.createHash('sha256').update(logContent).digest('hex'), hashAlgorithm: 'SHA-256', newestEventTime: records.Records[0].eventTime, oldestEventTime: records.Records[0].eventTime }],
    };
    const content: Buffer = Buffer.from(JSON.stringify(digest));
    const sha: string = crypto.createHash('sha256').update(content).digest('hex');
    const sig = crypto.sign('sha256', Buffer.from(digestStringToSign(digest, sha)), privateKey).toString('hex');
    write(root, digestKey, zlib.gzipSync(content));
    digestKeys.push(digestKey);
    signatures[digestKey] = sig;
    prev = { key: digestKey, sha, sig };
  }
  const publicKeysFile = path.join(root, '..', 'list-public-keys.json');
  fs.writeFileSync(publicKeysFile, JSON.stringify({ PublicKeyList: [{ Value: der.toString('base64'), ValidityStartTime: '2024-01-01T00:00:00Z', ValidityEndTime: '2025-01-01T00:00:00Z', Fingerprint: fingerprint }] }));
  const signaturesFile = path.join(root, '..', 'signatures.json');
  fs.writeFileSync(signaturesFile, JSON.stringify(signatures));
  return { root, logKeys, digestKeys, publicKeysFile, signaturesFile };
}

function write(root: string, key: string, data: Buffer): void {
  const p = path.join(root, key);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
}
