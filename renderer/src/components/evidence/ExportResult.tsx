import { useEffect, useState } from 'react';
import type { ExportResultInfo } from '../../api/contract';
import { formatCount } from '../../format';

async function sha256Hex(text: string): Promise<string | null> {
  // crypto.subtle exists in secure contexts only: 127.0.0.1 and the desktop app are.
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What was written: where, how many files, whether signed, and the one hash that stands for the whole bundle. */
export function ExportResult({ result }: { result: ExportResultInfo }) {
  const [digest, setDigest] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    sha256Hex(result.sha256sums).then((d) => !stopped && setDigest(d));
    return () => {
      stopped = true;
    };
  }, [result.sha256sums]);
  return (
    <div className="ev-result-box ok" data-testid="export-result">
      <dl className="ev-dl">
        <dt>Bundle</dt>
        <dd className="mono" data-testid="export-result-path">
          {result.out}
        </dd>
        <dt>Files</dt>
        <dd data-testid="export-result-files">{formatCount(result.files.length)}</dd>
        <dt>Signed</dt>
        <dd data-testid="export-result-signed">{result.signed ? 'yes: SHA256SUMS.sig (Ed25519)' : 'no'}</dd>
        <dt>SHA256SUMS</dt>
        <dd className="mono" data-testid="export-result-digest" title="SHA-256 of the bundle's SHA256SUMS: note it down to identify this bundle">
          {digest ?? ''}
        </dd>
      </dl>
      <details>
        <summary className="muted">SHA256SUMS (lists {formatCount(result.sha256sums.trim().split('\n').length)} files)</summary>
        <pre className="raw ev-sums">{result.sha256sums}</pre>
      </details>
    </div>
  );
}
