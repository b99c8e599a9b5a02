import { useState } from 'react';
import type { JsonValue, VerifyReportInfo } from '../../api/contract';
import { api } from '../../api/client';
import { formatCount } from '../../format';
import { useEvidence } from './evidenceStore';
import { PathField } from './PathField';

function FileList({ title, files, testId }: { title: string; files: string[]; testId: string }) {
  if (files.length === 0) return null;
  return (
    <div className="ev-file-list">
      <div className="section-title">
        {title} <span className="muted">({formatCount(files.length)})</span>
      </div>
      <ul data-testid={testId}>
        {files.map((f) => (
          <li key={f} className="mono">
            {f}
          </li>
        ))}
      </ul>
    </div>
  );
}

function text(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function Report({ report: r }: { report: VerifyReportInfo }) {
  const m = r.manifest;
  const tool = m?.tool && typeof m.tool === 'object' && !Array.isArray(m.tool) ? `${text(m.tool.name)} ${text(m.tool.version)}` : '';
  const sigTone = r.signature === 'valid' ? 'ok' : /^(invalid|missing)/.test(r.signature) ? 'bad' : 'warn';
  return (
    <div className={`ev-result-box ${r.ok ? 'ok' : 'bad'}`} data-testid="verify-result">
      <div className="ev-verdict">
        <span className={`badge ev-big ${r.ok ? 'ok' : 'bad'}`} data-testid="verify-status">
          {r.ok ? 'OK' : 'NOT OK'}
        </span>
        <span>{r.ok ? 'The bundle is intact: every file matches SHA256SUMS.' : 'The bundle was altered since it was exported.'}</span>
      </div>
      <dl className="ev-dl">
        <dt>Files listed</dt>
        <dd data-testid="verify-files">{formatCount(r.files)}</dd>
        <dt>Signature</dt>
        <dd className={sigTone === 'bad' ? 'ev-bad-text' : sigTone === 'warn' ? 'warn' : 'ev-ok-text'} data-testid="verify-signature">
          {r.signature.replace('--public-key', 'a public key')}
        </dd>
        {m && (
          <>
            <dt>Case</dt>
            <dd className="mono">{text(m.case_id)}</dd>
            <dt>Exported</dt>
            <dd>
              {text(m.exported_at)} by {text(m.analyst)} {tool && <span className="muted">with {tool}</span>}
            </dd>
          </>
        )}
      </dl>
      <FileList title="Changed" files={r.changed} testId="verify-changed" />
      <FileList title="Missing" files={r.missing} testId="verify-missing" />
      <FileList title="Added" files={r.added} testId="verify-added" />
    </div>
  );
}

/** Checks a bundle against its SHA256SUMS and, with the public key, its signature. Needs nothing from the case. */
export function VerifyPanel() {
  const ev = useEvidence();
  const [report, setReport] = useState<VerifyReportInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    const bundle = ev.verifyBundle.trim();
    if (!bundle) return setError('Choose the bundle to verify.');
    setBusy(true);
    setError(null);
    setReport(null);
    const r = await api.invoke('evidence/verify', ev.verifyKey.trim() ? { bundle, publicKey: ev.verifyKey.trim() } : { bundle });
    setBusy(false);
    if (r.ok) setReport(r.value);
    else setError(r.error.message);
  };

  return (
    <section className="panel ev-panel" aria-label="Verify a bundle">
      <div className="panel-title">Verify a bundle</div>
      <div className="ev-form">
        <PathField label="Bundle file" value={ev.verifyBundle} onChange={(p) => ev.set({ verifyBundle: p })} placeholder="/cases/evidence.zip" testId="verify-bundle" />
        <PathField label="Public key (optional)" value={ev.verifyKey} onChange={(p) => ev.set({ verifyKey: p })} placeholder="the .pub beside the signing key" testId="verify-key" />
        <div className="ev-actions">
          <button className="btn primary" onClick={verify} disabled={busy} data-testid="verify-run">
            {busy ? 'Verifying…' : 'Verify'}
          </button>
        </div>
      </div>
      {error && <div className="error">{error}</div>}
      {report && <Report report={report} />}
    </section>
  );
}
