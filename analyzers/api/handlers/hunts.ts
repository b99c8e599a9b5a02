import { CaseStore, errorMessage } from '../../store/caseStore';
import { TABLES } from '../../store/schema';
import { HuntFormatError, parseHunt, type Hunt, type HuntParamValue } from '../../hunts/huntFile';
import { HuntLibrary, type LibraryHunt } from '../../hunts/library';
import { HuntRunError, resolveParams, runHuntSandboxed, type HuntRunResult } from '../../hunts/runHunt';
import { listHuntRuns, recordHuntRun } from '../../hunts/history';
import type { HuntCatalog, HuntDetail, HuntRunInfo, HuntSummary } from '../contract';
import type { ApiContext } from '../context';
import { ApiFailure } from '../errors';
import { optionalInt, requestObject, requiredString } from '../validate';
import type { HandlerMap } from './types';

const MAX_TEXT = 256 * 1024;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The UI holds results in memory and shows them in a client-side grid. */
const MAX_ROWS = 10_000;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const MAX_TIMEOUT_MS = 30 * 60_000;

/** What the derived tables hold, for the editor; the imported tables say it in schema.ts. */
const DERIVED_DOCS: Record<string, string> = {
  unified_events: 'Every record of every source in one time-ordered table (built by the timeline and investigations)',
  findings: 'Findings of the latest investigation run, one row per finding',
  investigation_runs: 'One row per investigation run: rules, settings and counts',
  timeline_items: 'The incident timeline: pinned events, findings and notes',
  hunt_runs: 'Every hunt run in this case, with its SQL and values',
  digest_validation_runs: 'CloudTrail digest validation runs',
  digest_validation_results: 'Per-file results of digest validation',
  case_settings: 'Investigation settings of this case',
  cloudsift_meta: 'Case identity and schema version',
};

const RUN_STATUS = { HUNT_TIMEOUT: 'timeout', HUNT_CANCELLED: 'cancelled', HUNT_REFUSED: 'refused', HUNT_PARAM: 'failed', HUNT_FAILED: 'failed' } as const;

function library(ctx: ApiContext): HuntLibrary {
  return new HuntLibrary(ctx.huntsDir);
}

/** Hunt format errors are the request's fault: the message says which line. */
function parsed<T>(what: () => T): T {
  try {
    return what();
  } catch (e) {
    if (e instanceof HuntFormatError) throw new ApiFailure('BAD_REQUEST', e.message);
    throw e;
  }
}

function huntId(v: unknown, name: string): string {
  const id = requiredString(v, name, 64);
  if (!ID_PATTERN.test(id)) throw new ApiFailure('BAD_REQUEST', `${name} must be letters, digits, '.', '_' or '-'`);
  return id;
}

function huntText(v: unknown): string {
  return requiredString(v, 'text', MAX_TEXT);
}

/** By id in the library only: a request never names a file to read. */
function findHunt(lib: HuntLibrary, id: string): LibraryHunt {
  const h = parsed(() => lib.list()).find((x) => x.id === id);
  if (!h) throw new ApiFailure('NOT_FOUND', `No hunt '${id}' in the built-in pack or ${lib.userDir}`);
  return h;
}

function userHunt(lib: HuntLibrary, id: string): LibraryHunt {
  const h = findHunt(lib, id);
  if (h.origin !== 'user') throw new ApiFailure('BAD_REQUEST', `'${id}' is a built-in hunt and is read-only; save a copy under another id`);
  return h;
}

function summary(h: Hunt, origin: HuntSummary['origin']): HuntSummary {
  return {
    id: h.id,
    title: h.title,
    description: h.description,
    author: h.author,
    attack: h.attack,
    tags: h.tags,
    params: h.params.map((p) => ({ name: p.name, type: p.type, default: p.default, description: p.description })),
    origin,
  };
}

function detail(h: Hunt, origin: HuntSummary['origin']): HuntDetail {
  return { ...summary(h, origin), sql: h.sql, text: h.text, meta: h.meta };
}

