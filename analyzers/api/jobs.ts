import crypto from 'node:crypto';
import type { Job, JobKind, JobProgress } from './contract';
import { ApiFailure, toApiError } from './errors';

const KEEP_JOBS = 50;

type ResultOf<K extends JobKind> = NonNullable<Extract<Job, { kind: K }>['result']>;

export interface JobControl {
  signal: AbortSignal;
  progress(done: number, total: number, step?: string | null): void;
}

interface Entry {
  job: Job;
  abort: AbortController;
  writes: boolean;
}

/**
 * Background work started from the UI: investigations, hunts, exports and
 * digest validation. Jobs that write the case run one at a time (the case has
 * one writer); read-only ones (hunts) run beside them. The UI polls a job.
 */
export class JobRegistry {
  private jobs = new Map<string, Entry>();

  constructor(
    /** Called when a job that wrote the case ends, so cached views are recomputed. */
    private readonly onCaseChanged: () => Promise<void>,
    /** Whether an import is writing the case: a job that writes waits its turn too. */
    private readonly importing: () => boolean = () => false,
  ) {}

  start<K extends JobKind>(kind: K, opts: { writes: boolean }, work: (ctl: JobControl) => Promise<ResultOf<K>>): Extract<Job, { kind: K }> {
    if (opts.writes) {
      if (this.importing()) throw new ApiFailure('JOB_RUNNING', 'An import is changing this case; wait for it to finish');
      const busy = [...this.jobs.values()].find((e) => e.writes && e.job.state === 'running');
      if (busy) throw new ApiFailure('JOB_RUNNING', `A ${busy.job.kind} job is already changing this case; wait for it to finish`);
    }
    const job = {
      jobId: crypto.randomUUID(),
      kind,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: { done: 0, total: 0, step: null } as JobProgress,
      result: null,
      error: null,
    } as Extract<Job, { kind: K }>;
    const entry: Entry = { job, abort: new AbortController(), writes: opts.writes };
    this.jobs.set(job.jobId, entry);
    for (const [id, e] of this.jobs) {
      if (this.jobs.size <= KEEP_JOBS) break;
      if (e.job.state !== 'running') this.jobs.delete(id);
    }
    void this.run(entry, work as (ctl: JobControl) => Promise<Job['result']>);
    return snapshot(job) as Extract<Job, { kind: K }>;
  }

  get(jobId: string): Job {
    return snapshot(this.entry(jobId).job);
  }

  cancel(jobId: string): Job {
    const e = this.entry(jobId);
    if (e.job.state === 'running') e.abort.abort();
    return snapshot(e.job);
  }

  /** The kind of the job that is writing the case now, if any. */
  writer(): JobKind | null {
    return [...this.jobs.values()].find((e) => e.writes && e.job.state === 'running')?.job.kind ?? null;
  }

  /** Resolves when no job is running (before the case closes). */
  async idle(): Promise<void> {
    while ([...this.jobs.values()].some((e) => e.job.state === 'running')) await new Promise((r) => setTimeout(r, 50));
  }

  private entry(jobId: string): Entry {
    const e = typeof jobId === 'string' ? this.jobs.get(jobId) : undefined;
    if (!e) throw new ApiFailure('NOT_FOUND', `No job ${String(jobId).slice(0, 100)}`);
    return e;
  }

  private async run(entry: Entry, work: (ctl: JobControl) => Promise<Job['result']>): Promise<void> {
    const { job, abort } = entry;
    const ctl: JobControl = {
      signal: abort.signal,
      progress(done, total, step = null) {
        job.progress = { done, total, step };
      },
    };
    try {
      const result = await work(ctl);
      (job as { result: Job['result'] }).result = result;
      job.state = abort.signal.aborted ? 'cancelled' : 'done';
    } catch (err) {
      job.state = abort.signal.aborted ? 'cancelled' : 'failed';
      job.error = toApiError(err);
    } finally {
      job.finishedAt = new Date().toISOString();
      if (entry.writes) await this.onCaseChanged().catch(() => undefined);
    }
  }
}

function snapshot<J extends Job>(job: J): J {
  return { ...job, progress: { ...job.progress } };
}
