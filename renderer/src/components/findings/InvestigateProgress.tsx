import type { InvestigateJob } from '../../api/contract';
import { formatCount } from '../../format';

/** A running investigation: how many rules have run and which one just did; once ended, what came of it. */
export function InvestigateProgress({ job, running, error, onCancel }: { job: InvestigateJob | null; running: boolean; error: string | null; onCancel(): void }) {
  if (!job && !error) return null;
  const p = job?.progress;
  const pct = p && p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
  return (
    <div className="investigate-status" aria-live="polite">
      {running && p && (
        <div className="investigate-progress" data-testid="investigate-progress">
          <span className="badge running">investigating</span>
          <div className="bar" role="progressbar" aria-label="Investigation progress" aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
            <div className="bar-fill" style={{ width: `${pct}%` }} />
          </div>
          <span className="num">
            {formatCount(p.done)} / {formatCount(p.total)}
          </span>
          <span className="mono" data-testid="investigate-step">
            {p.step ?? 'starting…'}
          </span>
          <button className="btn small" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
      {!running && job?.state === 'done' && job.result && (
        <div className="muted" data-testid="investigate-summary">
          {formatCount(job.result.findings)} findings from {formatCount(job.result.rules)} investigations (run {job.result.runId})
          {job.result.failed.length > 0 ? `; ${job.result.failed.length} failed` : ''}
        </div>
      )}
      {!running && job?.state === 'cancelled' && <div className="muted">Cancelled: the findings are those of the previous run.</div>}
      {!running && job?.result && job.result.failed.length > 0 && (
        <ul className="failed-rules">
          {job.result.failed.map((f) => (
            <li key={f.id} className="error">
              <span className="mono">{f.id}</span> {f.error}
            </li>
          ))}
        </ul>
      )}
      {error && <div className="error">{error}</div>}
    </div>
  );
}
