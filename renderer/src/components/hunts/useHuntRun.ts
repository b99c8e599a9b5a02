import { useEffect, useRef, useState } from 'react';
import type { ApiError, HuntJob, HuntRunRequest } from '../../api/contract';
import { api } from '../../api/client';

const POLL_MS = 150;

export interface HuntRunState {
  job: HuntJob | null;
  /** A refusal before the job started (a bad parameter, an unreadable header). */
  startError: ApiError | null;
  running: boolean;
  /** Milliseconds since Run, ticking while the hunt runs. */
  elapsedMs: number;
  run(req: HuntRunRequest): Promise<void>;
  cancel(): void;
  /** Forget the shown run (another hunt was opened); a hunt still running is cancelled, so nothing runs unseen. */
  reset(): void;
}

/** Starts a hunt job, polls it to the end, and lets it be cancelled. */
export function useHuntRun(onFinished: (job: HuntJob) => void): HuntRunState {
  const [job, setJob] = useState<HuntJob | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [elapsedMs, setElapsed] = useState(0);
  const [running, setRunning] = useState(false);
  const current = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(
    () => () => {
      current.current = null;
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  useEffect(() => {
    if (!running) return;
    const t0 = Date.now();
    const tick = setInterval(() => setElapsed(Date.now() - t0), 100);
    return () => clearInterval(tick);
  }, [running]);

  const poll = (jobId: string) => {
    api.invoke('jobs/get', { jobId }).then((r) => {
      if (current.current !== jobId) return;
      if (!r.ok) {
        setRunning(false);
        return setStartError(r.error);
      }
      if (r.value.kind !== 'hunt') return;
      setJob(r.value);
      if (r.value.state === 'running') timer.current = setTimeout(() => poll(jobId), POLL_MS);
      else {
        setRunning(false);
        finished.current(r.value);
      }
    });
  };

  return {
    job,
    startError,
    running,
    elapsedMs,
    async run(req) {
      if (running) return;
      setStartError(null);
      setJob(null);
      setElapsed(0);
      setRunning(true);
      const r = await api.invoke('hunts/run', req);
      if (!r.ok) {
        setRunning(false);
        return setStartError(r.error);
      }
      current.current = r.value.jobId;
      setJob(r.value);
      poll(r.value.jobId);
    },
    cancel() {
      if (current.current) void api.invoke('jobs/cancel', { jobId: current.current });
    },
    reset() {
      if (running && current.current) void api.invoke('jobs/cancel', { jobId: current.current });
      current.current = null;
      if (timer.current) clearTimeout(timer.current);
      setJob(null);
      setStartError(null);
      setRunning(false);
      setElapsed(0);
    },
  };
}
