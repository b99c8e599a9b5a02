import { useEffect, useState } from 'react';
import type { ValidateRequest, ValidationInfo } from '../../api/contract';
import { api } from '../../api/client';
import { useApp } from '../../state/store';
import { useEvidence } from './evidenceStore';
import { useFoundKeys } from './foundKeys';
import { jobStarted, useJob } from './useJob';
import { JobProgress } from './JobProgress';
import { PathField } from './PathField';
import { ValidationSummary } from './ValidationSummary';
import { ValidationResults } from './ValidationResults';

/** CloudTrail log file validation over the digests in the case: run it, then read the results per trail and region. */
export function ValidationPanel() {
  const { caseInfo, dataVersion } = useApp();
  const ev = useEvidence();
  const found = useFoundKeys(dataVersion);
  const [info, setInfo] = useState<ValidationInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const { job, error: jobError } = useJob('validate', ev.validateJobId);

  useEffect(() => {
    api.invoke('validation/latest', {}).then((r) => {
      if (r.ok) {
        setInfo(r.value);
        setLoadError(null);
      } else setLoadError(r.error.message);
    });
  }, [dataVersion]);

  useEffect(() => {
    if (job?.state === 'done' && job.result) setInfo(job.result);
  }, [job]);

  const run = async () => {
    const req: ValidateRequest = {};
    if (ev.publicKeys.trim()) req.publicKeys = ev.publicKeys.trim();
    if (ev.signatures.trim()) req.signatures = ev.signatures.trim();
    if (Boolean(req.publicKeys) !== Boolean(req.signatures)) return setStartError('Give both the public keys and the signatures to check signatures, or neither.');
    setStartError(null);
    const r = await api.invoke('validation/run', req);
    if (!r.ok) return setStartError(r.error.message);
    jobStarted(r.value.jobId);
    ev.set({ validateJobId: r.value.jobId });
  };

  const readOnly = caseInfo?.readOnly ?? false;
  const running = job?.state === 'running';
  const usingFound = found !== null && ev.publicKeys === found.publicKeys && ev.signatures === found.signatures;
  return (
    <section className="panel ev-panel" aria-label="Digest validation">
      <div className="panel-title">CloudTrail digest validation</div>
      <p className="muted ev-small">
        Checks every log file a digest lists against its SHA-256, the chain of digests, missing digests and gaps, as <span className="mono">aws cloudtrail validate-logs</span> does, offline. With the
        public keys and the digests&apos; signatures it also checks that CloudTrail signed them. Paths are on {api.transport === 'http' ? 'the workstation running cloudsift serve' : 'this computer'}.
      </p>
      <div className="ev-form">
        <PathField label="Public keys file" value={ev.publicKeys} onChange={(p) => ev.set({ publicKeys: p })} placeholder="list-public-keys.json (aws cloudtrail list-public-keys)" testId="val-public-keys" />
        <PathField label="Signatures (file or folder)" value={ev.signatures} onChange={(p) => ev.set({ signatures: p })} placeholder="signatures.json, or a folder of head-object outputs" testId="val-signatures-path" />
        {found && !usingFound && (
          <div className="ev-found">
            <span className="muted">Keys found beside the imported evidence:</span> <span className="mono">{found.folder}</span>{' '}
            <button className="btn small" onClick={() => ev.set({ publicKeys: found.publicKeys, signatures: found.signatures })} data-testid="use-found-keys">
              Use these keys
            </button>
          </div>
        )}
        <div className="ev-actions">
          <button className="btn primary" onClick={run} disabled={readOnly || running} data-testid="validation-run">
            Validate digests
          </button>
          {readOnly && <span className="warn">This case is open read-only: validation stores its results in the case.</span>}
        </div>
      </div>
      {startError && <div className="error">{startError}</div>}
      {jobError && <div className="error">{jobError}</div>}
      {job && job.state !== 'done' && <JobProgress job={job} testId="validation-progress" />}
      {loadError && <div className="error">{loadError}</div>}
      {!info && !loadError && !running && <div className="muted pad">Not validated yet.</div>}
      {info && info.summary.digests === 0 && <div className="warn pad">The case holds no CloudTrail digest files: there is nothing to validate against. Import the CloudTrail-Digest folder of the trail&apos;s bucket.</div>}
      {info && (
        <>
          <ValidationSummary summary={info.summary} />
          <ValidationResults results={info.results} />
        </>
      )}
    </section>
  );
}
