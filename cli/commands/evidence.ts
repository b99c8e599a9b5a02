import { CaseStore } from '../../analyzers/store/caseStore';
import { validateDigests } from '../../analyzers/integrity/digestValidation';
import { exportBundle } from '../../analyzers/evidence/exportBundle';
import { verifyBundle } from '../../analyzers/evidence/verifyBundle';
import { generateSigningKeys } from '../../analyzers/evidence/bundleSigning';
import { HuntLibrary } from '../../analyzers/hunts/library';
import { formatTable } from '../output/table';
import { parseCommandArgs, requireCase, UsageError, type Command } from './registry';

const VALIDATE_USAGE = `Usage: cloudsift validate --case <file> [--public-keys <file>] [--signatures <file or folder>] [--json]
  Offline CloudTrail log file validation with the digest files in the case, as
  'aws cloudtrail validate-logs' does it: log file hashes, the digest chain,
  missing digests, gaps, and (with keys and signatures) SHA256withRSA signatures.
  --public-keys   output of 'aws cloudtrail list-public-keys'
  --signatures    JSON {"<digest S3 key>": "<hex signature>"}, or a folder of
                  'aws s3api head-object' outputs named <digest file name>.json
Exit 2 when anything is tampered, missing or broken.`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'validate CloudTrail logs against their digests, offline',
  usage: VALIDATE_USAGE,
  async run(args) {
    const { values } = parseCommandArgs(args, { case: { type: 'string' }, 'public-keys': { type: 'string' }, signatures: { type: 'string' }, json: { type: 'boolean' } }, false);
    if (values.help) {
      process.stdout.write(`${VALIDATE_USAGE}\n`);
      return 0;
    }
    if (Boolean(values['public-keys']) !== Boolean(values.signatures)) throw new UsageError('give both --public-keys and --signatures to check signatures');
    const store = await CaseStore.open(requireCase(values));
    try {
      const { summary, results } = await validateDigests(store, { publicKeys: values['public-keys'], signatures: values.signatures });
      const bad = summary.logs_tampered + summary.logs_missing + summary.chain_breaks + summary.digests_missing + summary.signatures_invalid;
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ summary, results })}\n`);
      } else {
        const problems = results.filter((r) => !['valid', 'chain_ok', 'chain_start', 'signature_valid', 'signature_unchecked'].includes(r.status));
        process.stdout.write(
          [
            `${summary.digests} digest files; log files: ${summary.logs_valid} valid, ${summary.logs_tampered} TAMPERED, ${summary.logs_missing} MISSING, ${summary.logs_unlisted} in the case but listed in no digest.`,
            `Chain: ${summary.chain_breaks} breaks, ${summary.digests_missing} missing digests, ${summary.gaps} gaps (new chains).`,
            summary.signature_note,
            '',
            problems.length ? formatTable(['status', 'kind', 'trail', 'region', 'object', 'from', 'to', 'detail'], problems.map((r) => [r.status, r.kind, r.trail ?? '', r.region ?? '', r.s3_object ?? '', r.from_time ?? '', r.to_time ?? '', r.detail])) : 'Every listed log file matches its digest.',
          ].join('\n') + '\n',
        );
      }
      return bad > 0 ? 2 : 0;
    } finally {
      await store.close();
    }
  },
};

const EXPORT_USAGE = `Usage: cloudsift export --case <file> --out <bundle.zip> [--findings <ids>] [--timeline] [--hunts <ids>] [--sign <key>] [--analyst <name>] [--library <dir>]
  An evidence bundle anyone can verify offline: manifest, input inventory with
  hashes, digest validation, findings, incident timeline, evidence records,
  hunts with SQL and results, report.html, SHA256SUMS (and its Ed25519 signature).
  --findings  comma-separated finding ids or investigation ids (default: all findings)
  --hunts     comma-separated hunt ids, run again on the case and included
  --sign      Ed25519 private key from 'cloudsift keygen'`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write an evidence bundle (.zip) with hashes, report and optional signature',
  usage: EXPORT_USAGE,
  async run(args) {
    const { values } = parseCommandArgs(args, { case: { type: 'string' }, out: { type: 'string' }, findings: { type: 'string' }, timeline: { type: 'boolean' }, hunts: { type: 'string' }, sign: { type: 'string' }, analyst: { type: 'string' }, library: { type: 'string' } }, false);
    if (values.help) {
      process.stdout.write(`${EXPORT_USAGE}\n`);
      return 0;
    }
    if (!values.out) throw new UsageError('--out <bundle.zip> is required');
    const list = (v?: string) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
    const store = await CaseStore.open(requireCase(values));
    try {
      const r = await exportBundle(store, {
        out: values.out,
        findings: list(values.findings),
        timeline: values.timeline,
        hunts: list(values.hunts),
        huntLibrary: new HuntLibrary(values.library ?? undefined),
        signKey: values.sign,
        analyst: values.analyst,
        onProgress: (step, done, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\r[${done}/${total}] ${step}\x1b[K`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      process.stdout.write(`wrote ${r.out}: ${r.files.length} files${r.signed ? ', SHA256SUMS signed' : ''}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

const VERIFY_USAGE = `Usage: cloudsift verify <bundle.zip> [--public-key <file>] [--json]
  Recompute every hash in the bundle's SHA256SUMS and check its signature.
  Needs no case. Exit 2 if any file was changed, added or removed, or the signature fails.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify an evidence bundle offline (hashes and signature)',
  usage: VERIFY_USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { 'public-key': { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) {
      process.stdout.write(`${VERIFY_USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('give one bundle file');
    const r = await verifyBundle(positionals[0], values['public-key']);
    if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      const lines = [`${r.files} files listed in SHA256SUMS.`];
      for (const f of r.changed) lines.push(`CHANGED  ${f}`);
      for (const f of r.missing) lines.push(`REMOVED  ${f}`);
      for (const f of r.added) lines.push(`ADDED    ${f}`);
      lines.push(`Signature: ${r.signature}`);
      lines.push(r.ok ? 'OK: the bundle is intact.' : 'FAILED: the bundle was altered.');
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return r.ok ? 0 : 2;
  },
};

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'make an Ed25519 key pair for signing evidence bundles',
  usage: 'Usage: cloudsift keygen --out <prefix>   writes <prefix>.key (private, mode 600) and <prefix>.pub',
  async run(args) {
    const { values } = parseCommandArgs(args, { out: { type: 'string' } }, false);
    if (values.help || !values.out) {
      process.stdout.write(`${this.usage}\n`);
      return values.help ? 0 : 1;
    }
    const k = generateSigningKeys(values.out);
    process.stdout.write(`private key: ${k.privateKeyFile}\npublic key:  ${k.publicKeyFile}\nfingerprint (SHA-256 of the public key): ${k.fingerprint}\n`);
    return 0;
  },
};
