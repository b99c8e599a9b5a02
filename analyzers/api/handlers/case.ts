import { TABLES, quoteIdent } from '../../store/schema';
import { SCHEMA_VERSION } from '../../store/migrations';
import type { HandlerMap } from './types';

export const caseHandlers: HandlerMap<'case/info'> = {
  'case/info': async (ctx) => {
    const meta = await ctx.engine.rows(`SELECT key, value FROM cloudsift_meta`);
    const get = (k: string) => meta.find((r) => r.key === k)?.value;
    const counts = await ctx.engine.rows(
      TABLES.map((t, i) => `SELECT $t${i} AS name, count(*) AS n FROM ${quoteIdent(t.name)}`).join(' UNION ALL '),
      Object.fromEntries(TABLES.map((t, i) => [`t${i}`, t.name])),
    );
    return {
      path: ctx.store.file,
      caseId: String(get('case_id') ?? ''),
      schemaVersion: Number(get('schema_version') ?? SCHEMA_VERSION),
      readOnly: ctx.store.readOnly,
      tables: TABLES.map((t) => ({
        name: t.name,
        doc: t.doc,
        isEvents: t.isEvents,
        rows: Number(counts.find((r) => r.name === t.name)?.n ?? 0),
      })),
    };
  },
};
