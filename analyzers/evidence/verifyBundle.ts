import crypto from 'node:crypto';
import { readZipEntries } from './zipReader';
import { verifyBytes } from './bundleSigning';

export interface VerifyReport {
  ok: boolean;
  files: number;
  changed: string[];
  missing: string[];
  added: string[];
  /** 'valid', 'invalid', 'not signed', 'not checked (no --public-key)', 'signed but no signature file'. */
  signature: string;
  manifest: Record<string, unknown> | null;
}

const CONTROL_FILES = new Set(['SHA256SUMS', 'SHA256SUMS.sig', 'SHA256SUMS.sig.info']);

/**
 * Check a bundle on a machine that does not have the case: every file
 * listed in SHA256SUMS is present with that hash, nothing else was added,
 * and, with the public key, SHA256SUMS carries a valid Ed25519 signature.
 */
export async function verifyBundle(bundle: string, publicKey?: string): Promise<VerifyReport> {
  const entries = await readZipEntries(bundle);
  const byName = new Map(entries.map((e) => [e.name, e.data]));
  const sums = byName.get('SHA256SUMS');
  if (!sums) {
    return { ok: false, files: entries.length, changed: [], missing: ['SHA256SUMS'], added: entries.map((e) => e.name), signature: 'not signed', manifest: null };
  }
  const listed = new Map<string, string>();
  for (const line of sums.toString('utf8').split('\n')) {
    const m = line.match(/^([0-9a-f]{64}) {2}(.+)$/);
    if (m) listed.set(m[2], m[1]);
  }
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [name, hash] of [...listed].sort()) {
    const data = byName.get(name);
    if (!data) missing.push(name);
    else if (crypto.createHash('sha256').update(data).digest('hex') !== hash) changed.push(name);
  }
  const added = entries.map((e) => e.name).filter((n) => !listed.has(n) && !CONTROL_FILES.has(n)).sort();
  const sig = byName.get('SHA256SUMS.sig');
  let signature: string;
  let sigOk = true;
  if (publicKey) {
    if (!sig) {
      signature = 'missing: the bundle has no SHA256SUMS.sig';
      sigOk = false;
    } else {
      sigOk = verifyBytes(publicKey, sums, sig.toString('utf8'));
      signature = sigOk ? 'valid' : 'invalid: SHA256SUMS or its signature was changed, or another key signed it';
    }
  } else {
    signature = sig ? 'present but not checked (give --public-key)' : 'not signed';
  }
  let manifest: Record<string, unknown> | null = null;
  try {
    const m = byName.get('manifest.json');
    manifest = m ? (JSON.parse(m.toString('utf8')) as Record<string, unknown>) : null;
  } catch {
    manifest = null;
  }
  return { ok: changed.length === 0 && missing.length === 0 && added.length === 0 && sigOk, files: listed.size, changed, missing, added, signature, manifest };
}
