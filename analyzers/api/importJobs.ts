import crypto from 'node:crypto';
import type { CaseStore } from '../store/caseStore';
import type { ImportProgress } from '../importers/types';
import type { ImportFileProgress, ImportJob, JsonValue } from './contract';
import { ApiFailure, toApiError } from './errors';

const KEEP_FILES = 300;
const KEEP_JOBS = 20;

/**
 * Import runs started from the UI. The case has one writer, so one import runs
 * at a time; the UI polls a job for progress.
 */
export class ImportJobs {
  private jobs = new Map<string, ImportJob>();
  private running: string | null = null;

  constructor(
    private readonly store: CaseStore,
    /** Called when a run ends, so that cached views and counts are recomputed. */
    private readonly onCaseChanged: () => Promise<void>,
    /** The kind of background job writing the case, if one is (an investigation, a validation). */
    private readonly otherWriter: () => string | null = () => null,
  ) {}

  start(paths: string[]): ImportJob {
    if (this.store.readOnly) throw new ApiFailure('CASE_READ_ONLY', 'This case is open read-only');
    if (this.running) throw new ApiFailure('IMPORT_RUNNING', 'An import is already running in this case; wait for it to finish');
    const other = this.otherWriter();
    if (other) throw new ApiFailure('JOB_RUNNING', `A ${other} job is changing this case; import when it has finished`);
    const job: ImportJob = {
      jobId: crypto.randomUUID(),
      paths,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: { phase: 'scanning', filesTotal: 0, filesDone: 0, bytesTotal: 0, bytesDone: 0, records: 0, rejected: 0, currentFile: null },
      files: [],
      summary: null,
      error: null,
    };
    this.jobs.set(job.jobId, job);
    this.running = job.jobId;
    while (this.jobs.size > KEEP_JOBS) this.jobs.delete(this.jobs.keys().next().value as string);
    void this.run(job);
    return snapshot(job);
  }

  get(jobId: string): ImportJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiFailure('NOT_FOUND', `No import job ${jobId}`);
    return snapshot(job);
  }

  list(): ImportJob[] {
    return [...this.jobs.values()].reverse().map(snapshot);
  }

  /** Resolves when no import is running (used before closing the case). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 50));
  }

  private async run(job: ImportJob): Promise<void> {
    try {
      // Loaded on first use: a server that only browses a case never pays for the importers.
      const { importPaths } = await import('../importers/importRun');
      const summary = await importPaths(this.store, job.paths, { onProgress: (p) => track(job, p) });
      for (const f of job.files) f.state = 'done';
      job.summary = JSON.parse(JSON.stringify(summary)) as JsonValue;
      job.state = 'done';
      job.progress.phase = 'done';
      job.progress.currentFile = null;
    } catch (err) {
      job.state = 'failed';
      job.error = toApiError(err);
    } finally {
      job.finishedAt = new Date().toISOString();
      try {
        await this.onCaseChanged();
      } finally {
        this.running = null;
      }
    }
  }
}

function track(job: ImportJob, p: ImportProgress): void {
  const current = p.currentFile ?? null;
  const head = job.files[0];
  if (current && head?.path !== current) {
    if (head) head.state = 'done';
    job.files.unshift({ path: current, state: 'importing' } satisfies ImportFileProgress);
    if (job.files.length > KEEP_FILES) job.files.length = KEEP_FILES;
  }
  job.progress = {
    phase: p.phase,
    filesTotal: p.filesTotal,
    filesDone: p.filesDone,
    bytesTotal: p.bytesTotal,
    bytesDone: p.bytesDone,
    records: p.records,
    rejected: p.rejected,
    currentFile: current,
  };
}

function snapshot(job: ImportJob): ImportJob {
  return { ...job, progress: { ...job.progress }, files: job.files.map((f) => ({ ...f })) };
}
