import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { isUtf8 } from 'node:buffer';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { CASE_DB, errorMessage, sqlString } from '../store/caseStore';
import { EVENT_TABLES, type EventTableName } from '../store/schema';
import { TOOL_VERSION } from '../version';
import { expandArchive } from './archives';
import { cloudtrailInsert } from './cloudtrail';
import { parseCloudFrontStaged } from './cloudfront';
import { detectFormat, gunzipPrefix, isGzip, SNIFF_BYTES, type Detected } from './detect';
import { digestsInsert } from './digests';
import { parseElbStaged } from './elb';
import { walkInputs, type InputFile } from './inputWalk';
import { findJsonRecords, JsonFileError, type JsonFileRecords, type JsonRecord } from './jsonRecords';
import { JsonStager, openJsonStage, rejectFromRow } from './jsonStage';
import { clearLineStage, createLineStage, STAGE_LINES, stageLines, stageLinesFromBuffer, stageLinesFromFile, type StagedFiles } from './lineStage';
import { otherInsert } from './otherRecords';
import { parseS3AccessStaged } from './s3Access';
import { dedupeAcrossFiles } from './dedupe';
import { detectVpcLayout, importVpcFlowParquet, parseVpcFlowStaged } from './vpcFlow';
import { EXCERPT_CHARS, type ImportOptions, type ImportProgress, type ParseResult, type RejectRow } from './types';

const gunzipAsync = promisify(zlib.gunzip);

export interface ImportSummary {
  importId: number;
  /** Files read in this run (archives count once, and so does each member). */
  files: number;
  filesByKind: Record<string, number>;
  /** Files whose bytes were already in the case: nothing added. */
  skippedFiles: number;
  records: Record<EventTableName, number>;
  /** Records found again in another file: linked, not stored twice. */
  duplicates: number;
  rejected: number;
  rejectedFiles: number;
  bytes: number;
  seconds: number;
  missing: string[];
  /** Paths left out by a .cloudsiftignore in an input folder. */
  ignored: string[];
}

/**
 * A batch of JSON files is moved into the tables once it holds this much,
 * while the next batch is read and staged. Less than a row group (122,880
 * rows) of CloudTrail records, so DuckDB moves a batch on one thread and this
 * process has the other core.
 */
const JSON_BATCH_BYTES = 64 * 1024 * 1024;

interface PendingSource {
  id: number;
  file: InputFile;
  sha256: string;
  contentSha256: string | null;
  kind: string;
  format: string;
  container: string;
  positionKind: RejectRow['positionKind'];
  rejects: RejectRow[];
  message?: string;
}

/**
 * Import files, folders and archives into a case. Every input file gets a
 * sources row (its chain-of-custody record); every record is either in a
 * table or in rejects, so that for each file records in = imported + rejected.
 */