/**
 * Values as the UI sends them: text (the CLI's form, coerced by the hunt's
 * declared type), numbers and booleans (checked the same way, as text), and
 * lists of strings for list parameters.
 */
function givenParams(v: unknown, hunt: Hunt): Record<string, string | HuntParamValue> {
  if (v === undefined) return {};
  const obj = requestObject(v);
  const out: Record<string, string | HuntParamValue> = {};
  for (const [name, value] of Object.entries(obj)) {
    const declared = hunt.params.find((p) => p.name === name);
    if (!declared) throw new ApiFailure('HUNT_PARAM', `hunt ${hunt.id} has no parameter '${name.slice(0, 100)}'`);
    if (value === null) out[name] = null;
    else if (typeof value === 'string') out[name] = value.slice(0, MAX_TEXT);
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else if (Array.isArray(value) && declared.type === 'varchar[]' && value.length <= 10_000 && value.every((x) => typeof x === 'string')) out[name] = value as string[];
    else throw new ApiFailure('HUNT_PARAM', `parameter '${name}' (${declared.type}) cannot take that value`);
  }
  return out;
}

/** The case records the run; a case opened read-only runs hunts but cannot keep their history. */
async function record(ctx: ApiContext, run: Parameters<typeof recordHuntRun>[1]): Promise<void> {
  if (ctx.store.readOnly) return;
  const conn = await ctx.store.connect();
  try {
    await recordHuntRun(ctx.store, run, conn);
  } finally {
    conn.closeSync();
  }
}

async function readCatalog(file: string): Promise<HuntCatalog> {
  // Asked of a sandbox like the one hunts run on, so it lists exactly what a hunt can read.
  const sandbox = await CaseStore.open(file, { readOnly: true, sandbox: true, memoryLimit: '256MB', threads: 1 });
  try {
    const cols = await sandbox.all<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM duckdb_columns()
       WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`,
    );
    const macros = await sandbox.all<{ name: string }>(
      `SELECT DISTINCT function_name AS name FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro') AND NOT internal ORDER BY 1`,
    );
    const byTable = new Map<string, { name: string; type: string }[]>();
    for (const c of cols) {
      const list = byTable.get(c.table_name) ?? [];
      list.push({ name: c.column_name, type: c.data_type });
      byTable.set(c.table_name, list);
    }
    const known = TABLES.filter((t) => byTable.has(t.name));
    const order = (n: string) => (n in DERIVED_DOCS ? Object.keys(DERIVED_DOCS).indexOf(n) : Infinity);
    const others = [...byTable.keys()].filter((n) => !TABLES.some((t) => t.name === n)).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    return {
      tables: [
        ...known.map((t) => ({
          name: t.name,
          doc: t.doc,
          columns: byTable.get(t.name)!.map((c) => {
            const doc = t.columns.find((d) => d.name === c.name)?.doc;
            return doc ? { ...c, doc } : c;
          }),
        })),
        ...others.map((name) => ({ name, doc: DERIVED_DOCS[name] ?? '', columns: byTable.get(name)! })),
      ],
      macros: macros.map((m) => m.name),
    };
  } finally {
    await sandbox.close();
  }
}

