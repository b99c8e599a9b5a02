import type { CaseStore } from '../store/caseStore';
import { digestStringToSign, loadPublicKeys, loadSignatures, signatureFor, verifyDigestSignature, type PublicKey, type SignatureSet } from './digestSignatures';

/**
 * Offline CloudTrail log file integrity validation, following AWS's own
 * algorithm (`aws cloudtrail validate-logs`), over the files in the case:
 * - every log file a digest lists: present, and its SHA-256 (of the
 *   decompressed content) equal to the digest's hashValue;
 * - the chain: each digest's previousDigestHashValue against the SHA-256 of
 *   the previous digest file, missing digests (also several in a row), and
 *   restarts where CloudTrail began a new chain (logging or validation was off);
 * - signatures (SHA256withRSA over the string AWS signs) when the public keys
 *   and the signatures are given;
 * - CloudTrail log files in the case that no digest lists;
 * - gaps in digest coverage per trail and region, with the StopLogging /
 *   StartLogging events around them.
 */

export type ResultKind = 'log' | 'digest' | 'chain' | 'gap';
export type ResultStatus =
  | 'valid'
  | 'tampered'
  | 'missing'
  | 'unlisted'
  | 'chain_ok'
  | 'chain_break'
  | 'digest_missing'
  | 'chain_start'
  | 'signature_valid'
  | 'signature_invalid'
  | 'signature_unchecked'
  | 'gap';

export interface ValidationResult {
  kind: ResultKind;
  status: ResultStatus;
  account: string | null;
  region: string | null;
  trail: string | null;
  s3_bucket: string | null;
  s3_object: string | null;
  source_file_id: number | null;
  path: string | null;
  expected: string | null;
  actual: string | null;
  digest_s3_object: string | null;
  from_time: string | null;
  to_time: string | null;
  detail: string;
}

export interface ValidationSummary {
  run_id: number;
  digests: number;
  logs_listed: number;
  logs_valid: number;
  logs_tampered: number;
  logs_missing: number;
  logs_unlisted: number;
  chain_breaks: number;
  digests_missing: number;
  gaps: number;
  signatures_checked: boolean;
  signatures_valid: number;
  signatures_invalid: number;
  signature_note: string;
}

interface DigestDoc {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: { s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm: string; newestEventTime?: string; oldestEventTime?: string }[];
}

interface LoadedDigest {
  doc: DigestDoc;
  sourceFileId: number;
  path: string;
  contentSha256: string;
  trail: string;
  region: string;
}

interface LogSource {
  source_file_id: number;
  path: string;
  content_sha256: string | null;
  sha256: string;
  first_event_time: string | null;
}

const DIGEST_KEY = /CloudTrail-Digest\/([^/]+)\/\d{4}\/\d\d\/\d\d\/\d+_CloudTrail-Digest_[^_]+_(.+)_([^_]+)_(\d{8}T\d{6}Z)\.json\.gz$/;

/** The S3 key a case path stands for: the part from AWSLogs/ on (archives: after `!/`). */
export function s3KeyOfPath(p: string): string {
  const inner = p.includes('!/') ? p.slice(p.lastIndexOf('!/') + 2) : p;
  const i = inner.indexOf('AWSLogs/');
  return i >= 0 ? inner.slice(i) : inner;
}

