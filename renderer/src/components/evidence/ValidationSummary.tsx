import type { ValidationSummaryInfo } from '../../api/contract';
import { formatCount } from '../../format';
import type { Tone } from './validationStatus';

function Count({ label, value, bad, testId }: { label: string; value: number; bad?: Tone; testId: string }) {
  const cls = value > 0 && bad ? `ev-count ${bad}` : 'ev-count';
  return (
    <div className={cls}>
      <div className="ev-count-value" data-testid={testId}>
        {formatCount(value)}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

export function ValidationSummary({ summary: s }: { summary: ValidationSummaryInfo }) {
  const sigTone = !s.signatures_checked ? 'warn' : s.signatures_invalid > 0 ? 'bad' : 'ok';
  return (
    <div className="ev-summary" data-testid="validation-summary">
      <div className="ev-counts">
        <Count label="digests" value={s.digests} testId="val-digests" />
        <Count label="logs valid" value={s.logs_valid} testId="val-logs-valid" />
        <Count label="tampered" value={s.logs_tampered} bad="bad" testId="val-tampered" />
        <Count label="missing" value={s.logs_missing} bad="bad" testId="val-missing" />
        <Count label="unlisted" value={s.logs_unlisted} bad="warn" testId="val-unlisted" />
        <Count label="chain breaks" value={s.chain_breaks} bad="bad" testId="val-chain-breaks" />
        <Count label="missing digests" value={s.digests_missing} bad="bad" testId="val-digests-missing" />
        <Count label="gaps" value={s.gaps} bad="warn" testId="val-gaps" />
      </div>
      <div className={`ev-signatures ${sigTone}`} data-testid="val-signatures" role={s.signatures_checked ? undefined : 'alert'}>
        <span className={`badge ${sigTone}`} data-testid="val-signatures-state">
          {s.signatures_checked ? 'signatures checked' : 'signatures not checked'}
        </span>
        {s.signatures_checked && (
          <span>
            <span data-testid="val-signatures-valid">{formatCount(s.signatures_valid)}</span> valid,{' '}
            <span data-testid="val-signatures-invalid" className={s.signatures_invalid ? 'ev-bad-text' : ''}>
              {formatCount(s.signatures_invalid)}
            </span>{' '}
            invalid
          </span>
        )}
        <span className="ev-signature-note" data-testid="signature-note">
          {s.signature_note}
          {!s.signatures_checked && ' Choose the public keys and the signatures above and validate again to check that the digests are CloudTrail\'s own.'}
        </span>
      </div>
      <div className="muted ev-small">
        Run {s.run_id}: {formatCount(s.logs_listed)} log files listed in the digests.
      </div>
    </div>
  );
}