export async function importPaths(store: CaseStore, inputs: string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const conn = store.conn;
  await createLineStage(conn);
  await createSourcesStage(conn);
  const importId = Number((await store.one<{ id: bigint }>(`SELECT nextval('import_id_seq') AS id`))!.id);
  await store.run(
    `INSERT INTO imports (import_id, started_at, tool_version, inputs, options) VALUES ($1, now(), $2, $3, $4)`,
    [importId, TOOL_VERSION, JSON.stringify(inputs), JSON.stringify({ vpcLayouts: options.vpcLayouts ?? [] })],
  );

  // A case kept inside the evidence folder must not import itself.
  const own = new Set([store.file, `${store.file}.wal`]);
  const walked = walkInputs(inputs);
  const files = walked.files.filter((f) => !own.has(f.diskPath));
  const missing = walked.missing;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-import-'));
  const stage = await openJsonStage(store, importId);
  const run = new ImportRun(store, conn, importId, options, workDir, stage.stagers);
  const restoreCheckpoints = await deferCheckpoints(conn);
  run.progress.filesTotal = files.length;
  run.progress.bytesTotal = files.reduce((a, f) => a + f.size, 0);
  try {
    await run.loadKnownHashes();
    const queue = [...files];
    const reader = new ReadAhead();
    while (queue.length > 0) {
      const f = queue.shift()!;
      const members = await run.importFile(f, reader.take(f, queue));
      if (members.length > 0) {
        queue.unshift(...members);
        run.progress.filesTotal += members.length;
      }
    }
    await run.flushText();
    await run.flushJson();
    await run.settle();
    await run.flushSources();
    run.report('finishing');
    const dups = await dedupeAcrossFiles(store);
    run.duplicates += dups;
    await checkpoint(store);
  } finally {
    await run.settle().catch(() => undefined);
    await restoreCheckpoints();
    // A stage that cannot be detached is only memory, freed with the case; it must not hide the import's own error.
    await stage.close().catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const summary: ImportSummary = {
    importId,
    files: run.filesRead,
    filesByKind: run.filesByKind,
    skippedFiles: run.skipped,
    records: run.records,
    duplicates: run.duplicates,
    rejected: run.rejectedRecords,
    rejectedFiles: run.rejectedFiles,
    bytes: run.progress.bytesDone,
    seconds: (Date.now() - started) / 1000,
    missing,
    ignored: walked.ignored,
  };
  const total = Object.values(summary.records).reduce((a, b) => a + b, 0);
  await store.run(`UPDATE imports SET finished_at = now(), files = $2, records = $3, rejected = $4 WHERE import_id = $1`, [
    importId,
    summary.files,
    total,
    summary.rejected,
  ]);
  run.report('done');
  return summary;
}

class ImportRun {
  readonly progress: ImportProgress = { phase: 'importing', filesTotal: 0, filesDone: 0, bytesTotal: 0, bytesDone: 0, records: 0, rejected: 0 };
  readonly records = Object.fromEntries(EVENT_TABLES.map((t) => [t, 0])) as Record<EventTableName, number>;
  readonly filesByKind: Record<string, number> = {};
  filesRead = 0;
  skipped = 0;
  duplicates = 0;
  rejectedRecords = 0;
  rejectedFiles = 0;
  private known = new Map<string, Set<string>>();
  /** The stager records are added to; the other one is being moved into the case, or idle. */
  private stager: JsonStager;
  private spareStager: JsonStager;
  /** The batch of JSON files being moved into the case, if any. */
  private jsonInFlight: Promise<void> | null = null;
  private pendingJson: PendingSource[] = [];
  private lastReport = 0;
  private lastSourceId = -1;
  private textBatch: TextBatch | null = null;
  private sourceRows: SourceRowDraft[] = [];
  private rejectRows: RejectRow[] = [];

  constructor(
    private readonly store: CaseStore,
    private readonly conn: DuckDBConnection,
    private readonly importId: number,
    private readonly options: ImportOptions,
    private readonly workDir: string,
    stagers: [JsonStager, JsonStager],
  ) {
    [this.stager, this.spareStager] = stagers;
  }

  async loadKnownHashes(): Promise<void> {
    for (const r of await this.store.all<{ sha256: string; path: string }>(`SELECT sha256, path FROM sources`)) {
      if (!this.known.has(r.sha256)) this.known.set(r.sha256, new Set());
      this.known.get(r.sha256)!.add(r.path);
    }
  }

  report(phase: ImportProgress['phase'], currentFile?: string): void {
    const now = Date.now();
    if (phase === 'importing' && now - this.lastReport < 100) return;
    this.lastReport = now;
    this.progress.phase = phase;
    this.progress.currentFile = currentFile;
    this.options.onProgress?.({ ...this.progress });
  }

  /** Import one file (its bytes being read by ReadAhead); returns the members when it is an archive. */
  async importFile(f: InputFile, reading: Promise<LoadedFile>): Promise<InputFile[]> {
    this.report('importing', f.relPath);
    const loaded = await reading;
    if ('error' in loaded) {
      await this.rejectWholeFile(f, '', 0, 'unreadable', `cannot read file: ${errorMessage(loaded.error)}`);
      return [];
    }
    const { bytes, content } = loaded;
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    this.progress.bytesDone += f.carriers.length === 0 ? bytes.length : 0;
    const seenAt = this.known.get(sha256);
    if (seenAt) {
      this.skipped++;
      this.progress.filesDone++;
      if (!seenAt.has(f.relPath)) {
        // The same bytes under another name: record where else the evidence was found.
        const id = await this.nextSourceId();
        await this.insertSource({ id, file: f, sha256, contentSha256: null, kind: 'duplicate', format: '', container: containerOf(f, isGzip(bytes)), positionKind: 'file', rejects: [] }, 'duplicate-file', zeroResult(), 'same bytes as a file already in the case');
        seenAt.add(f.relPath);
      }
      return [];
    }
    this.known.set(sha256, new Set([f.relPath]));
    this.filesRead++;

    const gz = isGzip(bytes);
    // A small file decompressed whole gives the same prefix as gunzipPrefix, whose input is capped at SNIFF_BYTES.
    const prefix = content ? content.subarray(0, SNIFF_BYTES) : gz ? gunzipPrefix(bytes) : bytes.subarray(0, SNIFF_BYTES);
    const detected = detectFormat(bytes, prefix, gz ? true : bytes.length > SNIFF_BYTES, this.options.vpcLayouts);

    if (detected.family === 'archive') {
      const id = await this.nextSourceId();
      try {
        const { members, failures } = await expandArchive(f, detected.archive, this.workDir);
        const msg = failures.length ? failures.map((x) => `${x.relPath}: ${x.reason}`).join('; ') : undefined;
        const rejects: RejectRow[] = failures.map((x) => ({ sourceFileId: id, position: 0, positionKind: 'file', reason: x.reason, excerpt: x.relPath }));
        await this.insertSource({ id, file: f, sha256, contentSha256: null, kind: 'archive', format: detected.archive, container: containerOf(f, false), positionKind: 'file', rejects }, 'expanded', { ...zeroResult(), rejected: rejects.length }, msg ?? `${members.length} members`);
        this.countKind('archive');
        this.progress.filesDone++;
        return members;
      } catch (e) {
        await this.rejectWholeFile(f, sha256, id, 'archive', `cannot read ${detected.archive} archive: ${errorMessage(e)}`);
        return [];
      }
    }
    if (detected.family === 'reject') {
      await this.rejectWholeFile(f, sha256, 0, 'unknown', detected.reason);
      return [];
    }
    if (detected.family === 'json' || detected.family === 'cwl-export') {
      await this.importJsonFile(f, bytes, sha256, gz, detected, content);
      this.progress.filesDone++;
      return [];
    }
    await this.importTextFile(f, bytes, sha256, gz, detected);
    this.progress.filesDone++;
    return [];
  }

  private async importJsonFile(f: InputFile, bytes: Buffer, sha256: string, gz: boolean, detected: Detected, whole: Buffer | null): Promise<void> {
    const id = await this.nextSourceId();
    const { content, truncation } = whole ? { content: whole, truncation: null } : await decompress(bytes, gz);
    const contentSha256 = crypto.createHash('sha256').update(content).digest('hex');
    let found: JsonFileRecords;
    try {
      found = detected.family === 'cwl-export' ? cwlExportRecords(content) : findJsonRecords(content);
    } catch (e) {
      const reason = e instanceof JsonFileError ? e.message : `cannot read JSON: ${errorMessage(e)}`;
      await this.rejectWholeFile(f, sha256, id, 'json', truncation ? `${truncation}; ${reason}` : reason, contentSha256);
      return;
    }
    const rejects: RejectRow[] = found.rejects.map((r) => ({ sourceFileId: id, ...r }));
    let records = found.records;
    if (!isUtf8(content)) {
      // Keep the valid records; name each record whose bytes are not UTF-8.
      records = records.filter((r) => {
        if (!r.span || isUtf8(content.subarray(r.span.start, r.span.end))) return true;
        rejects.push({ sourceFileId: id, position: r.index, positionKind: found.positionKind, reason: 'invalid UTF-8', excerpt: content.toString('latin1', r.span.start, Math.min(r.span.end, r.span.start + EXCERPT_CHARS)) });
        return false;
      });
    }
    if (truncation) rejects.push({ sourceFileId: id, position: content.length, positionKind: 'byte', reason: truncation, excerpt: '' });
    const pending: PendingSource = { id, file: f, sha256, contentSha256, kind: found.kind, format: found.container, container: containerOf(f, gz), positionKind: found.positionKind, rejects };
    if (found.lines.length > 0) {
      // Text lines carried in JSON (VPC flow via CloudWatch or {"message": …}) go through the text parsers now.
      await this.importCarriedLines(pending, content, found, records);
      return;
    }
    await this.stager.add(id, content, records, contentSha256);
    this.pendingJson.push(pending);
    if (this.stager.bytes >= JSON_BATCH_BYTES) await this.flushJson();
  }

  private async importCarriedLines(pending: PendingSource, content: Buffer, found: JsonFileRecords, records: JsonRecord[]): Promise<void> {
    // This file uses both stages on its own: empty them of other files first.
    await this.flushText();
    await this.flushJson();
    await this.settle();
    const layout = detectVpcLayout(found.lines.slice(0, 20).map((l) => l.line), this.options.vpcLayouts);
    await this.inTransaction(async () => {
      await stageLines(this.conn, found.lines.map((l) => ({ sourceFileId: pending.id, recordIndex: l.index, line: l.line })));
      let result: ParseResult;
      if (layout && !('error' in layout)) {
        result = await parseVpcFlowStaged(this.conn, pending.id, layout.layout);
        pending.kind = 'vpcflow';
      } else {
        result = await parseElbStaged(this.conn, pending.id);
        pending.kind = 'elb';
      }
      await clearLineStage(this.conn);
      if (records.length > 0) {
        await this.stager.add(pending.id, content, records, null);
        const r2 = await this.moveStagedJson(this.stager, [pending]);
        result = mergeResults(result, r2.get(pending.id) ?? zeroResult());
      }
      await this.finishSource(pending, result);
    }, pending, { ownsJsonStage: true });
  }

  private async importTextFile(f: InputFile, bytes: Buffer, sha256: string, gz: boolean, detected: Detected): Promise<void> {
    await this.settle();
    const id = await this.nextSourceId();
    const pending: PendingSource = { id, file: f, sha256, contentSha256: null, kind: textKind(detected), format: '', container: containerOf(f, gz), positionKind: 'line', rejects: [] };
    if (detected.family === 'parquet') {
      await this.flushText();
      await this.inTransaction(async () => {
        const result = await importVpcFlowParquet(this.conn, f.diskPath, id);
        pending.kind = 'vpcflow';
        await this.finishSource(pending, result);
      }, pending);
      return;
    }
    const key = batchKey(detected);
    if (this.textBatch && (this.textBatch.key !== key || bytes.length > TEXT_BATCH_BYTES)) await this.flushText();
    await this.stageTextFile(pending, bytes, gz, detected);
    const batch = (this.textBatch ??= { key, detected, items: [], bytes: 0 });
    batch.items.push(pending);
    batch.bytes += bytes.length;
    // CloudFront files are parsed one at a time.
    if (batch.bytes >= TEXT_BATCH_BYTES || batch.items.length >= TEXT_BATCH_FILES || detected.family === 'cloudfront') await this.flushText();
  }

  /** Stage a text file's lines; DuckDB reads it, or this process when DuckDB refuses it. */
  private async stageTextFile(pending: PendingSource, bytes: Buffer, gz: boolean, detected: Detected): Promise<void> {
    const skip = detected.family === 'vpcflow' && detected.headerLine ? 1 : 0;
    const id = pending.id;
    try {
      await stageLinesFromFile(this.conn, pending.file.diskPath, id, gz, skip);
    } catch {
      // DuckDB's reader refuses the file as a whole (truncated gzip, a 0x01
      // byte, bad UTF-8): read it here instead and keep every line we can.
      await this.conn.run(`DELETE FROM ${STAGE_LINES} WHERE source_file_id = $1`, [id]);
      const { content, truncation } = await decompress(bytes, gz);
      const staged = await stageLinesFromBuffer(this.conn, content, id, skip);
      if (truncation) pending.rejects.push({ sourceFileId: id, position: staged + skip + 1, positionKind: 'line', reason: truncation, excerpt: '' });
      if (!isUtf8(content)) pending.message = 'invalid UTF-8 replaced with U+FFFD in some lines';
    }
  }

  /**
   * Parse the staged batch of text files in one pass per statement and one
   * transaction. If the batch fails, each file is tried alone, so one bad
   * file cannot take the others with it.
   */
  async flushText(): Promise<void> {
    const batch = this.textBatch;
    if (!batch) return;
    await this.settle();
    this.textBatch = null;
    const ids = batch.items.map((p) => p.id);
    const range = { lo: Math.min(...ids), hi: Math.max(...ids) };
    let written: Buffered | null = null;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const results = await this.parseTextBatch(batch.detected, range, new Set(ids));
      for (const p of batch.items) {
        const r = results.get(p.id) ?? zeroResult();
        if (batch.detected.family === 'elb') p.kind = elbKind(r.format);
        await this.finishSource(p, r);
      }
      written = await this.flushSources();
      await this.conn.run('COMMIT');
      await clearLineStage(this.conn);
    } catch (e) {
      await this.conn.run('ROLLBACK');
      this.putBack(written, ids);
      if (batch.items.length === 1) {
        await clearLineStage(this.conn);
        const p = batch.items[0];
        await this.rejectWholeFile(p.file, p.sha256, p.id, p.kind, `import failed: ${errorMessage(e)}`, p.contentSha256);
        return;
      }
      for (const p of batch.items) {
        await clearLineStage(this.conn);
        p.rejects = [];
        const bytes = await fs.promises.readFile(p.file.diskPath);
        await this.stageTextFile(p, bytes, isGzip(bytes), batch.detected);
        this.textBatch = { key: batch.key, detected: batch.detected, items: [p], bytes: bytes.length };
        await this.flushText();
      }
    }
  }

  private async parseTextBatch(detected: Detected, range: StagedFiles, ids: Set<number>): Promise<Map<number, ParseResult>> {
    let table: EventTableName;
    let format: string | undefined;
    switch (detected.family) {
      case 'vpcflow':
        await parseVpcFlowStaged(this.conn, range, detected.layout);
        table = 'vpc_flow';
        format = detected.layout.name;
        break;
      case 'elb':
        await parseElbStaged(this.conn, range);
        table = 'elb';
        break;
      case 's3access':
        await parseS3AccessStaged(this.conn, range);
        table = 's3_access';
        format = 's3access';
        break;
      case 'cloudfront':
        if (range.lo !== range.hi) throw new Error('CloudFront files are parsed one at a time');
        return new Map([[range.lo, await parseCloudFrontStaged(this.conn, range.lo)]]);
      default:
        throw new Error(`no text parser for ${detected.family}`);
    }
    const results = new Map<number, ParseResult>();
    const rows = await this.store.all<{ id: number; kind: string | null; n: bigint; lo: string | null; hi: string | null }>(
      `SELECT source_file_id AS id, ${table === 'elb' ? 'lb_type' : 'NULL'} AS kind, count(*) AS n, iso(min(event_time)) AS lo, iso(max(event_time)) AS hi
       FROM ${table} WHERE source_file_id BETWEEN $1 AND $2 GROUP BY ALL ORDER BY ALL`,
      [range.lo, range.hi],
    );
    const kinds = new Map<number, { kind: string; n: number }[]>();
    for (const r of rows) {
      if (!ids.has(r.id)) continue;
      const prev = results.get(r.id) ?? { ...zeroResult(), format };
      results.set(r.id, mergeResults(prev, { imported: { [table]: Number(r.n) }, rejected: 0, firstEventTime: r.lo, lastEventTime: r.hi }));
      if (r.kind) (kinds.get(r.id) ?? kinds.set(r.id, []).get(r.id)!).push({ kind: r.kind, n: Number(r.n) });
    }
    const rej = await this.store.all<{ id: number; n: bigint }>(
      `SELECT source_file_id AS id, count(*) AS n FROM rejects WHERE source_file_id BETWEEN $1 AND $2 GROUP BY 1`,
      [range.lo, range.hi],
    );
    for (const r of rej) {
      if (!ids.has(r.id)) continue;
      const prev = results.get(r.id) ?? { ...zeroResult(), format };
      results.set(r.id, { ...prev, rejected: prev.rejected + Number(r.n) });
    }
    if (table === 'elb') {
      for (const [id, ks] of kinds) {
        const r = results.get(id)!;
        r.format = ks.length === 1 ? ks[0].kind : `mixed: ${ks.map((k) => `${k.kind}=${k.n}`).join(' ')}`;
      }
    }
    return results;
  }

  /** Run one file's work in a transaction; on failure the file is rejected as a whole and nothing of it stays. */
  /**
   * ownsJsonStage: the work staged JSON records of this file only (the stage
   * was flushed before it), so a failure empties the stage too.
   */
  private async inTransaction(work: () => Promise<void>, pending: PendingSource, opts: { ownsJsonStage?: boolean } = {}): Promise<void> {
    let written: Buffered | null = null;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await work();
      written = await this.flushSources();
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK');
      this.putBack(written, [pending.id]);
      await clearLineStage(this.conn);
      if (opts.ownsJsonStage) this.stager.release();
      await this.rejectWholeFile(pending.file, pending.sha256, pending.id, pending.kind, `import failed: ${errorMessage(e)}`, pending.contentSha256);
    }
  }

  /**
   * Start moving the staged batch of JSON files into the case, and return
   * without waiting for it: the next files are read and staged meanwhile, on
   * the other stager. Anything else that uses the import's connection waits
   * for it first (settle).
   */
  async flushJson(): Promise<void> {
    if (this.pendingJson.length === 0) return;
    await this.settle();
    const batch = this.pendingJson;
    this.pendingJson = [];
    const stager = this.stager;
    [this.stager, this.spareStager] = [this.spareStager, stager];
    stager.finishAppending();
    const flight = this.moveJsonBatch(stager, batch);
    // settle() awaits it; until then this keeps a failure from counting as unhandled.
    flight.catch(() => undefined);
    this.jsonInFlight = flight;
  }

  /** Wait for the batch being moved, if any. */
  async settle(): Promise<void> {
    const flight = this.jsonInFlight;
    this.jsonInFlight = null;
    if (flight) await flight;
  }

  private async moveJsonBatch(stager: JsonStager, batch: PendingSource[]): Promise<void> {
    let written: Buffered | null = null;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const results = await this.moveStagedJson(stager, batch);
      for (const p of batch) await this.finishSource(p, results.get(p.id) ?? zeroResult());
      written = await this.flushSources();
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK');
      stager.release();
      this.putBack(written, batch.map((p) => p.id));
      for (const p of batch) await this.rejectWholeFile(p.file, p.sha256, p.id, p.kind, `import failed: ${errorMessage(e)}`, p.contentSha256);
    }
  }

  /**
   * Insert the staged JSON records into their tables; per-file results.
   * Records are parsed once, in the insert; only when a table took fewer rows
   * than were staged for it are the rest looked for, with their reasons.
   */
  private async moveStagedJson(stager: JsonStager, batch: PendingSource[]): Promise<Map<number, ParseResult>> {
    stager.finishAppending();
    const results = new Map<number, ParseResult>();
    if (stager.rows === 0) {
      stager.release();
      return results;
    }
    const { cloudtrail } = stager.names;
    let inserted = (await this.conn.run(cloudtrailInsert(`(SELECT source_file_id, record_index, try(decode(raw)) AS raw, NULL::BIGINT AS envelope_time FROM ${cloudtrail})`))).rowsChanged;
    if (stager.wideRows > 0) {
      const decoded = stager.decodedRecords();
      inserted += (await this.conn.run(cloudtrailInsert(`(SELECT source_file_id, record_index, raw, envelope_time FROM ${decoded} WHERE target = 'cloudtrail' AND obj)`))).rowsChanged;
      inserted += (await this.conn.run(digestsInsert(decoded))).rowsChanged;
      inserted += (await this.conn.run(otherInsert(decoded))).rowsChanged;
    }
    if (inserted < stager.rows) {
      const byId = new Map(batch.map((p) => [p.id, p]));
      for (const row of await stager.leftOut(this.conn)) {
        const p = byId.get(row.source_file_id);
        if (p) p.rejects.push(rejectFromRow(row, p.positionKind));
      }
    }
    const ids = batch.map((p) => p.id);
    const lo = Math.min(...ids);
    const hi = Math.max(...ids);
    for (const [table, timeCol] of [['cloudtrail', 'event_time'], ['digests', 'digest_end_time'], ['other_records', 'event_time']] as const) {
      const rows = await this.store.all<{ id: number; n: bigint; lo: string | null; hi: string | null }>(
        `SELECT source_file_id AS id, count(*) AS n, iso(min(${timeCol})) AS lo, iso(max(${timeCol})) AS hi
         FROM ${table} WHERE source_file_id BETWEEN $1 AND $2 GROUP BY 1`,
        [lo, hi],
      );
      for (const r of rows) {
        const prev = results.get(r.id) ?? zeroResult();
        results.set(r.id, mergeResults(prev, { imported: { [table]: Number(r.n) }, rejected: 0, firstEventTime: r.lo, lastEventTime: r.hi }));
      }
    }
    stager.release();
    return results;
  }

  private async finishSource(p: PendingSource, result: ParseResult): Promise<void> {
    const imported = Object.values(result.imported).reduce((a, b) => a + (b ?? 0), 0);
    const rejected = result.rejected + p.rejects.length;
    const status = imported === 0 && rejected > 0 ? 'rejected' : rejected > 0 ? 'partial' : 'imported';
    if (result.format && !p.format) p.format = result.format;
    else if (result.format && p.format !== result.format) p.format = `${p.format}; ${result.format}`;
    await this.insertSource(p, status, { ...result, rejected }, p.message);
    for (const [t, n] of Object.entries(result.imported)) this.records[t as EventTableName] += n ?? 0;
    this.rejectedRecords += rejected;
    if (status === 'rejected') this.rejectedFiles++;
    this.countKind(p.kind);
    this.progress.records += imported;
    this.progress.rejected += rejected;
  }

  private async rejectWholeFile(f: InputFile, sha256: string, id: number, kind: string, reason: string, contentSha256: string | null = null): Promise<void> {
    const sourceId = id || (await this.nextSourceId());
    const rejects: RejectRow[] = [{ sourceFileId: sourceId, position: 0, positionKind: 'file', reason, excerpt: await excerptOf(f) }];
    // A file rejected whole has no countable records: records_rejected stays 0 and status says 'rejected'.
    await this.insertSource({ id: sourceId, file: f, sha256, contentSha256, kind, format: '', container: containerOf(f, false), positionKind: 'file', rejects }, 'rejected', zeroResult(), reason);
    this.rejectedFiles++;
    this.countKind('rejected');
    this.progress.filesDone++;
  }

  private countKind(kind: string): void {
    this.filesByKind[kind] = (this.filesByKind[kind] ?? 0) + 1;
  }

  /**
   * Ids are handed out here, not by a sequence: the import is the case's only
   * writer (DuckDB locks the file), and a sequence call per file costs a
   * round trip and a commit.
   */
  private async nextSourceId(): Promise<number> {
    if (this.lastSourceId < 0) {
      await this.settle();
      const r = await this.store.one<{ id: number | null }>(`SELECT max(source_file_id) AS id FROM sources`);
      this.lastSourceId = r?.id ?? 0;
    }
    return ++this.lastSourceId;
  }

  /** Sources and rejects rows are buffered and written with the records they describe, in one transaction. */
  private async insertSource(p: PendingSource, status: string, r: ParseResult, message?: string): Promise<void> {
    const imported = Object.values(r.imported).reduce((a, b) => a + (b ?? 0), 0);
    this.sourceRows.push({
      id: p.id,
      path: p.file.relPath,
      root: p.file.importRoot,
      container: p.container,
      size: p.file.size,
      sha256: p.sha256,
      contentSha256: p.contentSha256,
      kind: p.kind,
      format: p.format,
      status,
      imported,
      rejected: r.rejected,
      first: r.firstEventTime,
      last: r.lastEventTime,
      message: message ?? null,
    });
    this.rejectRows.push(...p.rejects);
  }

  /**
   * After a rollback: put back the buffered rows a flush had taken (rows of
   * files outside the transaction's own may be among them), and forget those
   * of the transaction's files.
   */
  private putBack(written: Buffered | null, ids: number[]): void {
    if (written) {
      this.sourceRows = [...written.sources, ...this.sourceRows];
      this.rejectRows = [...written.rejects, ...this.rejectRows];
    }
    const drop = new Set(ids);
    this.sourceRows = this.sourceRows.filter((r) => !drop.has(r.id));
    this.rejectRows = this.rejectRows.filter((r) => !drop.has(r.sourceFileId));
  }

  /**
   * Write the buffered sources and rejects rows. They are taken from the
   * buffers at once, because other files keep adding rows while a batch is
   * moved; the caller gets them back for putBack.
   */
  async flushSources(): Promise<Buffered> {
    const taken: Buffered = { sources: this.sourceRows, rejects: this.rejectRows };
    this.sourceRows = [];
    this.rejectRows = [];
    try {
      await this.writeSources(taken);
    } catch (e) {
      this.putBack(taken, []);
      throw e;
    }
    return taken;
  }

  private async writeSources({ sources, rejects }: Buffered): Promise<void> {
    if (sources.length > 0) {
      const a = await this.conn.createAppender(STAGE_SOURCES, 'main', 'temp');
      for (const r of sources) {
        a.appendInteger(r.id);
        a.appendVarchar(r.path);
        a.appendVarchar(r.root);
        a.appendVarchar(r.container);
        a.appendBigInt(BigInt(r.size));
        a.appendVarchar(r.sha256);
        appendNullable(a, r.contentSha256);
        a.appendVarchar(r.kind);
        a.appendVarchar(r.format);
        a.appendVarchar(r.status);
        a.appendBigInt(BigInt(r.imported));
        a.appendBigInt(BigInt(r.rejected));
        appendNullable(a, r.first);
        appendNullable(a, r.last);
        appendNullable(a, r.message);
        a.endRow();
      }
      a.flushSync();
      a.closeSync();
      await this.conn.run(
        `INSERT INTO sources (source_file_id, import_id, path, import_root, container, size, sha256, content_sha256, kind, format,
           status, records_imported, records_duplicate, records_rejected, first_event_time, last_event_time, imported_at, tool_version, message)
         SELECT id, $1, path, root, container, size, sha256, content_sha256, kind, format, status, imported, 0, rejected,
           first::TIMESTAMPTZ, last::TIMESTAMPTZ, now(), $2, message
         FROM ${STAGE_SOURCES}`,
        [this.importId, TOOL_VERSION],
      );
      await this.conn.run(`DELETE FROM ${STAGE_SOURCES}`);
    }
    if (rejects.length > 0) await insertRejects(this.conn, rejects);
  }
}