export const huntsHandlers: HandlerMap<'hunts/list' | 'hunts/get' | 'hunts/save' | 'hunts/delete' | 'hunts/run' | 'hunts/history' | 'hunts/catalog' | 'hunts/parse'> = {
  'hunts/list': async (ctx) => parsed(() => library(ctx).list()).map((h) => summary(h, h.origin)),

  'hunts/get': async (ctx, req) => {
    const h = findHunt(library(ctx), huntId(requestObject(req).id, 'id'));
    return detail(h, h.origin);
  },

  'hunts/parse': async (_ctx, req) => detail(parsed(() => parseHunt(huntText(requestObject(req).text))), 'file'),

  // Saving writes the user's library folder, not the case: it works on a read-only case too.
  'hunts/save': async (ctx, req) => {
    const r = requestObject(req);
    const text = huntText(r.text);
    const previousId = r.previousId === undefined ? undefined : huntId(r.previousId, 'previousId');
    if (r.replace !== undefined && typeof r.replace !== 'boolean') throw new ApiFailure('BAD_REQUEST', 'replace must be true or false');
    const replace = r.replace === true;
    const lib = library(ctx);
    const hunt = parsed(() => parseHunt(text));
    if (previousId !== undefined) userHunt(lib, previousId);
    const existing = parsed(() => lib.list()).find((x) => x.id === hunt.id);
    if (existing?.origin === 'builtin') throw new ApiFailure('BAD_REQUEST', `'${hunt.id}' is a built-in hunt and is read-only; give your copy another @id`);
    if (previousId !== undefined && hunt.id === previousId) return detail(parsed(() => lib.update(previousId, text)), 'user');
    if (existing && !replace) throw new ApiFailure('FILE_EXISTS', `A hunt '${hunt.id}' is already in your library; replace it or give this one another @id`);
    const saved = parsed(() => lib.create(text, { replace }));
    // A changed @id renames: the new file is written before the old one goes.
    if (previousId !== undefined) lib.delete(previousId);
    return detail(saved, 'user');
  },

  'hunts/delete': async (ctx, req) => {
    const id = huntId(requestObject(req).id, 'id');
    const lib = library(ctx);
    userHunt(lib, id);
    parsed(() => lib.delete(id));
    return { deleted: id };
  },

  'hunts/run': async (ctx, req) => {
    const r = requestObject(req);
    if ((r.id === undefined) === (r.text === undefined)) throw new ApiFailure('BAD_REQUEST', 'Give either id (a library hunt) or text (a hunt file), not both');
    const hunt: Hunt = r.id !== undefined ? findHunt(library(ctx), huntId(r.id, 'id')) : parsed(() => parseHunt(huntText(r.text)));
    const timeoutMs = optionalInt(r.timeoutMs, 'timeoutMs', 100, MAX_TIMEOUT_MS) ?? DEFAULT_TIMEOUT_MS;
    const maxRows = optionalInt(r.maxRows, 'maxRows', 1, MAX_ROWS) ?? MAX_ROWS;
    const params = resolveParams(hunt, givenParams(r.params, hunt));
    return ctx.jobs.start('hunt', { writes: false }, async (ctl) => {
      ctl.progress(0, 1, hunt.id);
      const startedAt = new Date();
      let outcome: HuntRunResult | HuntRunError;
      try {
        outcome = await runHuntSandboxed(ctx.store.file, hunt, params, { signal: ctl.signal, timeoutMs, maxRows });
      } catch (e) {
        outcome = e instanceof HuntRunError ? e : new HuntRunError('HUNT_FAILED', errorMessage(e));
        // Stopped before or while it ran, the run reads the same.
        if (outcome.code === 'HUNT_CANCELLED') outcome = new HuntRunError('HUNT_CANCELLED', 'the hunt was cancelled');
      }
      // Refused and failed runs are history too: what was asked matters as much as what answered.
      await record(
        ctx,
        outcome instanceof HuntRunError
          ? { hunt, params, status: RUN_STATUS[outcome.code], error: outcome.message, startedAt, durationMs: Date.now() - startedAt.getTime() }
          : { hunt, params, status: 'ok', rowCount: outcome.rowCount, durationMs: outcome.durationMs, startedAt },
      );
      if (outcome instanceof HuntRunError) throw outcome;
      ctl.progress(1, 1, hunt.id);
      const { columns, rows, rowCount, truncated, durationMs } = outcome;
      return { huntId: hunt.id, columns, rows, rowCount, truncated, durationMs, params: outcome.params };
    });
  },

  'hunts/history': async (ctx, req): Promise<HuntRunInfo[]> => listHuntRuns(ctx.store, optionalInt(requestObject(req).limit, 'limit', 1, 1000) ?? 200),

  'hunts/catalog': async (ctx) => readCatalog(ctx.store.file),
};
