import { useState } from 'react';
import { api } from '../../api/client';

/** Puts the finding on the incident timeline; the outcome is shown beside the button. */
export function PinFinding({ findingId, readOnly }: { findingId: number; readOnly: boolean }) {
  const [state, setState] = useState<{ busy: boolean; done: boolean; error: string | null }>({ busy: false, done: false, error: null });
  const pin = async () => {
    setState({ busy: true, done: false, error: null });
    const r = await api.invoke('timeline/pin', { findingId });
    setState({ busy: false, done: r.ok, error: r.ok ? null : r.error.message });
  };
  return (
    <span className="pin-finding">
      <button className="btn" onClick={() => void pin()} disabled={state.busy || readOnly} title={readOnly ? 'The case is open read-only' : 'Add this finding to the incident timeline'}>
        Pin to timeline
      </button>
      {state.done && (
        <span className="ok-text" data-testid="pin-result">
          Pinned to the timeline
        </span>
      )}
      {state.error && (
        <span className="error inline" data-testid="pin-error">
          {state.error}
        </span>
      )}
    </span>
  );
}
