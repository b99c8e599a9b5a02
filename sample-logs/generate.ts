/**
 * Writes the sample dataset: `npm run sample-logs [-- --out dir] [--seed n]`.
 *
 * Everything is a function of the seed except the RSA key that signs the
 * CloudTrail digests: Node cannot derive an RSA key from a seed, so each run
 * makes a new key, and the digest files (which carry its fingerprint and
 * signatures) and keys/ change with it. Pass a key to get identical output.
 */
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSampleLogs, type SampleLogs } from './lib/dataset';

export const DEFAULT_SEED = 20250319;
/** The directories generation owns below the output root; nothing else there is touched. */
export const OUTPUT_DIRS = ['AWSLogs', 's3-access', 'keys'];

export interface GenerateOptions {
  outDir: string;
  seed?: number;
  signingKey?: { privateKey: KeyObject; publicKey: KeyObject };
}

export function newSigningKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
}

export function generateSampleLogs(options: GenerateOptions): SampleLogs {
  const key = options.signingKey ?? newSigningKey();
  const logs = buildSampleLogs({ seed: options.seed ?? DEFAULT_SEED, ...key });
  for (const dir of OUTPUT_DIRS) fs.rmSync(path.join(options.outDir, dir), { recursive: true, force: true });
  for (const f of logs.files) {
    const target = path.join(options.outDir, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.data);
  }
  const keys = path.join(options.outDir, 'keys');
  fs.mkdirSync(keys, { recursive: true });
  fs.writeFileSync(path.join(keys, 'list-public-keys.json'), JSON.stringify(logs.publicKeys, null, 2) + '\n');
  fs.writeFileSync(path.join(keys, 'signatures.json'), JSON.stringify(logs.signatures, null, 2) + '\n');
  return logs;
}

function parseArgs(argv: string[]): { outDir: string; seed: number } {
  let outDir = path.dirname(fileURLToPath(import.meta.url));
  let seed = DEFAULT_SEED;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out' && argv[i + 1]) outDir = path.resolve(argv[++i]);
    else if (a === '--seed' && argv[i + 1]) seed = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}; usage: generate.ts [--out dir] [--seed n]`);
  }
  if (!Number.isSafeInteger(seed)) throw new Error('--seed takes an integer');
  return { outDir, seed };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outDir, seed } = parseArgs(process.argv.slice(2));
  const logs = generateSampleLogs({ outDir, seed });
  const bytes = logs.files.reduce((s, f) => s + f.data.length, 0);
  console.log(`wrote ${logs.files.length} files (${(bytes / 1e6).toFixed(2)} MB) to ${outDir}`);
  console.log(JSON.stringify(logs.counts));
}
