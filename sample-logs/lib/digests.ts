/**
 * CloudTrail digest files, chained and signed as CloudTrail does it, so that
 * the sample logs exercise real log-file validation.
 *
 * What was checked, and where:
 * - The string CloudTrail signs (AWS CLI, awscli/customizations/cloudtrail/
 *   validation.py, Sha256RSADigestValidator._create_string_to_sign; the AWS
 *   CloudTrail User Guide, "Custom implementations of CloudTrail log file
 *   integrity validation", lists the same four parts):
 *     digestEndTime + "\n" + digestS3Bucket + "/" + digestS3Object + "\n"
 *     + hex(SHA-256(decompressed digest file)) + "\n" + previousDigestSignature
 *   where a null previousDigestSignature (first digest of a chain) is the
 *   four characters "null". The SHA-256 of that string is signed with RSA
 *   PKCS#1 v1.5 (digestSignatureAlgorithm "SHA256withRSA"), and the signature
 *   is hex-encoded into the S3 object metadata x-amz-meta-signature, not into
 *   the file: here it goes to keys/signatures.json.
 * - The public key (CloudTrail API reference, PublicKey.Value) is "the DER
 *   encoded public key value in PKCS#1 format", base64 in list-public-keys.
 * - The fingerprint is hex MD5 of those PKCS#1 DER bytes: the AWS CLI's own
 *   list-public-keys example (Value "MIIBCgKCAQEAlSS3...", Fingerprint
 *   "7f3f401420072e50a65a141430817ab3") hashes to exactly that.
 * - logFiles[].hashValue is hex SHA-256 of the decompressed log file;
 *   previousDigestHashValue is hex SHA-256 of the decompressed previous digest.
 * - When logging stops, the chain breaks: the first digest after logging
 *   restarts has every previousDigest* field null (the CLI's validator treats
 *   a null previousDigestS3Bucket as a gap).
 */
import crypto, { type KeyObject } from 'node:crypto';
import type { CloudTrailLogFile } from './cloudtrailFiles';
import type { JsonObject } from './cloudtrailRecord';
import { compactSecond, isoSeconds, ymdPath, HOUR } from './timefmt';

export interface LoggingGap {
  /** eventTime of StopLogging. */
  stoppedAt: number;
  /** eventTime of StartLogging. */
  restartedAt: number;
}

export interface DigestFile {
  key: string;
  region: string;
  endTime: number;
  content: Buffer;
  signature: string;
}

export interface DigestOptions {
  account: string;
  bucket: string;
  trailName: string;
  homeRegion: string;
  /** First digest of each region starts here (log file validation was turned on). */
  chainStart: number;
  /** Digests are written up to this time. */
  until: number;
  /** Minutes and seconds past the hour at which each region writes its digest. */
  offsets: Record<string, number>;
  gaps: LoggingGap[];
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function sha256Hex(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export function publicKeyDer(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'pkcs1', format: 'der' });
}

export function publicKeyFingerprint(publicKey: KeyObject): string {
  return crypto.createHash('md5').update(publicKeyDer(publicKey)).digest('hex');
}

export function digestKey(o: Pick<DigestOptions, 'account' | 'trailName' | 'homeRegion'>, region: string, endTime: number): string {
  return `AWSLogs/${o.account}/CloudTrail-Digest/${region}/${ymdPath(endTime)}/${o.account}_CloudTrail-Digest_${region}_${o.trailName}_${o.homeRegion}_${compactSecond(endTime)}.json.gz`;
}

export function digestStringToSign(endTime: string, bucket: string, key: string, contentSha256: string, previousSignature: string | null): string {
  return `${endTime}\n${bucket}/${key}\n${contentSha256}\n${previousSignature ?? 'null'}`;
}

function loggingActiveDuring(gaps: LoggingGap[], from: number, to: number): boolean {
  return !gaps.some((g) => g.stoppedAt <= from && to < g.restartedAt);
}

function restartWithin(gaps: LoggingGap[], from: number, to: number): LoggingGap | undefined {
  return gaps.find((g) => g.restartedAt > from && g.restartedAt <= to);
}

export function buildDigests(logFiles: CloudTrailLogFile[], o: DigestOptions): DigestFile[] {
  const fingerprint = publicKeyFingerprint(o.publicKey);
  const out: DigestFile[] = [];
  for (const region of Object.keys(o.offsets)) {
    const files = logFiles.filter((f) => f.region === region).sort((a, b) => a.deliveredAt - b.deliveredAt);
    let previous: { key: string; sha: string; signature: string } | null = null;
    let start = o.chainStart;
    for (let end = o.chainStart - (o.chainStart % HOUR) + o.offsets[region]; end <= o.until; end += HOUR) {
      if (end <= o.chainStart) continue;
      const from = end - HOUR;
      if (!loggingActiveDuring(o.gaps, Math.max(from, start), end)) {
        previous = null;
        continue;
      }
      const restart = restartWithin(o.gaps, from, end);
      if (previous === null && restart) start = restart.restartedAt;
      const listed = files.filter((f) => f.deliveredAt > start && f.deliveredAt <= end);
      const key = digestKey(o, region, end);
      const newest = listed.length ? Math.max(...listed.map((f) => f.newestEventTime)) : null;
      const oldest = listed.length ? Math.min(...listed.map((f) => f.oldestEventTime)) : null;
      const doc: JsonObject = {
        awsAccountId: o.account,
        digestStartTime: isoSeconds(start),
        digestEndTime: isoSeconds(end),
        digestS3Bucket: o.bucket,
        digestS3Object: key,
        digestPublicKeyFingerprint: fingerprint,
        digestSignatureAlgorithm: 'SHA256withRSA',
        newestEventTime: newest === null ? null : isoSeconds(newest),
        oldestEventTime: oldest === null ? null : isoSeconds(oldest),
        previousDigestS3Bucket: previous ? o.bucket : null,
        previousDigestS3Object: previous ? previous.key : null,
        previousDigestHashValue: previous ? previous.sha : null,
        previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
        previousDigestSignature: previous ? previous.signature : null,
        logFiles: listed
          .slice()
          .reverse()
          .map((f) => ({
            s3Bucket: o.bucket,
            s3Object: f.key,
            hashValue: sha256Hex(f.content),
            hashAlgorithm: 'SHA-256',
            newestEventTime: isoSeconds(f.newestEventTime),
            oldestEventTime: isoSeconds(f.oldestEventTime),
          })),
      };
      const content = Buffer.from(JSON.stringify(doc), 'utf8');
      const sha = sha256Hex(content);
      const toSign = digestStringToSign(isoSeconds(end), o.bucket, key, sha, previous ? previous.signature : null);
      const signature = crypto.sign('sha256', Buffer.from(toSign, 'utf8'), o.privateKey).toString('hex');
      out.push({ key, region, endTime: end, content, signature });
      previous = { key, sha, signature };
      start = end;
    }
  }
  return out.sort((a, b) => a.endTime - b.endTime || a.region.localeCompare(b.region));
}

/** keys/list-public-keys.json, shaped like `aws cloudtrail list-public-keys` (CLI v2 prints ISO timestamps). */
export function publicKeyList(publicKey: KeyObject, validFrom: number, validTo: number): JsonObject {
  return {
    PublicKeyList: [
      {
        Value: publicKeyDer(publicKey).toString('base64'),
        ValidityStartTime: isoSeconds(validFrom).replace('Z', '+00:00'),
        ValidityEndTime: isoSeconds(validTo).replace('Z', '+00:00'),
        Fingerprint: publicKeyFingerprint(publicKey),
      },
    ],
  };
}
