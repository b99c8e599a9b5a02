import type { CaseStore } from '../store/caseStore';

/**
 * A CloudTrail event delivered in two files (two trails, an organization
 * trail and an account trail, or an Event-history export beside the S3 files)
 * is stored once; each further copy is recorded in record_links, so every
 * place the event was found stays on record.
 *
 * Copies are matched on eventID and content (the record's parsed JSON, so
 * whitespace and pretty-printing do not matter). Two different records that
 * share an eventID, as some exports contain, are both kept; so are repeats
 * within one file, which are what that file says.
 */
export async function dedupeAcrossFiles(store: CaseStore): Promise<number> {
  await store.run(`CREATE OR REPLACE TEMP TABLE dedupe_copies AS
    WITH candidates AS (
      SELECT event_id, source_file_id, record_index, md5(json(raw)) AS h
      FROM cloudtrail
      WHERE event_id IN (SELECT event_id FROM cloudtrail WHERE event_id IS NOT NULL
                         GROUP BY event_id HAVING count(DISTINCT source_file_id) > 1)
    ), ranked AS (
      SELECT *, first_value(source_file_id) OVER w AS kept_file, first_value(record_index) OVER w AS kept_index
      FROM candidates
      WINDOW w AS (PARTITION BY event_id, h ORDER BY source_file_id, record_index)
    )
    SELECT * FROM ranked WHERE source_file_id <> kept_file`);
  const n = Number((await store.one<{ n: bigint }>(`SELECT count(*) AS n FROM dedupe_copies`))!.n);
  if (n === 0) return 0;
  await store.run('BEGIN TRANSACTION');
  try {
    await store.run(`INSERT INTO record_links (table_name, event_id, source_file_id, record_index, kept_source_file_id, kept_record_index)
      SELECT 'cloudtrail', event_id, source_file_id, record_index, kept_file, kept_index FROM dedupe_copies`);
    await store.run(`DELETE FROM cloudtrail c USING dedupe_copies d
      WHERE c.source_file_id = d.source_file_id AND c.record_index = d.record_index`);
    await store.run(`UPDATE sources s SET records_duplicate = d.n
      FROM (SELECT source_file_id, count(*) AS n FROM record_links WHERE table_name = 'cloudtrail' GROUP BY 1) d
      WHERE s.source_file_id = d.source_file_id`);
    await store.run('COMMIT');
  } catch (e) {
    await store.run('ROLLBACK');
    throw e;
  }
  return n;
}
