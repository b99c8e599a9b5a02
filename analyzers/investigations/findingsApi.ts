import { INTEGER, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { EVENT_TABLES, quoteIdent } from '../store/schema';
import type { Severity } from './ruleFile';

export interface EvidenceRef {
  table: string;
  source_file_id: number;
  record_index: number;
  /** Path of the source file, relative to its import root. */
  path: string | null;
}

export interface FindingEntities {
  principals: string[];
  access_keys: string[];
  ips: string[];
  resources: string[];
  instances: string[];
}

export interface Finding {
  finding_id: number;
  run_id: number;
  /** The investigation id, e.g. CS-CT-001. */
  id: string;
  title: string;
  severity: Severity;
  /** ATT&CK technique ids. */
  attack: string[];
  /** ATT&CK tactic ids. */
  tactics: string[];
  first_seen: string | null;
  last_seen: string | null;
  count: number;
  detail: string;
  entities: FindingEntities;
  evidence: EvidenceRef[];
}

export interface EvidenceRow extends EvidenceRef {
  /** 1-based position in the finding's evidence list. */
  position: number;
  event_time: string | null;
  /** The record exactly as in the source file; null if the row is no longer in the case. */
  raw: string | null;
}

interface FindingRow {
  finding_id: string | number;
  run_id: number;
  rule_id: string;
  title: string;
  severity: Severity;
  tactics: string[];
  techniques: string[];
  first_seen: string | null;
  last_seen: string | null;
  event_count: string | number;
  detail: string | null;
  principals: string[];
  access_keys: string[];
  ips: string[];
  resources: string[];
  instances: string[];
  evidence: { tbl: string; source_file_id: number; record_index: string | number }[];
}

/** Findings ranked by severity, then by when they started; optionally only those of some investigations. */
export async function listFindings(store: CaseStore, filter: { ruleIds?: string[]; findingId?: number } = {}): Promise<Finding[]> {
  const reader = await store.conn.runAndReadAll(
    `SELECT finding_id, run_id, rule_id, title, severity, tactics, techniques, iso(first_seen) AS first_seen, iso(last_seen) AS last_seen,
            event_count, detail, principals, access_keys, ips, resources, instances, evidence
       FROM findings
      WHERE ($all_rules OR list_contains($ids, rule_id)) AND ($finding_id IS NULL OR finding_id = $finding_id)
      ORDER BY severity_rank, first_seen NULLS LAST, rule_id, finding_id`,
    { all_rules: filter.ruleIds === undefined, ids: listValue(filter.ruleIds ?? []), finding_id: filter.findingId ?? null },
    { ids: LIST(VARCHAR), finding_id: INTEGER },
  );
  const rows = reader.getRowObjectsJson() as unknown as FindingRow[];
  const paths = await sourcePaths(store);
  return rows.map((r) => ({
    finding_id: Number(r.finding_id),
    run_id: r.run_id,
    id: r.rule_id,
    title: r.title,
    severity: r.severity,
    attack: r.techniques,
    tactics: r.tactics,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    count: Number(r.event_count),
    detail: r.detail ?? '',
    entities: { principals: r.principals, access_keys: r.access_keys, ips: r.ips, resources: r.resources, instances: r.instances },
    evidence: r.evidence.map((e) => ({
      table: e.tbl,
      source_file_id: e.source_file_id,
      record_index: Number(e.record_index),
      path: paths.get(e.source_file_id) ?? null,
    })),
  }));
}

export async function getFinding(store: CaseStore, findingId: number): Promise<Finding | undefined> {
  return (await listFindings(store, { findingId }))[0];
}

/**
 * One page of a finding's evidence with the raw records and their source
 * files, in the order the investigation listed them.
 */
export async function getFindingEvidence(
  store: CaseStore,
  findingId: number,
  limit = 100,
  offset = 0,
): Promise<{ total: number; rows: EvidenceRow[] }> {
  const totalRow = await store.one<{ n: number }>(`SELECT len(evidence)::INTEGER AS n FROM findings WHERE finding_id = $1`, [findingId]);
  if (!totalRow) return { total: 0, rows: [] };
  const joins = EVENT_TABLES.map(
    (t, i) => `LEFT JOIN ${quoteIdent(t)} t${i} ON ev.tbl = $tbl${i} AND t${i}.source_file_id = ev.source_file_id AND t${i}.record_index = ev.record_index`,
  );
  const times = EVENT_TABLES.map((t, i) => (t === 'digests' ? `t${i}.digest_end_time` : `t${i}.event_time`));
  const rows = await store.allJson<{ position: number; tbl: string; source_file_id: number; record_index: string | number; path: string | null; event_time: string | null; raw: string | null }>(
    `WITH ev AS (
       SELECT p AS position, evidence[p].tbl AS tbl, evidence[p].source_file_id AS source_file_id, evidence[p].record_index AS record_index
         FROM findings, generate_series(1, len(evidence)) AS g(p)
        WHERE finding_id = $id
        ORDER BY p
        LIMIT $limit OFFSET $offset)
     SELECT ev.position::INTEGER AS position, ev.tbl, ev.source_file_id, ev.record_index, s.path,
            iso(coalesce(${times.join(', ')})) AS event_time,
            coalesce(${EVENT_TABLES.map((_t, i) => `t${i}.raw`).join(', ')}) AS raw
       FROM ev ${joins.join(' ')}
       LEFT JOIN sources s ON s.source_file_id = ev.source_file_id
      ORDER BY ev.position`,
    { id: findingId, limit, offset, ...Object.fromEntries(EVENT_TABLES.map((t, i) => [`tbl${i}`, t])) },
  );
  return {
    total: totalRow.n,
    rows: rows.map((r) => ({
      position: r.position,
      table: r.tbl,
      source_file_id: r.source_file_id,
      record_index: Number(r.record_index),
      path: r.path,
      event_time: r.event_time,
      raw: r.raw,
    })),
  };
}

async function sourcePaths(store: CaseStore): Promise<Map<number, string>> {
  const rows = await store.all<{ source_file_id: number; path: string }>(`SELECT source_file_id, path FROM sources`);
  return new Map(rows.map((r) => [r.source_file_id, r.path]));
}
