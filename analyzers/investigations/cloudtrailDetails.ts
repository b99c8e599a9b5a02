import { LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { CASE_DB, sqlString, type CaseStore } from '../store/caseStore';
import { CLOUDTRAIL_COLUMNS, quoteIdent } from '../store/schema';
import type { Rule } from './ruleFile';

/**
 * CloudTrail's nested parts (request_parameters, response_elements, ...) are
 * virtual columns computed from raw, and raw is stored zstd-compressed a
 * vector of 2,048 records at a time. A rule that reads request_parameters of
 * a hundred scattered events makes DuckDB decompress a hundred vectors of
 * about 3 MB each; seventy rules each doing that cost more than all the rest
 * of a run. So a run decompresses raw once: the rows of the event names its
 * rules mention, with the parsed columns they read, go into a scratch table,
 * and on the connections of those rules `cloudtrail` is a temp view that
 * takes these rows from the scratch table and every other row from the case.
 * The view has the table's columns in the table's order, so a rule's SQL
 * means the same either way.
 */

/**
 * Rows parsed ahead at most. Past it, the most frequent names are left out
 * (their rules read raw themselves, as without the scratch table), so the
 * scratch table's memory stays bounded on large cases.
 */
export const DETAIL_ROW_CAP = 250_000;
const SCRATCH_TABLE = 'cloudtrail_detail';
/** The rule loader only gathers names of this shape; checked again because they are written into the view's SQL. */
const SAFE_NAME = /^[A-Za-z0-9]+$/;
const FROM_RAW = /^json_extract\(raw, '(\$[^']*)'\)$/;

export interface CloudTrailDetails {
  /** Creates the view on a connection (a temp view is the connection's own). */
  viewSql: string;
  rows: number;
  eventNames: string[];
}

/** The CloudTrail rows the rules read JSON of, parsed once into `scratch`; null when no rule needs it. */
export async function prepareCloudTrailDetails(store: CaseStore, scratch: string, rules: Rule[], cap = DETAIL_ROW_CAP): Promise<CloudTrailDetails | null> {
  const readers = rules.filter((r) => r.cloudtrailDetail.columns.length > 0);
  const wanted = [...new Set(readers.flatMap((r) => r.cloudtrailDetail.eventNames))].filter((n) => SAFE_NAME.test(n));
  if (wanted.length === 0) return null;
  const counted = await store.conn.runAndReadAll(
    `SELECT event_name AS name, count(*) AS n FROM ${CASE_DB}.main.cloudtrail WHERE list_contains($names, event_name) GROUP BY 1 ORDER BY 2, 1`,
    { names: listValue(wanted) },
    { names: LIST(VARCHAR) },
  );
  const names: string[] = [];
  let rows = 0;
  for (const r of counted.getRowObjectsJS() as { name: string; n: bigint }[]) {
    if (rows + Number(r.n) > cap) break;
    rows += Number(r.n);
    names.push(r.name);
  }
  if (names.length === 0) return null;

  const needed = new Set(readers.flatMap((r) => r.cloudtrailDetail.columns));
  const parsed = CLOUDTRAIL_COLUMNS.filter((c) => c.generated && needed.has(c.name));
  const paths = parsed.map((c) => FROM_RAW.exec(c.generated!)?.[1]);
  const typed = CLOUDTRAIL_COLUMNS.filter((c) => !c.generated && (c.name !== 'raw' || needed.has('raw')));
  // One parse of raw per row for every path at once, rather than one per column.
  const jsonPaths = paths.filter((p): p is string => p !== undefined);
  const parts = parsed.map((c, i) =>
    paths[i] === undefined ? `(${c.generated}) AS ${quoteIdent(c.name)}` : `j[${jsonPaths.indexOf(paths[i]!) + 1}] AS ${quoteIdent(c.name)}`,
  );
  const table = `${quoteIdent(scratch)}.main.${SCRATCH_TABLE}`;
  await store.conn.run(
    `CREATE TABLE ${table} AS
     SELECT ${[...typed.map((c) => quoteIdent(c.name)), ...parts].join(', ')}
       FROM (SELECT *${jsonPaths.length ? `, json_extract(raw, [${jsonPaths.map(sqlString).join(', ')}]) AS j` : ''}
               FROM ${CASE_DB}.main.cloudtrail WHERE list_contains($names, event_name))`,
    { names: listValue(names) },
    { names: LIST(VARCHAR) },
  );

  const stored = new Set([...typed, ...parsed].map((c) => c.name));
  const fromScratch = CLOUDTRAIL_COLUMNS.map((c) =>
    stored.has(c.name)
      ? quoteIdent(c.name)
      : // Never read by these rules (the loader found no reference); a read would be a loader bug, so it fails loudly.
        `CAST(error(${sqlString(`cloudtrail.${c.name} was not prepared for this investigation run`)}) AS ${c.type}) AS ${quoteIdent(c.name)}`,
  );
  const all = CLOUDTRAIL_COLUMNS.map((c) => quoteIdent(c.name)).join(', ');
  const viewSql = `CREATE OR REPLACE TEMP VIEW cloudtrail AS
    SELECT ${fromScratch.join(', ')} FROM ${table}
    UNION ALL
    SELECT ${all} FROM ${CASE_DB}.main.cloudtrail WHERE NOT coalesce(list_contains([${names.map(sqlString).join(', ')}], event_name), false)`;
  return { viewSql, rows, eventNames: names };
}

export async function useCloudTrailDetails(conn: DuckDBConnection, details: CloudTrailDetails): Promise<void> {
  await conn.run(details.viewSql);
}

/** Whether a rule reads CloudTrail through the scratch table, when there is one. */
export function readsCloudTrailDetail(rule: Rule): boolean {
  return rule.cloudtrailDetail.columns.length > 0;
}