/** Sources and rejects rows waiting to be written. */
interface Buffered {
  sources: SourceRowDraft[];
  rejects: RejectRow[];
}

interface SourceRowDraft {
  id: number;
  path: string;
  root: string;
  container: string;
  size: number;
  sha256: string;
  contentSha256: string | null;
  kind: string;
  format: string;
  status: string;
  imported: number;
  rejected: number;
  first: string | null;
  last: string | null;
  message: string | null;
}

const STAGE_SOURCES = 'stage_sources';

/** Small text files of one format and layout are staged together and parsed as one batch. */
interface TextBatch {
  key: string;
  detected: Detected;
  items: PendingSource[];
  bytes: number;
}

const TEXT_BATCH_BYTES = 64 * 1024 * 1024;
const TEXT_BATCH_FILES = 2000;

function batchKey(d: Detected): string {
  // VPC files batch only with files of the same field order.
  return d.family === 'vpcflow' ? `vpcflow:${d.layout.fields.join(' ')}:${d.layout.name}` : d.family;
}

async function createSourcesStage(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE TEMP TABLE IF NOT EXISTS ${STAGE_SOURCES} (id INTEGER, path VARCHAR, root VARCHAR, container VARCHAR,
    size BIGINT, sha256 VARCHAR, content_sha256 VARCHAR, kind VARCHAR, format VARCHAR, status VARCHAR, imported BIGINT,
    rejected BIGINT, first VARCHAR, last VARCHAR, message VARCHAR)`);
}

function appendNullable(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}

async function insertRejects(conn: DuckDBConnection, rejects: RejectRow[]): Promise<void> {
  const a = await conn.createAppender('rejects');
  for (const r of rejects) {
    a.appendInteger(r.sourceFileId);
    a.appendBigInt(BigInt(r.position));
    a.appendVarchar(r.positionKind);
    a.appendVarchar(r.reason);
    a.appendVarchar(r.excerpt.slice(0, EXCERPT_CHARS));
    a.endRow();
  }
  a.flushSync();
  a.closeSync();
}

/**
 * While importing, the case is checkpointed every CHECKPOINT_EVERY of log
 * rather than DuckDB's default 16 MB. Each checkpoint compresses the table's
 * last, partly filled row group again, so at the default every batch paid
 * for compressing what the batches before it had added (and the case grew
 * by the row groups left behind); the import checkpoints once at its end.
 */
const CHECKPOINT_EVERY = '512MB';

/** A checkpoint refused (another connection is writing) leaves the log, which DuckDB checkpoints later or replays on open. */
async function checkpoint(store: CaseStore): Promise<void> {
  try {
    await store.run(`CHECKPOINT ${CASE_DB}`);
  } catch {
    // Nothing lost: the records are committed either way.
  }
}

async function deferCheckpoints(conn: DuckDBConnection): Promise<() => Promise<void>> {
  const r = await conn.runAndReadAll(`SELECT current_setting('checkpoint_threshold') AS v`);
  const previous = String(r.getRows()[0][0]);
  await conn.run(`SET checkpoint_threshold = ${sqlString(CHECKPOINT_EVERY)}`);
  return async () => {
    await conn.run(`SET checkpoint_threshold = ${sqlString(previous)}`);
  };
}

type LoadedFile = { bytes: Buffer; content: Buffer | null } | { error: unknown };

/** Files read ahead of the one being imported; larger files are read when their turn comes. */
const READ_AHEAD_FILES = 3;
const READ_AHEAD_MAX_BYTES = 32 * 1024 * 1024;
/** A small gzip file read ahead is decompressed whole up to this size; past it (a bomb?) it takes the usual path. */
const READ_AHEAD_MAX_CONTENT = 64 * 1024 * 1024;

/**
 * Reads the next files, and decompresses small gzip ones, on libuv's threads
 * while the current file is scanned and staged on this one.
 */
class ReadAhead {
  private readonly pending = new Map<InputFile, Promise<LoadedFile>>();

  take(f: InputFile, next: InputFile[]): Promise<LoadedFile> {
    for (const g of next.slice(0, READ_AHEAD_FILES)) {
      if (!this.pending.has(g) && g.size <= READ_AHEAD_MAX_BYTES) this.pending.set(g, loadFile(g));
    }
    const reading = this.pending.get(f) ?? loadFile(f);
    this.pending.delete(f);
    return reading;
  }
}

/** Never rejects: a file that cannot be read is rejected by the import, in its turn. */
async function loadFile(f: InputFile): Promise<LoadedFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(f.diskPath);
  } catch (error) {
    return { error };
  }
  if (!isGzip(bytes) || bytes.length > SNIFF_BYTES) return { bytes, content: null };
  // A damaged stream is left to the usual path, which keeps what it can and says where it stopped.
  const content = await gunzipAsync(bytes, { maxOutputLength: READ_AHEAD_MAX_CONTENT }).catch(() => null);
  return { bytes, content };
}

/** Decompress, keeping what a truncated stream still yields and saying where it stopped. */
async function decompress(bytes: Buffer, gz: boolean): Promise<{ content: Buffer; truncation: string | null }> {
  if (!gz) return { content: bytes, truncation: null };
  try {
    return { content: await gunzipAsync(bytes, { maxOutputLength: 2 ** 31 - 1 }), truncation: null };
  } catch (e) {
    const partial = zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    return { content: partial, truncation: `gzip stream damaged (${errorMessage(e)}): content ends after ${partial.length} bytes` };
  }
}

/** CloudWatch Logs exports to S3: one "<ISO time> <message>" per line; the message is the record. */
function cwlExportRecords(content: Buffer): JsonFileRecords {
  const out: JsonFileRecords = { kind: 'cloudtrail', container: 'cwl-export', positionKind: 'line', records: [], lines: [], rejects: [], insightRecords: 0 };
  let start = 0;
  let lineNo = 0;
  while (start < content.length) {
    let end = content.indexOf(10, start);
    if (end < 0) end = content.length;
    lineNo++;
    const stop = end > start && content[end - 1] === 13 ? end - 1 : end;
    const sp = content.indexOf(32, start);
    if (stop > start) {
      if (sp > start && sp < stop && content[sp + 1] === 0x7b) {
        out.records.push({ index: lineNo, span: { start: sp + 1, end: stop }, target: 'cloudtrail' });
      } else if (content.subarray(start, stop).toString().trim() !== '') {
        out.rejects.push({ position: lineNo, positionKind: 'line', reason: 'not a "<time> <JSON>" CloudWatch export line', excerpt: content.toString('utf8', start, Math.min(stop, start + 512)) });
      }
    }
    start = end + 1;
  }
  return out;
}

async function excerptOf(f: InputFile): Promise<string> {
  try {
    const fh = await fs.promises.open(f.diskPath, 'r');
    try {
      const buf = Buffer.alloc(256);
      const { bytesRead } = await fh.read(buf, 0, 256, 0);
      const head = buf.subarray(0, bytesRead);
      return isGzip(head) || head.includes(0) ? `<binary: ${head.subarray(0, 16).toString('hex')}>` : head.toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}

function containerOf(f: InputFile, gz: boolean): string {
  return [...f.carriers, ...(gz ? ['gzip'] : [])].join('+') || 'plain';
}

function textKind(d: Detected): string {
  switch (d.family) {
    case 'vpcflow':
      return 'vpcflow';
    case 's3access':
      return 's3access';
    case 'cloudfront':
      return 'cloudfront';
    case 'parquet':
      return 'vpcflow';
    default:
      return 'elb';
  }
}

function elbKind(format: string | undefined): string {
  if (!format) return 'elb';
  if (format.startsWith('mixed')) return 'mixed';
  return format.split(/[ ;(]/)[0].replace('alb_connection', 'alb-connection');
}

function zeroResult(): ParseResult {
  return { imported: {}, rejected: 0, firstEventTime: null, lastEventTime: null };
}

function mergeResults(a: ParseResult, b: ParseResult): ParseResult {
  const imported = { ...a.imported };
  for (const [k, v] of Object.entries(b.imported)) imported[k as EventTableName] = (imported[k as EventTableName] ?? 0) + (v ?? 0);
  const pick = (x: string | null, y: string | null, f: (p: string, q: string) => boolean) => (x === null ? y : y === null ? x : f(x, y) ? x : y);
  return {
    imported,
    rejected: a.rejected + b.rejected,
    firstEventTime: pick(a.firstEventTime, b.firstEventTime, (p, q) => p <= q),
    lastEventTime: pick(a.lastEventTime, b.lastEventTime, (p, q) => p >= q),
    format: a.format ?? b.format,
  };
}
