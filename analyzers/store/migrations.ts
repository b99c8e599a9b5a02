import type { CaseStore } from './caseStore';
import { TABLES, columnDDL, quoteIdent } from './schema';


interface Migration {
  version: number;
  description: string;
  up: (store: CaseStore) => Promise<void>;
}

/**
 * Ordered, append-only. A case written by an older Cloudsift is brought up to
 * date on open; a case from a newer one is refused rather than misread.
 */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'event tables, sources, rejects, imports, record links',
    up: async (store) => {
      for (const t of TABLES) {
        await store.run(`CREATE TABLE IF NOT EXISTS ${quoteIdent(t.name)} (${t.columns.map(columnDDL).join(', ')})`);
      }
      await store.run(`CREATE SEQUENCE IF NOT EXISTS source_file_id_seq START 1`);
      await store.run(`CREATE SEQUENCE IF NOT EXISTS import_id_seq START 1`);
      await store.run(`CREATE TABLE IF NOT EXISTS case_settings (key VARCHAR PRIMARY KEY, value JSON)`);
    },
  },
  {
    version: 2,
    description: 'investigation findings and runs',
    up: async (store) => {
      await store.run(`CREATE SEQUENCE IF NOT EXISTS finding_id_seq START 1`);
      await store.run(`CREATE SEQUENCE IF NOT EXISTS investigation_run_id_seq START 1`);
      // Findings hold the latest result of each investigation; a re-run replaces that rule's rows.
      await store.run(
        `CREATE TABLE IF NOT EXISTS findings (
           finding_id BIGINT PRIMARY KEY,
           run_id INTEGER,
           rule_id VARCHAR,
           title VARCHAR,
           severity VARCHAR,
           severity_rank INTEGER,
           tactics VARCHAR[],
           techniques VARCHAR[],
           first_seen TIMESTAMPTZ,
           last_seen TIMESTAMPTZ,
           event_count BIGINT,
           detail VARCHAR,
           principals VARCHAR[],
           access_keys VARCHAR[],
           ips VARCHAR[],
           resources VARCHAR[],
           instances VARCHAR[],
           evidence STRUCT(tbl VARCHAR, source_file_id INTEGER, record_index BIGINT)[]
         )`,
      );
      await store.run(
        `CREATE TABLE IF NOT EXISTS investigation_runs (
           run_id INTEGER PRIMARY KEY,
           started_at TIMESTAMPTZ,
           finished_at TIMESTAMPTZ,
           tool_version VARCHAR,
           rule_versions JSON,
           settings JSON,
           parameters JSON,
           rules JSON,
           findings BIGINT,
           failed_rules BIGINT
         )`,
      );
    },
  },
  {
    version: 3,
    description: 'hunt run history',
    up: async (store) => {
      await store.run(`CREATE SEQUENCE IF NOT EXISTS hunt_run_id_seq START 1`);
      await store.run(
        `CREATE TABLE IF NOT EXISTS hunt_runs (
           run_id INTEGER PRIMARY KEY, hunt_id VARCHAR, title VARCHAR, hunt_sha256 VARCHAR, sql_text VARCHAR,
           parameters JSON, status VARCHAR, error VARCHAR, row_count BIGINT, duration_ms BIGINT, started_at TIMESTAMPTZ)`,
      );
    },
  },
  {
    version: 4,
    description: 'incident timeline',
    up: async (store) => {
      await store.run(`CREATE SEQUENCE IF NOT EXISTS timeline_item_id_seq START 1`);
      await store.run(
        `CREATE TABLE IF NOT EXISTS timeline_items (
           item_id INTEGER PRIMARY KEY, kind VARCHAR, origin VARCHAR, time TIMESTAMPTZ, title VARCHAR,
           note VARCHAR, tags VARCHAR[], tbl VARCHAR, source_file_id INTEGER, record_index BIGINT,
           finding_id BIGINT, rule_id VARCHAR, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ)`,
      );
    },
  },
  {
    version: 5,
    description: 'CloudTrail digest validation results',
    up: async (store) => {
      await store.run(`CREATE SEQUENCE IF NOT EXISTS digest_validation_run_id_seq START 1`);
      await store.run(`CREATE TABLE IF NOT EXISTS digest_validation_runs (run_id INTEGER PRIMARY KEY, validated_at TIMESTAMPTZ, summary JSON)`);
      await store.run(
        `CREATE TABLE IF NOT EXISTS digest_validation_results (
           run_id INTEGER, kind VARCHAR, status VARCHAR, account VARCHAR, region VARCHAR, trail VARCHAR,
           s3_bucket VARCHAR, s3_object VARCHAR, source_file_id INTEGER, path VARCHAR, expected VARCHAR,
           actual VARCHAR, digest_s3_object VARCHAR, from_time VARCHAR, to_time VARCHAR, detail VARCHAR)`,
      );
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export async function migrate(store: CaseStore): Promise<void> {
  await store.run(`CREATE TABLE IF NOT EXISTS cloudsift_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`);
  const row = await store.one<{ value: string }>(`SELECT value FROM cloudsift_meta WHERE key = 'schema_version'`);
  const current = row ? Number(row.value) : 0;
  if (current > SCHEMA_VERSION) {
    throw new Error(`This case was written by a newer Cloudsift (schema ${current}, this build knows ${SCHEMA_VERSION}).`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    await store.run('BEGIN TRANSACTION');
    try {
      await m.up(store);
      await store.run(
        `INSERT OR REPLACE INTO cloudsift_meta VALUES ('schema_version', $1)`,
        [String(m.version)],
      );
      await store.run('COMMIT');
    } catch (err) {
      await store.run('ROLLBACK');
      throw err;
    }
  }
  const id = await store.one(`SELECT value FROM cloudsift_meta WHERE key = 'case_id'`);
  if (!id) await store.run(`INSERT INTO cloudsift_meta VALUES ('case_id', uuid()::VARCHAR)`);
}
