import { useEffect, useRef, useState } from 'react';
import type { InvestigateJob } from '../../api/contract';
import { api } from '../../api/client';
import { useFindingsView } from './findingsView';

const POLL_MS = 250;

export interface InvestigateJobState {
  /** The job being followed, or the last one that ended. */
  job: InvestigateJob | null;
  running: boolean;
  error: string | null;
  start(): Promise<void>;
  cancel(): Promise<void>;
}

/** Starts an investigation and follows it by polling until it ends; onEnded runs once when it does. */
export function useInvestigateJob(onEnded: () => void): InvestigateJobState {
  const { jobId, setJobId } = useFindingsView();
  const [job, setJob] = useState<InvestigateJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = useRef(onEnded);
  ended.current = onEnded;

  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const r = await api.invoke('jobs/get', { jobId });
      if (!live) return;
      if (!r.ok) {
        setError(r.error.message);
        setJobId(null);
        return;
      }
      if (r.value.kind !== 'investigate') return setJobId(null);
      setJob(r.value);
      if (r.value.state === 'running') {
        timer = setTimeout(() => void poll(), POLL_MS);
        return;
      }
      setJobId(null);
      if (r.value.state === 'failed') setError(r.value.error?.message ?? 'The investigation failed');
      ended.current();
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [jobId]);

  return {
    job,
    running: jobId !== null,
    error,
    async start() {
      setError(null);
      const r = await api.invoke('investigate/start', {});
      if (!r.ok) return setError(r.error.message);
      setJob(r.value);
      setJobId(r.value.jobId);
    },
    async cancel() {
      if (!jobId) return;
      const r = await api.invoke('jobs/cancel', { jobId });
      if (!r.ok) setError(r.error.message);
    },
  };
}
