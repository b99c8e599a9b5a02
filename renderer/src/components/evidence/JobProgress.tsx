import type { Job } from '../../api/contract';

/** A job's bar and step line; a job with no known total shows a moving bar. */
export function JobProgress({ job, testId }: { job: Job; testId: string }) {
  const p = job.progress;
  const running = job.state === 'running';
  const pct = p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : running ? null : 100;
  return (
    <div className="ev-job" data-testid={testId} aria-live="polite">
      <div className="progress-line">
        <span className={`badge ${job.state}`} data-testid={`${testId}-state`}>
          {job.state}
        </span>
        {p.total > 0 && (
          <span className="muted">
            step {Math.min(p.done + (running ? 1 : 0), p.total)} of {p.total}
          </span>
        )}
        <span className="ev-step" data-testid={`${testId}-step`}>
          {p.step ?? (running ? 'starting…' : '')}
        </span>
      </div>
      <div className="bar" role="progressbar" aria-label={`${job.kind} progress`} aria-valuenow={pct === null ? undefined : Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
        <div className={pct === null ? 'bar-fill ev-indeterminate' : 'bar-fill'} style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      {job.error && <div className="error">{job.error.message}</div>}
    </div>
  );
}
