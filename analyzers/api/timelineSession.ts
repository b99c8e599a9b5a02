import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { EVENTS_TABLE, buildEventsTable } from '../timeline/eventsTable';
import type { ApiContext } from './context';
import { ApiFailure } from './errors';

/**
 * The timeline, entity and incident-timeline engine functions take a CaseStore
 * and run several statements on its connection (a transaction to rebuild the
 * unified table, a temp table per entity profile). The store's own connection
 * is the importer's, so they get a connection of their own, one statement
 * sequence at a time.
 *
 * Where the unified table comes from:
 * - a writable case builds it in the case on first use after an import
 *   (ensureEventsTable);
 * - while an import runs it is not rebuilt: a rebuild would record the running
 *   import as included, and the records still to come would never show;
 * - a read-only case cannot write it, so when it is missing or older than the
 *   last import an in-memory copy is built on this connection, once (temp
 *   tables shadow the case's tables, so the engine's queries read the copy).
 */
export interface TimelineSession {
  /** Runs work over the case as the engine functions see it; `writes` refuses a read-only case. */
  run<T>(opts: { writes: boolean; events: boolean }, work: (store: CaseStore) => Promise<T>): Promise<T>;
}

const sessions = new WeakMap<ApiContext, Promise<TimelineSession>>();

export function timelineSession(ctx: ApiContext): Promise<TimelineSession> {
  let s = sessions.get(ctx);
  if (!s) {
    s = openSession(ctx);
    sessions.set(ctx, s);
    s.catch(() => sessions.delete(ctx));
  }
  return s;
}

async function openSession(ctx: ApiContext): Promise<TimelineSession> {
  const conn = await ctx.store.connect();
  let queue: Promise<unknown> = Promise.resolve();
  let memoryCopy = false;
  return {
    run<T>(opts: { writes: boolean; events: boolean }, work: (store: CaseStore) => Promise<T>): Promise<T> {
      if (opts.writes && ctx.store.readOnly) return Promise.reject(new ApiFailure('CASE_READ_ONLY', 'This case is open read-only: the incident timeline cannot be changed'));
      const next = queue.then(async () => {
        const importing = ctx.imports.list().some((j) => j.state === 'running');
        const view = storeOn(ctx.store, conn, ctx.store.readOnly || importing);
        if (opts.events) {
          const state = await eventsTableState(view);
          if (ctx.store.readOnly && state !== 'current' && !memoryCopy) {
            await buildEventsTable(view, 'TEMP TABLE');
            memoryCopy = true;
          } else if (importing && state === 'missing') {
            throw new ApiFailure('IMPORT_RUNNING', 'An import is running: the unified timeline is built when it finishes');
          }
        }
        return work(view);
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/**
 * The case's store with another connection; `readOnly` also keeps
 * ensureEventsTable from rebuilding (during an import).
 */
function storeOn(store: CaseStore, conn: DuckDBConnection, readOnly: boolean): CaseStore {
  return Object.create(store, { conn: { value: conn }, readOnly: { value: readOnly } }) as CaseStore;
}

/** The rule ensureEventsTable rebuilds by: the table exists and was built after the latest import. */
async function eventsTableState(store: CaseStore): Promise<'current' | 'stale' | 'missing'> {
  const r = await store.one<{ built: string | null; latest: string | null; present: boolean }>(
    `SELECT (SELECT value FROM cloudsift_meta WHERE key = 'unified_events_import') AS built,
            (SELECT max(import_id)::VARCHAR FROM imports) AS latest,
            EXISTS (SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND table_name = $1) AS present`,
    [EVENTS_TABLE],
  );
  if (!r?.present) return 'missing';
  return r.built === (r.latest ?? 'none') ? 'current' : 'stale';
}