export async function validateDigests(store: CaseStore, opts: { publicKeys?: string; signatures?: string } = {}): Promise<{ summary: ValidationSummary; results: ValidationResult[] }> {
  const keys: PublicKey[] | null = opts.publicKeys ? loadPublicKeys(opts.publicKeys) : null;
  const sigs: SignatureSet | null = opts.signatures ? loadSignatures(opts.signatures) : null;
  const results: ValidationResult[] = [];
  const blank = { account: null, region: null, trail: null, s3_bucket: null, s3_object: null, source_file_id: null, path: null, expected: null, actual: null, digest_s3_object: null, from_time: null, to_time: null };

  const digestRows = await store.all<{ source_file_id: number; path: string; content_sha256: string | null; raw: string }>(
    `SELECT d.source_file_id, s.path, coalesce(d.content_sha256, s.content_sha256) AS content_sha256, d.raw
     FROM digests d JOIN sources s USING (source_file_id) ORDER BY d.digest_end_time, d.source_file_id`,
  );
  const digests: LoadedDigest[] = digestRows.map((r) => {
    const doc = JSON.parse(r.raw) as DigestDoc;
    const m = (doc.digestS3Object ?? '').match(DIGEST_KEY);
    return { doc, sourceFileId: r.source_file_id, path: r.path, contentSha256: r.content_sha256 ?? '', trail: m?.[2] ?? '?', region: m?.[1] ?? '?' };
  });

  // CloudTrail log files in the case, by the S3 key they stand for.
  const logSources = await store.all<LogSource>(
    `SELECT source_file_id, path, content_sha256, sha256, iso(first_event_time) AS first_event_time FROM sources
     WHERE kind IN ('cloudtrail', 'cloudtrail-insight') OR (status = 'rejected' AND path LIKE '%/CloudTrail/%')
        OR (kind = 'duplicate' AND path LIKE '%/CloudTrail/%')`,
  );
  const hashBySha = new Map<string, string>();
  for (const s of logSources) if (s.content_sha256) hashBySha.set(s.sha256, s.content_sha256);
  const byKey = new Map<string, LogSource>();
  for (const s of logSources) byKey.set(s3KeyOfPath(s.path), s);
  const listed = new Set<string>();

  const digestByKey = new Map(digests.map((d) => [d.doc.digestS3Object, d]));
  let sigValid = 0;
  let sigInvalid = 0;

  for (const d of digests) {
    const where = { account: d.doc.awsAccountId, region: d.region, trail: d.trail, digest_s3_object: d.doc.digestS3Object, from_time: d.doc.digestStartTime, to_time: d.doc.digestEndTime };
    // Signature.
    if (keys && sigs) {
      const sig = signatureFor(sigs, d.doc.digestS3Bucket, d.doc.digestS3Object);
      const key = keys.find((k) => k.fingerprint === (d.doc.digestPublicKeyFingerprint ?? '').toLowerCase());
      let status: ResultStatus = 'signature_invalid';
      let detail: string;
      if (!sig) detail = 'no signature given for this digest';
      else if (!key) detail = `no public key with fingerprint ${d.doc.digestPublicKeyFingerprint}`;
      else if (d.doc.digestSignatureAlgorithm !== 'SHA256withRSA') detail = `unsupported signature algorithm ${d.doc.digestSignatureAlgorithm}`;
      else if (verifyDigestSignature(key.key, digestStringToSign(d.doc, d.contentSha256), sig)) {
        status = 'signature_valid';
        detail = 'SHA256withRSA signature verified';
      } else detail = 'signature does not match the digest (the digest or its signature was altered)';
      if (status === 'signature_valid') sigValid++;
      else sigInvalid++;
      results.push({ ...blank, ...where, kind: 'digest', status, s3_bucket: d.doc.digestS3Bucket, s3_object: d.doc.digestS3Object, source_file_id: d.sourceFileId, path: d.path, detail });
    } else {
      results.push({ ...blank, ...where, kind: 'digest', status: 'signature_unchecked', s3_bucket: d.doc.digestS3Bucket, s3_object: d.doc.digestS3Object, source_file_id: d.sourceFileId, path: d.path, detail: 'signature not checked: give --public-keys and --signatures' });
    }
    // Log files.
    for (const lf of d.doc.logFiles ?? []) {
      listed.add(lf.s3Object);
      const src = byKey.get(lf.s3Object);
      const base = { ...blank, ...where, kind: 'log' as const, s3_bucket: lf.s3Bucket, s3_object: lf.s3Object, expected: lf.hashValue };
      if (!src) {
        results.push({ ...base, status: 'missing', detail: 'listed in the digest but not in the case' });
        continue;
      }
      const actual = src.content_sha256 ?? hashBySha.get(src.sha256) ?? null;
      const ok = actual !== null && actual.toLowerCase() === String(lf.hashValue).toLowerCase();
      results.push({ ...base, source_file_id: src.source_file_id, path: src.path, actual, status: ok ? 'valid' : 'tampered', detail: ok ? 'SHA-256 matches the digest' : 'SHA-256 of the decompressed file differs from the digest: the file was altered' });
    }
  }

  // The chain, per trail and region, in time order.
  const chains = new Map<string, LoadedDigest[]>();
  for (const d of digests) {
    const k = `${d.doc.awsAccountId}|${d.region}|${d.trail}`;
    (chains.get(k) ?? chains.set(k, []).get(k)!).push(d);
  }
  let breaks = 0;
  let missingDigests = 0;
  let gaps = 0;
  const controls = await store.all<{ time: string; event: string; actor: string | null; region: string | null }>(
    `SELECT iso(event_time) AS time, event_name AS event, user_arn AS actor, aws_region AS region FROM cloudtrail
     WHERE event_name IN ('StopLogging', 'StartLogging', 'DeleteTrail', 'CreateTrail', 'UpdateTrail') ORDER BY event_time`,
  );
  for (const chain of chains.values()) {
    for (let i = 0; i < chain.length; i++) {
      const d = chain[i];
      const prevInCase = i > 0 ? chain[i - 1] : null;
      const where = { ...blank, account: d.doc.awsAccountId, region: d.region, trail: d.trail, digest_s3_object: d.doc.digestS3Object, s3_bucket: d.doc.digestS3Bucket, s3_object: d.doc.digestS3Object, source_file_id: d.sourceFileId, path: d.path };
      const prevKey = d.doc.previousDigestS3Object;
      if (!prevKey) {
        if (prevInCase) {
          gaps++;
          // From the start of the last digest before the gap: the StopLogging that ends a chain falls inside that digest's hour.
          const around = controls.filter((c) => c.time >= prevInCase.doc.digestStartTime && c.time <= d.doc.digestEndTime);
          results.push({ ...where, kind: 'gap', status: 'gap', from_time: prevInCase.doc.digestEndTime, to_time: d.doc.digestStartTime, detail: `new digest chain: no digests between ${prevInCase.doc.digestEndTime} and ${d.doc.digestStartTime} (logging or validation was off)${around.length ? `; ${around.map((c) => `${c.time} ${c.event} by ${c.actor ?? '?'}`).join('; ')}` : ''}` });
        } else {
          results.push({ ...where, kind: 'chain', status: 'chain_start', from_time: d.doc.digestStartTime, to_time: d.doc.digestEndTime, detail: 'first digest of its chain' });
        }
        continue;
      }
      const prev = digestByKey.get(prevKey);
      if (!prev) {
        missingDigests++;
        const lastPresent = prevInCase;
        // Digests are hourly and contiguous: the time since the last one present says how many are gone.
        const hours = lastPresent ? Math.max(1, Math.round((Date.parse(d.doc.digestStartTime) - Date.parse(lastPresent.doc.digestEndTime)) / 3_600_000)) : 1;
        results.push({ ...where, kind: 'chain', status: 'digest_missing', expected: d.doc.previousDigestHashValue, from_time: lastPresent?.doc.digestEndTime ?? null, to_time: d.doc.digestStartTime, detail: `previous digest ${prevKey} is not in the case${lastPresent ? `; about ${hours} digest(s) missing since ${lastPresent.doc.digestEndTime}` : ''}` });
        continue;
      }
      const ok = (d.doc.previousDigestHashValue ?? '').toLowerCase() === prev.contentSha256.toLowerCase();
      if (!ok) breaks++;
      results.push({ ...where, kind: 'chain', status: ok ? 'chain_ok' : 'chain_break', expected: d.doc.previousDigestHashValue, actual: prev.contentSha256, from_time: prev.doc.digestEndTime, to_time: d.doc.digestStartTime, detail: ok ? `links to ${prevKey}` : `previousDigestHashValue does not match ${prevKey}: the previous digest was altered or replaced` });
    }
  }

  // Log files no digest vouches for.
  for (const s of logSources) {
    const key = s3KeyOfPath(s.path);
    if (!/AWSLogs\/.*\/CloudTrail\//.test(key) || listed.has(key) || digests.length === 0) continue;
    results.push({ ...blank, kind: 'log', status: 'unlisted', s3_object: key, source_file_id: s.source_file_id, path: s.path, actual: s.content_sha256, from_time: s.first_event_time, detail: 'in the case but listed in no digest in the case' });
  }

  const count = (k: ResultKind, st: ResultStatus) => results.filter((r) => r.kind === k && r.status === st).length;
  const summary: Omit<ValidationSummary, 'run_id'> = {
    digests: digests.length,
    logs_listed: results.filter((r) => r.kind === 'log' && r.status !== 'unlisted').length,
    logs_valid: count('log', 'valid'),
    logs_tampered: count('log', 'tampered'),
    logs_missing: count('log', 'missing'),
    logs_unlisted: count('log', 'unlisted'),
    chain_breaks: breaks,
    digests_missing: missingDigests,
    gaps,
    signatures_checked: Boolean(keys && sigs),
    signatures_valid: sigValid,
    signatures_invalid: sigInvalid,
    signature_note: keys && sigs ? `${sigValid} of ${digests.length} digest signatures verified` : 'Signatures were NOT checked: give --public-keys (aws cloudtrail list-public-keys output) and --signatures (the digests\' S3 metadata).',
  };
  const ordered = results.map(canonical);
  const runId = await storeResults(store, summary, ordered);
  return { summary: { run_id: runId, ...summary }, results: ordered };
}

async function storeResults(store: CaseStore, summary: Omit<ValidationSummary, 'run_id'>, results: ValidationResult[]): Promise<number> {
  if (store.readOnly) return 0;
  const runId = Number((await store.one<{ id: bigint }>(`SELECT nextval('digest_validation_run_id_seq') AS id`))!.id);
  await store.run('BEGIN TRANSACTION');
  try {
    await store.run(`INSERT INTO digest_validation_runs VALUES ($1, now(), $2)`, [runId, JSON.stringify(summary)]);
    const a = await store.conn.createAppender('digest_validation_results');
    for (const r of results) {
      a.appendInteger(runId);
      for (const v of [r.kind, r.status, r.account, r.region, r.trail, r.s3_bucket, r.s3_object]) appendText(a, v);
      if (r.source_file_id === null) a.appendNull();
      else a.appendInteger(r.source_file_id);
      for (const v of [r.path, r.expected, r.actual, r.digest_s3_object, r.from_time, r.to_time, r.detail]) appendText(a, v);
      a.endRow();
    }
    a.flushSync();
    a.closeSync();
    await store.run('COMMIT');
  } catch (e) {
    await store.run('ROLLBACK');
    throw e;
  }
  return runId;
}

function appendText(a: { appendVarchar(v: string): void; appendNull(): void }, v: string | null): void {
  if (v === null || v === undefined) a.appendNull();
  else a.appendVarchar(String(v));
}

/** The latest stored validation, for the UI and evidence bundles. */
export async function latestValidation(store: CaseStore): Promise<{ summary: ValidationSummary; results: ValidationResult[] } | null> {
  const run = await store.one<{ run_id: number; summary: string }>(`SELECT run_id, summary::VARCHAR AS summary FROM digest_validation_runs ORDER BY run_id DESC LIMIT 1`);
  if (!run) return null;
  const rows = await store.all<ValidationResult>(`SELECT * EXCLUDE (run_id) FROM digest_validation_results WHERE run_id = $1 ORDER BY rowid`, [run.run_id]);
  // The same key order as a fresh run, so that bundles built from either are identical.
  const results = rows.map((r) => canonical({ ...r, source_file_id: r.source_file_id === null ? null : Number(r.source_file_id) }));
  return { summary: { run_id: run.run_id, ...(JSON.parse(run.summary) as Omit<ValidationSummary, 'run_id'>) }, results };
}

const RESULT_KEYS: (keyof ValidationResult)[] = ['kind', 'status', 'account', 'region', 'trail', 's3_bucket', 's3_object', 'source_file_id', 'path', 'expected', 'actual', 'digest_s3_object', 'from_time', 'to_time', 'detail'];

function canonical(r: ValidationResult): ValidationResult {
  return Object.fromEntries(RESULT_KEYS.map((k) => [k, r[k] ?? null])) as unknown as ValidationResult;
}
