import crypto from 'node:crypto';
import fs from 'node:fs';

/** An Ed25519 key pair for signing bundles: PKCS #8 PEM private key, SPKI PEM public key. */
export function generateSigningKeys(prefix: string): { privateKeyFile: string; publicKeyFile: string; fingerprint: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const privateKeyFile = `${prefix}.key`;
  const publicKeyFile = `${prefix}.pub`;
  if (fs.existsSync(privateKeyFile) || fs.existsSync(publicKeyFile)) throw new Error(`${privateKeyFile} or ${publicKeyFile} exists already; not overwriting a key`);
  fs.writeFileSync(privateKeyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  fs.writeFileSync(publicKeyFile, publicKey.export({ format: 'pem', type: 'spki' }));
  return { privateKeyFile, publicKeyFile, fingerprint: keyFingerprint(publicKey) };
}

/** SHA-256 of the public key's DER form, hex: how a report names the key. */
export function keyFingerprint(key: crypto.KeyObject): string {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  return crypto.createHash('sha256').update(pub.export({ format: 'der', type: 'spki' })).digest('hex');
}

export function signBytes(privateKeyFile: string, data: Buffer): { signature: string; fingerprint: string } {
  const key = crypto.createPrivateKey(fs.readFileSync(privateKeyFile));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${privateKeyFile} is not an Ed25519 private key (make one with 'cloudsift keygen')`);
  return { signature: crypto.sign(null, data, key).toString('base64'), fingerprint: keyFingerprint(key) };
}

export function verifyBytes(publicKeyFile: string, data: Buffer, signatureB64: string): boolean {
  const key = crypto.createPublicKey(fs.readFileSync(publicKeyFile));
  try {
    return crypto.verify(null, data, key, Buffer.from(signatureB64.trim(), 'base64'));
  } catch {
    return false;
  }
}
