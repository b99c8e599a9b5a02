import type { CaseStore } from '../store/caseStore';
import { QueryEngine } from '../query/pager';
import { ImportJobs } from './importJobs';
import { JobRegistry } from './jobs';

/** Everything a handler needs: the case, its read engine, its import runs, and results cached until the case changes. */
export interface ApiContext {
  store: CaseStore;
  engine: QueryEngine;
  imports: ImportJobs;
  /** Investigations, hunts, exports and validations started from the UI. */
  jobs: JobRegistry;
  /** The user's hunt library folder; unset, the library's default ($CLOUDSIFT_HUNTS, else ~/.cloudsift/hunts). */
  huntsDir?: string;
  /** Memoises an expensive read (overview, histogram) until the next import. */
  cached<T>(key: string, compute: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface ApiContextOptions {
  huntsDir?: string;
}

export async function createApiContext(store: CaseStore, options: ApiContextOptions = {}): Promise<ApiContext> {
  const readConn = await store.connect();
  const engine = new QueryEngine(readConn);
  const cache = new Map<string, Promise<unknown>>();
  const caseChanged = async () => {
    cache.clear();
    await engine.invalidate();
  };
  // Imports and writing jobs share the case's one writer: each refuses to start while the other runs.
  const imports: ImportJobs = new ImportJobs(store, caseChanged, () => jobs.writer());
  const jobs: JobRegistry = new JobRegistry(caseChanged, () => imports.list().some((j) => j.state === 'running'));
  return {
    store,
    engine,
    imports,
    jobs,
    huntsDir: options.huntsDir,
    cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let hit = cache.get(key) as Promise<T> | undefined;
      if (!hit) {
        hit = compute();
        cache.set(key, hit);
        hit.catch(() => cache.delete(key));
      }
      return hit;
    },
    async close() {
      await imports.idle();
      await jobs.idle();
      readConn.closeSync();
    },
  };
}
