import type { HuntRunInfo } from '../../api/contract';
import { formatCount, formatTime } from '../../format';

interface Props {
  runs: HuntRunInfo[] | null;
  error: string | null;
  readOnly: boolean;
  onReopen(run: HuntRunInfo): void;
}

/** Every run recorded in the case, newest first; a run reopens in the editor with its SQL and values. */
export function HuntHistory({ runs, error, readOnly, onReopen }: Props) {
  return (
    <div className="hunt-history" data-testid="hunt-history">
      {readOnly && <p className="muted">This case is open read-only: hunts run, but their runs cannot be recorded in it.</p>}
      {error && <div className="error">{error}</div>}
      {runs === null && !error && <p className="muted">Loading history…</p>}
      {runs?.length === 0 && <p className="muted">No hunt has been run in this case yet.</p>}
      {runs && runs.length > 0 && (
        <table className="dense">
          <thead>
            <tr>
              <th>started (UTC)</th>
              <th>hunt</th>
              <th>parameters</th>
              <th className="num">rows</th>
              <th className="num">ms</th>
              <th>status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.run_id} data-testid="hunt-history-row">
                <td className="mono nowrap">{formatTime(r.started_at)}</td>
                <td>
                  <span className="mono">{r.hunt_id}</span> <span className="muted">{r.title}</span>
                </td>
                <td className="mono params-cell" title={JSON.stringify(r.parameters)}>
                  {Object.entries(r.parameters)
                    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
                    .join(' ')}
                </td>
                <td className="num">{formatCount(r.row_count)}</td>
                <td className="num">{formatCount(r.duration_ms)}</td>
                <td>
                  <span className={`badge ${r.status === 'ok' ? 'done' : 'failed'}`}>{r.status}</span>
                  {r.error && (
                    <span className="run-error" title={r.error}>
                      {' '}
                      {r.error}
                    </span>
                  )}
                </td>
                <td>
                  <button className="btn small" onClick={() => onReopen(r)} aria-label={`Reopen run ${r.run_id} of ${r.hunt_id}`}>
                    Reopen
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
