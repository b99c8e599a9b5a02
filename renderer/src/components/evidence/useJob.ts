import { useEffect, useRef, useState } from 'react';
import type { Job, JobKind } from '../../api/contract';
import { api } from '../../api/client';

const POLL_MS = 250;

type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;

/** Jobs this page started whose end it has not yet acted on. Kept outside React: the screen unmounts while the user looks elsewhere. */
const unannounced = new Set<string>();

export function jobStarted(jobId: string): void {
  unannounced.add(jobId);
}

/** Follows a job by id until it ends; `onEnd` runs once per started job, even if it ended while the screen was away. */
export function useJob<K extends JobKind>(kind: K, jobId: string | null, onEnd?: (job: JobOf<K>) => void): { job: JobOf<K> | null; error: string | null } {
  const [job, setJob] = useState<JobOf<K> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const endRef = useRef(onEnd);
  endRef.current = onEnd;

  useEffect(() => {
    setJob(null);
    setError(null);
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = async () => {
      const r = await api.invoke('jobs/get', { jobId });
      if (stopped) return;
      if (!r.ok) return setError(r.error.message);
      if (r.value.kind !== kind) return setError(`Job ${jobId} is a ${r.value.kind} job`);
      const j = r.value as JobOf<K>;
      setJob(j);
      if (j.state === 'running') timer = setTimeout(tick, POLL_MS);
      else if (unannounced.delete(jobId)) endRef.current?.(j);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [kind, jobId]);

  return { job, error };
}
