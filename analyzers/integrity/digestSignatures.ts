import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * AWS stores each digest's signature as S3 object metadata, not in the
 * file, so for offline validation they travel beside the logs:
 * - a JSON object mapping each digest's S3 key (or bucket/key) to its hex signature, or
 * - a folder of `aws s3api head-object --bucket B --key K > <digest file name>.json`
 *   outputs, matched to digests by file name.
 */
export interface SignatureSet {
  byKey: Map<string, string>;
  byBaseName: Map<string, string>;
}

export function loadSignatures(source: string): SignatureSet {
  const set: SignatureSet = { byKey: new Map(), byBaseName: new Map() };
  if (fs.statSync(source).isDirectory()) {
    for (const f of fs.readdirSync(source).filter((n) => n.endsWith('.json'))) {
      const doc = JSON.parse(fs.readFileSync(path.join(source, f), 'utf8')) as { Metadata?: Record<string, string> };
      const sig = doc.Metadata?.signature;
      if (!sig) continue;
      set.byBaseName.set(f.replace(/\.json$/, '').replace(/\.json\.gz$/, ''), sig.toLowerCase());
    }
    return set;
  }
  const doc = JSON.parse(fs.readFileSync(source, 'utf8')) as Record<string, unknown>;
  for (const [k, v] of Object.entries(doc)) {
    const sig = typeof v === 'string' ? v : (v as { signature?: string; Metadata?: { signature?: string } })?.signature ?? (v as { Metadata?: { signature?: string } })?.Metadata?.signature;
    if (typeof sig === 'string') set.byKey.set(k.replace(/^s3:\/\//, ''), sig.toLowerCase());
  }
  return set;
}

export function signatureFor(set: SignatureSet, bucket: string | null, key: string): string | undefined {
  const base = path.posix.basename(key);
  return set.byKey.get(key) ?? (bucket ? set.byKey.get(`${bucket}/${key}`) : undefined) ?? set.byBaseName.get(base) ?? set.byBaseName.get(base.replace(/\.json\.gz$/, ''));
}

export interface PublicKey {
  fingerprint: string;
  key: crypto.KeyObject;
  validFrom: string | null;
  validTo: string | null;
}

/** The output of `aws cloudtrail list-public-keys`: PublicKeyList[].Value is a base64 DER (PKCS #1) RSA key. */
export function loadPublicKeys(file: string): PublicKey[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { PublicKeyList?: { Value: string; Fingerprint: string; ValidityStartTime?: string; ValidityEndTime?: string }[] };
  if (!Array.isArray(doc.PublicKeyList)) throw new Error(`${file} is not list-public-keys output (no PublicKeyList)`);
  return doc.PublicKeyList.map((k) => {
    const der = Buffer.from(k.Value, 'base64');
    let key: crypto.KeyObject;
    try {
      key = crypto.createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    } catch {
      key = crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
    }
    return { fingerprint: k.Fingerprint.toLowerCase(), key, validFrom: k.ValidityStartTime ?? null, validTo: k.ValidityEndTime ?? null };
  });
}

/**
 * The string CloudTrail signs, as `aws cloudtrail validate-logs` builds it:
 * digestEndTime, bucket/key, the hex SHA-256 of the decompressed digest, and
 * the previous signature ('null' for the first digest), joined by newlines.
 */
export function digestStringToSign(d: { digestEndTime: string; digestS3Bucket: string; digestS3Object: string; previousDigestSignature: string | null }, inflatedDigestSha256Hex: string): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${inflatedDigestSha256Hex}\n${d.previousDigestSignature ?? 'null'}`;
}

export function verifyDigestSignature(key: crypto.KeyObject, toSign: string, signatureHex: string): boolean {
  try {
    return crypto.verify('sha256', Buffer.from(toSign, 'utf8'), { key, padding: crypto.constants.RSA_PKCS1_PADDING }, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
