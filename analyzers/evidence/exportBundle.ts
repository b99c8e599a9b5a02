import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseStore } from '../store/caseStore';
import { EVENT_TABLES, quoteIdent } from '../store/schema';
import { listSources } from '../store/sources';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { csvCell } from '../format/csv';
import { listFindings, type Finding } from '../investigations/findingsApi';
import { latestValidation, validateDigests } from '../integrity/digestValidation';
import { listItems } from '../timeline/incidentTimeline';
import { exportTimelineItems } from '../timeline/exports';
import { HuntLibrary } from '../hunts/library';
import { runHuntSandboxed } from '../hunts/runHunt';
import { listHuntRuns, recordHuntRun } from '../hunts/history';
import { signBytes } from './bundleSigning';
import { renderReport, type ReportSection } from './reportHtml';
import { buildZip, type ZipEntry } from './zipWriter';

export interface ExportOptions {
  out: string;
  /** Finding ids (numbers) or investigation ids (CS-…); all findings when absent. */
  findings?: string[];
  timeline?: boolean;
  hunts?: string[];
  huntLibrary?: HuntLibrary;
  /** Ed25519 private key (PEM) to sign SHA256SUMS with. */
  signKey?: string;
  analyst?: string;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface ExportResult {
  out: string;
  files: string[];
  sha256sums: string;
  signed: boolean;
}

const RULES_SNAPSHOT = 'investigation_runs';

/**
 * An evidence bundle: a zip anyone can verify offline with `cloudsift
 * verify`. Everything in it is listed in SHA256SUMS, optionally signed with
 * Ed25519. Two exports of the same case differ only in their timestamps:
 * every list is ordered and every file is written the same way.
 */
export async function exportBundle(store: CaseStore, opts: ExportOptions): Promise<ExportResult> {
  const exportedAt = new Date();
  const files = new Map<string, Buffer>();
  const put = (name: string, data: string | Buffer) => files.set(name, Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'));
  const steps = 7;
  let step = 0;
  const progress = (s: string) => opts.onProgress?.(s, step++, steps);

  progress('inventory');
  const caseId = (await store.one<{ value: string }>(`SELECT value FROM cloudsift_meta WHERE key = 'case_id'`))?.value ?? '';
  const sources = await listSources(store);
  put('inventory/sources.json', json(sources));
  put('inventory/sources.csv', csv(sources as unknown as Record<string, unknown>[], ['source_file_id', 'path', 'size', 'sha256', 'content_sha256', 'kind', 'format', 'container', 'status', 'records_imported', 'records_duplicate', 'records_rejected', 'first_event_time', 'last_event_time', 'imported_at', 'tool_version', 'message']));
  const rejects = await store.all<Record<string, unknown>>(`SELECT r.source_file_id, s.path, r.position, r.position_kind, r.reason, r.excerpt FROM rejects r JOIN sources s USING (source_file_id) ORDER BY 1, 3`);
  put('inventory/rejects.csv', csv(rejects, ['source_file_id', 'path', 'position', 'position_kind', 'reason', 'excerpt']));

  progress('digest validation');
  const validation = (await latestValidation(store)) ?? (await validateDigests(store));
  put('integrity/digest-validation.json', json(validation));

  progress('findings');
  const allFindings = await listFindings(store);
  const wanted = opts.findings;
  const findings = wanted ? allFindings.filter((f) => wanted.includes(String(f.finding_id)) || wanted.includes(f.id)) : allFindings;
  put('findings/findings.json', json(findings));
  put('findings/findings.csv', csv(findings.map(flatFinding), ['finding_id', 'id', 'title', 'severity', 'attack', 'tactics', 'first_seen', 'last_seen', 'count', 'detail', 'principals', 'access_keys', 'ips', 'resources', 'instances', 'evidence_rows']));

  progress('timeline');
  const items = opts.timeline ? await listItems(store) : [];
  if (opts.timeline) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-bundle-'));
    try {
      for (const [fmt, name] of [['csv', 'timeline.csv'], ['jsonl', 'timeline.jsonl'], ['parquet', 'timeline.parquet'], ['timesketch', 'timeline.timesketch.jsonl']] as const) {
        const f = path.join(tmp, name);
        await exportTimelineItems(store, items, fmt, f);
        put(`timeline/${name}`, fs.readFileSync(f));
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  progress('evidence records');
  const refs = new Map<string, { tbl: string; source_file_id: number; record_index: number }>();
  for (const f of findings) for (const e of f.evidence) refs.set(`${e.table}:${e.source_file_id}:${e.record_index}`, { tbl: e.table, source_file_id: e.source_file_id, record_index: e.record_index });
  for (const i of items) if (i.tbl && i.source_file_id !== null && i.record_index !== null) refs.set(`${i.tbl}:${i.source_file_id}:${i.record_index}`, { tbl: i.tbl, source_file_id: i.source_file_id, record_index: i.record_index });
  const evidence = await evidenceRows(store, [...refs.values()]);
  put('evidence/records.jsonl', evidence.map((r) => JSON.stringify(r)).join('\n') + (evidence.length ? '\n' : ''));

  progress('hunts');
  const huntVersions: Record<string, string> = {};
  const huntSections: ReportSection[] = [];
  if (opts.hunts && opts.hunts.length > 0) {
    const lib = opts.huntLibrary ?? new HuntLibrary();
    const history = await listHuntRuns(store, 10_000);
    for (const id of [...opts.hunts].sort()) {
      const hunt = lib.get(id);
      const last = history.find((r) => r.hunt_id === hunt.id && r.status === 'ok');
      const params = last?.parameters ?? {};
      const startedAt = new Date();
      const r = await runHuntSandboxed(store.file, hunt, params, { maxRows: 100_000 });
      await recordHuntRun(store, { hunt, params: r.params, status: 'ok', rowCount: r.rowCount, durationMs: r.durationMs, startedAt });
      huntVersions[hunt.id] = sha256(hunt.text);
      put(`hunts/${hunt.id}/hunt.sql`, hunt.text);
      put(`hunts/${hunt.id}/parameters.json`, json(r.params));
      put(`hunts/${hunt.id}/results.csv`, [r.columns.map(csvCell).join(','), ...r.rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n');
      huntSections.push({ title: `Hunt ${hunt.id}: ${hunt.title}`, text: [`${r.rowCount} rows. Parameters: ${JSON.stringify(r.params)}`], pre: [{ caption: 'SQL', body: hunt.sql }], table: { headers: r.columns, rows: r.rows.slice(0, 200) } });
    }
  }

  progress('report');
  const ruleVersions = await investigationVersions(store);
  const manifest = {
    format: 'cloudsift-evidence-bundle/1',
    case_id: caseId,
    case_file: path.basename(store.file),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    exported_at: exportedAt.toISOString(),
    analyst: opts.analyst ?? process.env.CLOUDSIFT_ANALYST ?? os.userInfo().username,
    selection: { findings: wanted ?? 'all', timeline: Boolean(opts.timeline), hunts: [...(opts.hunts ?? [])].sort() },
    investigations: ruleVersions,
    hunts: huntVersions,
    counts: { sources: sources.length, findings: findings.length, timeline_items: items.length, evidence_records: evidence.length },
  };
  put('manifest.json', json(manifest));
  put('report.html', report(manifest, sources, validation, findings, items, huntSections));

  const names = [...files.keys()].sort();
  const sums = names.map((n) => `${sha256(files.get(n)!)}  ${n}`).join('\n') + '\n';
  const entries: ZipEntry[] = names.map((n) => ({ name: n, data: files.get(n)!, mtime: exportedAt }));
  entries.push({ name: 'SHA256SUMS', data: Buffer.from(sums), mtime: exportedAt });
  let signed = false;
  if (opts.signKey) {
    const { signature, fingerprint } = signBytes(opts.signKey, Buffer.from(sums));
    entries.push({ name: 'SHA256SUMS.sig', data: Buffer.from(`${signature}\n`), mtime: exportedAt });
    entries.push({ name: 'SHA256SUMS.sig.info', data: Buffer.from(json({ algorithm: 'Ed25519', public_key_sha256: fingerprint })), mtime: exportedAt });
    signed = true;
  }
  fs.writeFileSync(opts.out, buildZip(entries));
  progress('done');
  return { out: opts.out, files: entries.map((e) => e.name), sha256sums: sums, signed };
}

async function evidenceRows(store: CaseStore, refs: { tbl: string; source_file_id: number; record_index: number }[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const tbl of EVENT_TABLES) {
    const mine = refs.filter((r) => r.tbl === tbl);
    if (mine.length === 0) continue;
    await store.run(`CREATE OR REPLACE TEMP TABLE bundle_refs (source_file_id INTEGER, record_index BIGINT)`);
    const a = await store.conn.createAppender('bundle_refs', 'main', 'temp');
    for (const r of mine) {
      a.appendInteger(r.source_file_id);
      a.appendBigInt(BigInt(r.record_index));
      a.endRow();
    }
    a.flushSync();
    a.closeSync();
    const rows = await store.all<Record<string, unknown>>(
      `SELECT $tbl AS "table", t.source_file_id, t.record_index, s.path, s.sha256 AS source_sha256, t.raw
       FROM ${quoteIdent(tbl)} t JOIN bundle_refs USING (source_file_id, record_index) JOIN sources s USING (source_file_id)
       ORDER BY t.source_file_id, t.record_index`,
      { tbl },
    );
    for (const r of rows) out.push({ ...r, record_index: Number(r.record_index) });
  }
  return out;
}

async function investigationVersions(store: CaseStore): Promise<Record<string, string>> {
  const exists = await store.one(`SELECT 1 AS x FROM duckdb_tables() WHERE database_name = current_database() AND table_name = $1`, [RULES_SNAPSHOT]);
  if (!exists) return {};
  const r = await store.one<{ v: string | null }>(`SELECT rule_versions::VARCHAR AS v FROM ${RULES_SNAPSHOT} ORDER BY run_id DESC LIMIT 1`);
  if (!r?.v) return {};
  const parsed = JSON.parse(r.v) as Record<string, string>;
  return Object.fromEntries(Object.entries(parsed).sort(([a], [b]) => a.localeCompare(b)));
}

function report(
  manifest: { case_id: string; tool: { name: string; version: string }; exported_at: string; analyst: string },
  sources: Awaited<ReturnType<typeof listSources>>,
  validation: Awaited<ReturnType<typeof validateDigests>>,
  findings: Finding[],
  items: Awaited<ReturnType<typeof listItems>>,
  huntSections: ReportSection[],
): string {
  const v = validation.summary;
  const problems = validation.results.filter((r) => !['valid', 'chain_ok', 'chain_start', 'signature_valid', 'signature_unchecked'].includes(r.status));
  const sections: ReportSection[] = [
    {
      title: 'How to check this bundle',
      text: ['Run `cloudsift verify <bundle.zip> [--public-key <key.pub>]` on any machine: it recomputes the SHA-256 of every file listed in SHA256SUMS and checks the signature. This report is plain HTML with no scripts; all log content is shown as text.'],
    },
    {
      title: 'CloudTrail digest validation',
      text: [
        `${v.digests} digests; ${v.logs_valid} log files valid, ${v.logs_tampered} tampered, ${v.logs_missing} missing, ${v.logs_unlisted} present but listed in no digest; ${v.chain_breaks} chain breaks, ${v.digests_missing} missing digests, ${v.gaps} gaps.`,
        v.signature_note,
      ],
      table: { headers: ['status', 'kind', 'trail', 'region', 'object', 'from', 'to', 'detail'], rows: problems.map((r) => [r.status, r.kind, r.trail, r.region, r.s3_object, r.from_time, r.to_time, r.detail]) },
    },
    {
      title: `Findings (${findings.length})`,
      table: { headers: ['severity', 'id', 'title', 'ATT&CK', 'first seen', 'last seen', 'count', 'detail', 'principals', 'IPs'], rows: findings.map((f) => [f.severity, f.id, f.title, f.attack.join(' '), f.first_seen, f.last_seen, f.count, f.detail, f.entities.principals.join(', '), f.entities.ips.join(', ')]) },
    },
    ...(items.length ? [{ title: `Incident timeline (${items.length})`, table: { headers: ['time', 'kind', 'title', 'note', 'tags', 'record'], rows: items.map((i) => [i.time, i.kind, i.title, i.note, i.tags.join(', '), i.tbl ? `${i.tbl}:${i.source_file_id}:${i.record_index}` : '']) } }] : []),
    ...huntSections,
    {
      title: `Input files (${sources.length})`,
      table: { headers: ['id', 'path', 'size', 'sha256', 'kind', 'status', 'records', 'rejected'], rows: sources.map((s) => [s.source_file_id, s.path, s.size, s.sha256, s.kind, s.status, s.records_imported, s.records_rejected]) },
    },
  ];
  return renderReport(`Cloudsift evidence report: case ${manifest.case_id}`, `Exported ${manifest.exported_at} by ${manifest.analyst} with ${manifest.tool.name} ${manifest.tool.version}`, sections);
}

function flatFinding(f: Finding): Record<string, unknown> {
  return {
    finding_id: f.finding_id,
    id: f.id,
    title: f.title,
    severity: f.severity,
    attack: f.attack.join(' '),
    tactics: f.tactics.join(' '),
    first_seen: f.first_seen,
    last_seen: f.last_seen,
    count: f.count,
    detail: f.detail,
    principals: f.entities.principals.join(' '),
    access_keys: f.entities.access_keys.join(' '),
    ips: f.entities.ips.join(' '),
    resources: f.entities.resources.join(' '),
    instances: f.entities.instances.join(' '),
    evidence_rows: f.evidence.map((e) => `${e.table}:${e.source_file_id}:${e.record_index}`).join(' '),
  };
}

function csv(rows: Record<string, unknown>[], cols: string[]): string {
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

function json(v: unknown): string {
  return `${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2)}\n`;
}

function sha256(b: Buffer | string): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}
