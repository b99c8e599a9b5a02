import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportResultInfo, JsonValue, ValidationInfo, ValidationResultInfo, ValidationSummaryInfo, VerifyReportInfo } from '../contract';
import { ApiFailure } from '../errors';
import { existingInput, outputFile } from '../enginePaths';
import { optionalString, requestObject, requiredString } from '../validate';
import { latestValidation, validateDigests, type ValidationResult, type ValidationSummary } from '../../integrity/digestValidation';
import { loadPublicKeys, loadSignatures } from '../../integrity/digestSignatures';
import { exportBundle, type ExportResult } from '../../evidence/exportBundle';
import { verifyBundle, type VerifyReport } from '../../evidence/verifyBundle';
import { HuntLibrary } from '../../hunts/library';
import type { ApiContext } from '../context';
import type { HandlerMap } from './types';

const MAX_FINDING_IDS = 100_000;
const MAX_HUNTS = 500;
const MAX_ANALYST = 200;

export const evidenceHandlers: HandlerMap<'validation/latest' | 'validation/run' | 'evidence/export' | 'evidence/verify'> = {
  'validation/latest': async (ctx) => {
    const v = await latestValidation(ctx.store);
    return v ? toValidationInfo(v) : null;
  },

  'validation/run': async (ctx, req) => {
    const r = requestObject(req);
    if (ctx.store.readOnly) throw new ApiFailure('CASE_READ_ONLY', 'This case is open read-only: digest validation stores its results in the case');
    const publicKeys = r.publicKeys === undefined ? undefined : existingInput(r.publicKeys, 'publicKeys', "public keys file ('aws cloudtrail list-public-keys' output)");
    const signatures = r.signatures === undefined ? undefined : existingInput(r.signatures, 'signatures', 'digest signatures (a JSON map or a folder of head-object outputs)', true);
    if (Boolean(publicKeys) !== Boolean(signatures)) throw new ApiFailure('BAD_REQUEST', 'Give both the public keys and the signatures to check digest signatures, or neither');
    if (publicKeys && signatures) checkSignatureInputs(publicKeys, signatures);
    refuseDuringImport(ctx, 'validate digests');
    return ctx.jobs.start('validate', { writes: true }, async (ctl) => {
      ctl.progress(0, 1, publicKeys ? 'log file hashes, digest chain and signatures' : 'log file hashes and digest chain');
      const v = await validateDigests(ctx.store, { publicKeys, signatures });
      ctl.progress(1, 1, 'done');
      return toValidationInfo(v);
    });
  },

  'evidence/export': async (ctx, req) => {
    const r = requestObject(req);
    const overwrite = optionalBoolean(r.overwrite, 'overwrite') ?? false;
    const out = outputFile(r.out, 'out', { ext: '.zip', caseFile: ctx.store.file, overwrite });
    const findings = optionalIds(r.findings, 'findings', MAX_FINDING_IDS);
    const timeline = optionalBoolean(r.timeline, 'timeline') ?? false;
    const hunts = optionalIds(r.hunts, 'hunts', MAX_HUNTS) ?? [];
    const signKey = r.signKey === undefined ? undefined : signingKey(existingInput(r.signKey, 'signKey', "signing key (an Ed25519 private key from 'cloudsift keygen')"));
    const analyst = optionalAnalyst(r.analyst);
    const huntLibrary = new HuntLibrary(ctx.huntsDir);
    // Ids only: the library would also take a .sql path, which is not the renderer's to name.
    const known = new Set(huntLibrary.list().map((h) => h.id));
    const unknown = hunts.filter((h) => !known.has(h));
    if (unknown.length) throw new ApiFailure('NOT_FOUND', `No hunt ${unknown.map((h) => `'${h.slice(0, 100)}'`).join(', ')} in the library`);
    if (hunts.length && ctx.store.readOnly) throw new ApiFailure('CASE_READ_ONLY', 'This case is open read-only: hunts in a bundle are run again and recorded in the case');
    // The export itself only reads, but re-run hunts go into the hunt history, and a case never validated is validated (and stored) first.
    const writes = hunts.length > 0 || (!ctx.store.readOnly && (await latestValidation(ctx.store)) === null);
    if (writes) refuseDuringImport(ctx, 'export a bundle');

    const reserved = reserve(out, overwrite);
    try {
      return ctx.jobs.start('export', { writes }, async (ctl) => {
        // Written beside the target and renamed into place: a failed or cancelled export leaves no half-written bundle.
        const partial = path.join(path.dirname(out), `.${path.basename(out)}.${crypto.randomUUID().slice(0, 8)}.partial`);
        try {
          const res = await exportBundle(ctx.store, {
            out: partial,
            findings,
            timeline,
            hunts,
            huntLibrary,
            signKey,
            analyst,
            onProgress: (step, done, total) => {
              if (ctl.signal.aborted) throw new ApiFailure('CANCELLED', 'The export was cancelled');
              ctl.progress(done, total, step);
            },
          });
          fs.renameSync(partial, out);
          return toExportResult(res, out);
        } catch (err) {
          fs.rmSync(partial, { force: true });
          if (reserved) fs.rmSync(out, { force: true });
          throw err;
        }
      });
    } catch (err) {
      if (reserved) fs.rmSync(out, { force: true });
      throw err;
    }
  },

  'evidence/verify': async (_ctx, req) => {
    const r = requestObject(req);
    const bundle = existingInput(r.bundle, 'bundle', 'evidence bundle');
    const publicKey = r.publicKey === undefined ? undefined : verifyKey(existingInput(r.publicKey, 'publicKey', 'public key (the .pub of the signing key)'));
    let report: VerifyReport;
    try {
      report = await verifyBundle(bundle, publicKey);
    } catch (err) {
      throw new ApiFailure('BAD_REQUEST', `${bundle} is not a readable zip file: ${err instanceof Error ? err.message : String(err)}`);
    }
    return toVerifyReport(report);
  },
};

function refuseDuringImport(ctx: ApiContext, what: string): void {
  if (ctx.imports.list().some((j) => j.state === 'running')) throw new ApiFailure('JOB_RUNNING', `An import is changing this case; wait for it to finish before you ${what}`);
}

/** Creates the output file so that nothing else takes the name while the export runs; false when it existed (overwrite). */
function reserve(out: string, overwrite: boolean): boolean {
  try {
    fs.closeSync(fs.openSync(out, 'wx'));
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && overwrite) return false;
    if (code === 'EEXIST') throw new ApiFailure('FILE_EXISTS', `${out} exists already; choose another name or allow overwriting it`);
    throw new ApiFailure('FS_DENIED', `Cannot write ${out}: ${code ?? 'error'}`);
  }
}

function checkSignatureInputs(publicKeys: string, signatures: string): void {
  try {
    if (loadPublicKeys(publicKeys).length === 0) throw new Error('it lists no key');
  } catch (err) {
    throw new ApiFailure('BAD_REQUEST', `${publicKeys} is not usable as 'aws cloudtrail list-public-keys' output: ${message(err)}`);
  }
  try {
    const set = loadSignatures(signatures);
    if (set.byKey.size + set.byBaseName.size === 0) throw new Error('it holds no signature');
  } catch (err) {
    throw new ApiFailure('BAD_REQUEST', `${signatures} is not usable as digest signatures: ${message(err)}`);
  }
}

function signingKey(file: string): string {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(fs.readFileSync(file));
  } catch (err) {
    throw new ApiFailure('BAD_REQUEST', `${file} is not a PEM private key (an unencrypted one from 'cloudsift keygen'): ${message(err)}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ApiFailure('BAD_REQUEST', `${file} is a ${key.asymmetricKeyType ?? 'non-Ed25519'} key; bundles are signed with Ed25519 ('cloudsift keygen')`);
  return file;
}

function verifyKey(file: string): string {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey(fs.readFileSync(file));
  } catch (err) {
    throw new ApiFailure('BAD_REQUEST', `${file} is not a PEM public key: ${message(err)}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ApiFailure('BAD_REQUEST', `${file} is a ${key.asymmetricKeyType ?? 'non-Ed25519'} key; bundles are signed with Ed25519`);
  return file;
}

function optionalBoolean(v: unknown, name: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ApiFailure('BAD_REQUEST', `${name} must be true or false`);
  return v;
}

/** A list that may be empty (no finding chosen is a choice); absent means the default. */
function optionalIds(v: unknown, name: string, maxItems: number): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > maxItems) throw new ApiFailure('BAD_REQUEST', `${name} must be a list of at most ${maxItems} ids`);
  return v.map((x, i) => requiredString(x, `${name}[${i}]`, 200));
}

function optionalAnalyst(v: unknown): string | undefined {
  const s = optionalString(v, 'analyst', MAX_ANALYST)?.trim();
  if (s !== undefined && /[\u0000-\u001f\u007f]/.test(s)) throw new ApiFailure('BAD_REQUEST', 'analyst must be one line of text');
  return s || undefined;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

function toSummaryInfo(s: ValidationSummary): ValidationSummaryInfo {
  return {
    run_id: s.run_id,
    digests: s.digests,
    logs_listed: s.logs_listed,
    logs_valid: s.logs_valid,
    logs_tampered: s.logs_tampered,
    logs_missing: s.logs_missing,
    logs_unlisted: s.logs_unlisted,
    chain_breaks: s.chain_breaks,
    digests_missing: s.digests_missing,
    gaps: s.gaps,
    signatures_checked: s.signatures_checked,
    signatures_valid: s.signatures_valid,
    signatures_invalid: s.signatures_invalid,
    signature_note: s.signature_note,
  };
}

function toResultInfo(r: ValidationResult): ValidationResultInfo {
  return {
    kind: r.kind,
    status: r.status,
    account: r.account,
    region: r.region,
    trail: r.trail,
    s3_bucket: r.s3_bucket,
    s3_object: r.s3_object,
    source_file_id: r.source_file_id === null ? null : Number(r.source_file_id),
    path: r.path,
    expected: r.expected,
    actual: r.actual,
    digest_s3_object: r.digest_s3_object,
    from_time: r.from_time,
    to_time: r.to_time,
    detail: r.detail,
  };
}

function toValidationInfo(v: { summary: ValidationSummary; results: ValidationResult[] }): ValidationInfo {
  return { summary: toSummaryInfo(v.summary), results: v.results.map(toResultInfo) };
}

function toExportResult(r: ExportResult, out: string): ExportResultInfo {
  return { out, files: [...r.files], sha256sums: r.sha256sums, signed: r.signed };
}

function toVerifyReport(r: VerifyReport): VerifyReportInfo {
  const manifest = r.manifest === null ? null : toJson(r.manifest);
  return {
    ok: r.ok,
    files: r.files,
    changed: [...r.changed],
    missing: [...r.missing],
    added: [...r.added],
    signature: r.signature,
    manifest: manifest !== null && typeof manifest === 'object' && !Array.isArray(manifest) ? manifest : null,
  };
}

/** A parsed manifest is JSON already; this only proves it to the type checker. */
function toJson(v: unknown): JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return null;
}
