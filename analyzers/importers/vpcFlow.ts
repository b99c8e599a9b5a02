/**
 * VPC and Transit Gateway flow logs. Which field order a file uses is decided
 * once, from its first lines (a header line, the field count, or a layout the
 * user gave); the records themselves are then split, cast and checked in one
 * set-based SQL pass over stage_lines, so no record goes through JS.
 */
import { DuckDBTypeId, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { sqlString } from '../store/caseStore';
import { VPC_FIELDS, quoteIdent, type ColumnType } from '../store/schema';
import { packedStagedLines, STAGE_LINES, stagedFiles, unpackFileId, unpackRecordIndex, type StagedFiles } from './lineStage';
import { EXCERPT_CHARS, type ParseResult } from './types';

export interface VpcLayout {
  /** AWS field names, in the order the records carry them. */
  fields: string[];
  origin: 'header' | 'default' | 'given';
  /** Stored in vpc_flow.layout, e.g. "v2 default", "v5 all fields", "custom (21 fields, header)". */
  name: string;
}

type VpcDetection = { layout: VpcLayout; headerLine: boolean } | { error: string };

type VpcField = (typeof VPC_FIELDS)[number];

const FIELD_BY_NAME = new Map<string, VpcField>(VPC_FIELDS.map((f) => [f.field, f]));

function fieldsThrough(last: string): string[] {
  return VPC_FIELDS.slice(0, VPC_FIELDS.findIndex((f) => f.field === last) + 1).map((f) => f.field);
}

/** The console's Transit Gateway default format: TGW fields first, VPC fields interleaved. */
const TGW_DEFAULT = [
  'version', 'resource-type', 'account-id', 'tgw-id', 'tgw-attachment-id',
  'tgw-src-vpc-account-id', 'tgw-dst-vpc-account-id', 'tgw-src-vpc-id', 'tgw-dst-vpc-id',
  'tgw-src-subnet-id', 'tgw-dst-subnet-id', 'tgw-src-eni', 'tgw-dst-eni',
  'tgw-src-az-id', 'tgw-dst-az-id', 'tgw-pair-attachment-id',
  'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end',
  'log-status', 'type',
  'packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded', 'packets-lost-ttl-expired',
  'tcp-flags', 'region', 'flow-direction', 'pkt-src-aws-service', 'pkt-dst-aws-service',
];

interface StandardLayout {
  name: string;
  fields: string[];
  /** Extra evidence a record needs before a bare field count is trusted. */
  marker?: (tokens: string[]) => boolean;
}

const STANDARD_LAYOUTS: StandardLayout[] = [
  { name: 'v2 default', fields: fieldsThrough('log-status') },
  // AWS's "all fields" selections list the fields in the order the versions added them.
  { name: 'v5 all fields', fields: fieldsThrough('traffic-path') },
  { name: 'v8 all fields', fields: fieldsThrough('reject-reason') },
  // Published TGW samples carry version 3 as well as 6, so the tgw- id is the evidence, not the version.
  { name: 'transit gateway default', fields: TGW_DEFAULT, marker: (t) => (t[3] ?? '').startsWith('tgw-') },
];

const ACTIONS = new Set(['ACCEPT', 'REJECT', '-']);
const LOG_STATUSES = new Set(['OK', 'NODATA', 'SKIPDATA', '-']);
const RESOURCE_ID = /^(eni|vpc|subnet|tgw|tgw-attach|i)-[0-9a-z]+$/;
const INTEGER_TEXT = /^-?[0-9]+$/;
const FIELD_NAME_TEXT = /^[a-z][a-z0-9-]*$/;

/** Latest epoch second DuckDB turns into a TIMESTAMPTZ (9999-12-31T23:59:59Z); beyond it to_timestamp throws. */
const MAX_EPOCH_SECONDS = 253402300799;
/** How much of a bad value a reject reason quotes; the excerpt has the whole line. */
const REASON_VALUE_CHARS = 64;

const LAYOUT_HINT =
  'give the field order with --vpc-layout, e.g. --vpc-layout "version account-id interface-id srcaddr dstaddr ..."';

function tokenize(line: string): string[] {
  return line.replace(/^[ \t\r]+|[ \t\r]+$/g, '').split(/[ \t\r]+/);
}

/** Field lists are accepted as plain names or as the console's ${name} format string. */
function fieldName(token: string): string {
  return token.startsWith('${') && token.endsWith('}') ? token.slice(2, -1) : token;
}

function duplicates(names: string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

function isNumeric(type: ColumnType): boolean {
  return type === 'INTEGER' || type === 'BIGINT' || type === 'SMALLINT' || type === 'TIMESTAMPTZ';
}

function standardFor(fields: string[]): StandardLayout | undefined {
  return STANDARD_LAYOUTS.find((s) => s.fields.length === fields.length && s.fields.every((f, i) => f === fields[i]));
}

function makeLayout(fields: string[], origin: VpcLayout['origin']): VpcLayout {
  const std = standardFor(fields);
  return { fields, origin, name: std ? std.name : `custom (${fields.length} fields, ${origin})` };
}

function majority<T>(items: T[], test: (item: T) => boolean): boolean {
  return items.filter(test).length * 2 > items.length;
}

/** A header line is made of field names only; one naming a field Cloudsift does not know is reported, not guessed. */
function readHeader(tokens: string[]): { fields: string[] } | { error: string } | null {
  const names = tokens.map(fieldName);
  const unknown = names.filter((n) => !FIELD_BY_NAME.has(n));
  if (unknown.length > 0) {
    const known = names.length - unknown.length;
    const looksLikeHeader = known >= 2 && known >= unknown.length && names.every((n) => FIELD_NAME_TEXT.test(n));
    return looksLikeHeader
      ? { error: `VPC flow log header names unknown field(s): ${unknown.join(', ')}` }
      : null;
  }
  const dup = duplicates(names);
  if (dup.length > 0) return { error: `VPC flow log header repeats field(s): ${dup.join(', ')}` };
  return { fields: names };
}

function readGivenLayout(spec: string, index: number): { fields: string[] } | { problem: string } {
  const names = tokenize(spec).map(fieldName).filter((n) => n !== '');
  const label = `--vpc-layout #${index + 1}`;
  if (names.length === 0) return { problem: `${label} is empty` };
  const unknown = names.filter((n) => !FIELD_BY_NAME.has(n));
  if (unknown.length > 0) return { problem: `${label} names unknown field(s): ${unknown.join(', ')}` };
  const dup = duplicates(names);
  if (dup.length > 0) return { problem: `${label} repeats field(s): ${dup.join(', ')}` };
  return { fields: names };
}

/** Numbers where the layout expects numbers, and the fixed vocabularies where it has them. */
function recordFits(fields: string[], tokens: string[]): boolean {
  return fields.every((name, i) => {
    const token = tokens[i];
    if (token === '-') return true;
    if (name === 'action') return ACTIONS.has(token);
    if (name === 'log-status') return LOG_STATUSES.has(token);
    const def = FIELD_BY_NAME.get(name);
    return !def || !isNumeric(def.type) || INTEGER_TEXT.test(token);
  });
}

function looksLikeFlowRecord(tokens: string[]): boolean {
  return tokens.some((t) => RESOURCE_ID.test(t) || (t !== '-' && (ACTIONS.has(t) || LOG_STATUSES.has(t))));
}

function commonestCount(lines: string[][]): number {
  const counts = new Map<number, number>();
  for (const l of lines) counts.set(l.length, (counts.get(l.length) ?? 0) + 1);
  let best = lines[0].length;
  for (const [n, k] of counts) if (k > (counts.get(best) ?? 0)) best = n;
  return best;
}

/**
 * Decide whether a text file is VPC flow and with which layout, from its first
 * non-blank lines (up to ~20). givenLayouts are the user's field lists for
 * header-less files; they win over the standard layouts of the same field
 * count, because the user knows how the flow log was configured.
 * Returns null when the lines are not VPC flow at all.
 */
export function detectVpcLayout(firstLines: string[], givenLayouts: string[] = []): VpcDetection | null {
  const lines = firstLines.filter((l) => l.trim() !== '').map(tokenize);
  if (lines.length === 0) return null;

  const header = readHeader(lines[0]);
  if (header) {
    if ('error' in header) return header;
    if (lines.length === 1) return { error: 'VPC flow log header only, no records' };
    return { layout: makeLayout(header.fields, 'header'), headerLine: true };
  }

  // No VPC field ever holds a double quote; ELB, S3 access and JSON lines nearly always do.
  if (!majority(lines, (l) => !l.some((t) => t.includes('"')))) return null;

  const n = commonestCount(lines);
  const sample = lines.filter((l) => l.length === n);
  const given = givenLayouts.map(readGivenLayout);
  for (const g of given) {
    if ('fields' in g && g.fields.length === n && majority(sample, (l) => recordFits(g.fields, l))) {
      return { layout: makeLayout(g.fields, 'given'), headerLine: false };
    }
  }

  const flowLike = majority(lines, looksLikeFlowRecord);
  if (!flowLike) return null;
  for (const std of STANDARD_LAYOUTS) {
    if (std.fields.length !== n || !majority(sample, (l) => recordFits(std.fields, l))) continue;
    if (std.marker && !sample.some(std.marker)) continue;
    return { layout: { fields: std.fields, origin: 'default', name: std.name }, headerLine: false };
  }

  const notes = given.map((g) =>
    'problem' in g ? g.problem : g.fields.length === n ? `a given ${n}-field layout does not fit the records` : null,
  ).filter((s): s is string => s !== null);
  const givenCounts = given.flatMap((g) => ('fields' in g && g.fields.length !== n ? [g.fields.length] : []));
  if (givenCounts.length > 0) notes.push(`given layouts have ${[...new Set(givenCounts)].join(', ')} fields`);
  return {
    error:
      `VPC flow log layout unknown: records have ${n} fields and no header line; ${LAYOUT_HINT}` +
      (notes.length > 0 ? ` (${notes.join('; ')})` : ''),
  };
}

/** Collects bound values while SQL is assembled, so every value reaches DuckDB as a parameter. */
class Params {
  readonly values: Record<string, DuckDBValue> = {};
  private count = 0;

  private readonly shared = new Map<string, string>();

  add(value: DuckDBValue): string {
    const name = `p${this.count++}`;
    this.values[name] = value;
    return `$${name}`;
  }

  /** One placeholder for a value used in many places; bound only once something uses it. */
  once(key: string, value: DuckDBValue): () => string {
    return () => {
      let placeholder = this.shared.get(key);
      if (!placeholder) {
        placeholder = this.add(value);
        this.shared.set(key, placeholder);
      }
      return placeholder;
    };
  }
}

function layoutFields(layout: VpcLayout): VpcField[] {
  const defs = layout.fields.map((name) => {
    const def = FIELD_BY_NAME.get(name);
    if (!def) throw new Error(`VPC layout "${layout.name}" names unknown field ${name}`);
    return def;
  });
  const dup = duplicates(layout.fields);
  if (dup.length > 0) throw new Error(`VPC layout "${layout.name}" repeats field(s) ${dup.join(', ')}`);
  if (defs.length === 0) throw new Error(`VPC layout "${layout.name}" has no fields`);
  return defs;
}

/**
 * One value of a record on its way to a column: `cast` is the typed value, and
 * `check` is true when the source value is NULL ('-') or cast exactly.
 */
interface ValueSql {
  def: VpcField;
  cast: string;
  column: string;
  check: string;
  /** Why the check failed; built only for the reject statement, which binds its texts. */
  reason: (p: Params) => string;
}

const noReason = (): string => 'NULL';

/**
 * TRY_CAST alone is too lenient for evidence ('1.5' rounds to 2, '1e3', '0x10'
 * and '1_000' all cast), so a cast only counts when it round-trips or the text
 * is plain digits. The regex runs only on the rare values that do not round-trip.
 */
function exactInteger(text: string, cast: string): string {
  return `(CASE WHEN ${cast}::VARCHAR = ${text} THEN true ELSE regexp_full_match(${text}, '-?[0-9]+') END)`;
}

function valueSql(def: VpcField, text: string, cast: string, label: string, maxEpoch: () => string): ValueSql {
  const column = quoteIdent(def.column);
  if (def.type === 'VARCHAR') {
    return { def, cast: text, column, check: 'true', reason: noReason };
  }
  const digits = `regexp_full_match(${text}, '-?[0-9]+')`;
  const quoted = `left(${text}, ${REASON_VALUE_CHARS})`;
  if (def.type === 'TIMESTAMPTZ') {
    const inRange = `${cast} BETWEEN 0 AND ${maxEpoch()}`;
    return {
      def,
      cast: `to_timestamp(${cast})`,
      column,
      check: `(${text} IS NULL OR (${inRange} AND ${exactInteger(text, cast)}))`,
      reason: (p) =>
        `CASE WHEN NOT ${digits} THEN printf(${p.add(`${label} is not epoch seconds: '%s'`)}, ${quoted}) ` +
        `ELSE printf(${p.add(`${label} is out of range for epoch seconds: '%s'`)}, ${quoted}) END`,
    };
  }
  return {
    def,
    cast,
    column,
    check: `(${text} IS NULL OR (${cast} IS NOT NULL AND ${exactInteger(text, cast)}))`,
    reason: (p) =>
      `CASE WHEN NOT ${digits} THEN printf(${p.add(`${label} is not an integer: '%s'`)}, ${quoted}) ` +
      `ELSE printf(${p.add(`${label} is out of range for ${def.type}: '%s'`)}, ${quoted}) END`,
  };
}

function castType(type: ColumnType): string {
  return type === 'TIMESTAMPTZ' ? 'BIGINT' : type;
}

/**
 * Lines of one staged file, split and checked. Splitting on a single space is
 * the fast path; only lines whose count is off or that hold other blanks
 * (doubled spaces, tabs, CR) are split again on runs of blanks. Tokeniser
 * patterns stay literals: DuckDB compiles a non-constant regex once per row.
 * `lines` is a relation of (record_index, line).
 */
function checkedLinesSql(layout: VpcLayout, lines: string, p: Params): { sql: string; values: ValueSql[]; count: string } {
  const defs = layoutFields(layout);
  const n = p.add(defs.length);
  const maxEpoch = p.once('maxEpoch', MAX_EPOCH_SECONDS);
  const values = defs.map((def, i) => valueSql(def, `s${i + 1}`, `c${i + 1}`, `field ${i + 1} (${def.field})`, maxEpoch));
  const numeric = values.filter((v) => v.def.type !== 'VARCHAR');
  const texts = defs.map((_, i) => `nullif(t[${i + 1}], '-') AS s${i + 1}`);
  const casts = defs.flatMap((def, i) =>
    def.type === 'VARCHAR' ? [] : [`, TRY_CAST(s${i + 1} AS ${castType(def.type)}) AS c${i + 1}`],
  );
  const sql = `
    WITH tok AS (
      SELECT record_index, line,
             CASE WHEN len(t0) = ${n} AND NOT list_contains(t0, '')
                       AND NOT contains(line, chr(9)) AND NOT contains(line, chr(13))
                  THEN t0
                  ELSE regexp_split_to_array(trim(line, ' ' || chr(9) || chr(13)), '[ \\t\\r]+')
             END AS t
      FROM (SELECT record_index, line, string_split(line, ' ') AS t0 FROM (${lines}))
    ), texts AS (
      SELECT record_index, line, len(t) AS nf, ${texts.join(', ')}
      FROM tok
      -- A header line repeated inside the file (concatenated deliveries) is neither record nor reject.
      -- CASE, not AND: only CASE is sure to skip array_to_string on lines that cannot be the header.
      WHERE NOT CASE WHEN t[1] = ${p.add(layout.fields[0])} THEN array_to_string(t, ' ') = ${p.add(layout.fields.join(' '))}
                     ELSE false END
    ), casts AS (
      SELECT *${casts.join('')} FROM texts
    )
    SELECT *, (nf = ${n}${numeric.map((v) => ` AND ${v.check}`).join('')}) AS ok FROM casts`;
  return { sql, values, count: n };
}

/** Parse the staged lines of one file (stage_lines WHERE source_file_id = id) into vpc_flow, rejects for the rest. */
export async function parseVpcFlowStaged(
  conn: DuckDBConnection,
  files: number | StagedFiles,
  layout: VpcLayout,
): Promise<ParseResult> {
  const f = stagedFiles(files);
  const ins = new Params();
  const checked = checkedLinesSql(layout, packedStagedLines(f), ins);
  const imported = await withoutFilterPushdown(conn, () =>
    conn.run(
      `INSERT INTO ${quoteIdent('vpc_flow')}
         (source_file_id, record_index, event_time, ${checked.values.map((v) => v.column).join(', ')}, layout, raw)
       SELECT ${unpackFileId('record_index')}, ${unpackRecordIndex('record_index')}, ${eventTimeSql(checked.values)},
              ${checked.values.map((v) => v.cast).join(', ')}, ${ins.add(layout.name)}, line
       FROM (${checked.sql}) WHERE ok`,
      ins.values,
    ),
  );
  return {
    imported: { vpc_flow: imported.rowsChanged },
    rejected: await rejectUnimported(conn, f, layout, imported.rowsChanged),
    ...(await eventTimeRange(conn, f)),
    format: layout.name,
  };
}

/**
 * Reasons are worked out only for the lines the insert left behind, found by
 * an anti-join on record_index, so a clean file is split and cast once.
 */
async function rejectUnimported(
  conn: DuckDBConnection,
  f: StagedFiles,
  layout: VpcLayout,
  imported: number,
): Promise<number> {
  const staged = await conn.runAndReadAll(`SELECT count(*) FROM ${STAGE_LINES} WHERE source_file_id BETWEEN $lo AND $hi`, f as unknown as Record<string, number>);
  if (Number(staged.getRows()[0][0]) === imported) return 0;

  const p = new Params();
  const left = `${packedStagedLines(f, 's')}
      AND NOT EXISTS (SELECT 1 FROM ${quoteIdent('vpc_flow')} v WHERE v.source_file_id = s.source_file_id AND v.record_index = s.record_index)`;
  const checked = checkedLinesSql(layout, left, p);
  const reason = [
    `WHEN nf <> ${checked.count} THEN printf(${p.add(`%d fields, layout has ${layout.fields.length}`)}, nf)`,
    ...checked.values.filter((v) => v.def.type !== 'VARCHAR').map((v) => `WHEN NOT ${v.check} THEN ${v.reason(p)}`),
  ];
  const r = await withoutFilterPushdown(conn, () =>
    conn.run(
      `INSERT INTO ${quoteIdent('rejects')} (source_file_id, position, position_kind, reason, excerpt)
       SELECT ${unpackFileId('record_index')}, ${unpackRecordIndex('record_index')}, ${p.add('line')}, CASE ${reason.join(' ')} END, left(line, ${p.add(EXCERPT_CHARS)})
       FROM (${checked.sql}) WHERE NOT ok
       ORDER BY record_index`,
      p.values,
    ),
  );
  return r.rowsChanged;
}

/**
 * DuckDB pushes a filter down through the projections beneath it by inlining
 * their expressions, so `WHERE ok` would split and cast every line two or three
 * times over (measured: 7 s instead of 3 s per million lines). The filters here
 * sit right above the work they test, so pushing them buys nothing.
 */
async function withoutFilterPushdown<T>(conn: DuckDBConnection, run: () => Promise<T>): Promise<T> {
  const r = await conn.runAndReadAll(`SELECT current_setting('disabled_optimizers') AS v`);
  const previous = String(r.getRows()[0][0] ?? '');
  const disabled = previous.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (disabled.includes('filter_pushdown')) return run();
  await conn.run(`SET disabled_optimizers = ${sqlString([...disabled, 'filter_pushdown'].join(','))}`);
  try {
    return await run();
  } finally {
    await conn.run(disabled.length > 0 ? `SET disabled_optimizers = ${sqlString(disabled.join(','))}` : 'RESET disabled_optimizers');
  }
}

/** event_time is the start of the capture window, or its end where a layout has no start. */
function eventTimeSql(values: ValueSql[]): string {
  const times = ['start', 'end'].flatMap((f) => values.filter((v) => v.def.field === f).map((v) => v.cast));
  return times.length > 0 ? `coalesce(${times.join(', ')})` : 'NULL';
}

async function eventTimeRange(
  conn: DuckDBConnection,
  files: number | StagedFiles,
): Promise<{ firstEventTime: string | null; lastEventTime: string | null }> {
  const f = stagedFiles(files);
  // Epoch milliseconds, not the timestamp's text, which follows the session time zone.
  const r = await conn.runAndReadAll(
    `SELECT epoch_ms(min(event_time)) AS first, epoch_ms(max(event_time)) AS last
     FROM ${quoteIdent('vpc_flow')} WHERE source_file_id BETWEEN $lo AND $hi`,
    { lo: f.lo, hi: f.hi },
  );
  const [first, last] = r.getRows()[0] ?? [null, null];
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());
  return { firstEventTime: iso(first), lastEventTime: iso(last) };
}

const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
]);
const TIMESTAMP_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS,
]);

/**
 * One Parquet column on its way to a vpc_flow column. Integer and timestamp
 * columns keep their type; anything else is read as text and goes through the
 * same '-', cast and exactness rules as a text record.
 */
function parquetValueSql(def: VpcField, source: string, type: DuckDBType, maxEpoch: () => string): ValueSql {
  const column = quoteIdent(def.column);
  const label = `column ${source}`;
  const col = quoteIdent(source);
  const quoted = `left(${col}::VARCHAR, ${REASON_VALUE_CHARS})`;
  if (def.type === 'TIMESTAMPTZ' && type.typeId === DuckDBTypeId.TIMESTAMP_TZ) {
    return { def, cast: col, column, check: 'true', reason: noReason };
  }
  if (def.type === 'TIMESTAMPTZ' && TIMESTAMP_TYPES.has(type.typeId)) {
    // A Parquet timestamp without zone is UTC by the format's convention, not the session's zone.
    return { def, cast: `timezone('UTC', ${col}::TIMESTAMP)`, column, check: 'true', reason: noReason };
  }
  if (INTEGER_TYPES.has(type.typeId)) {
    if (def.type === 'VARCHAR') return { def, cast: `${col}::VARCHAR`, column, check: 'true', reason: noReason };
    const cast = `TRY_CAST(${col} AS ${castType(def.type)})`;
    const isTime = def.type === 'TIMESTAMPTZ';
    return {
      def,
      cast: isTime ? `to_timestamp(${cast})` : cast,
      column,
      check: isTime ? `(${col} IS NULL OR ${cast} BETWEEN 0 AND ${maxEpoch()})` : `(${col} IS NULL OR ${cast} IS NOT NULL)`,
      reason: (p) => `printf(${p.add(`${label} is out of range for ${isTime ? 'epoch seconds' : def.type}: '%s'`)}, ${quoted})`,
    };
  }
  const text = `nullif(${col}::VARCHAR, '-')`;
  return valueSql(def, text, `TRY_CAST(${text} AS ${castType(def.type)})`, label, maxEpoch);
}

/**
 * Import a VPC flow log Parquet file (AWS's Parquet delivery: columns named
 * like the fields with underscores, e.g. account_id, interface_id, start, end,
 * log_status). Parquet has no lines, so record_index is the 1-based row number
 * (file_row_number + 1), rejects use the same number as their position, and raw
 * is the row as JSON text. Columns that are not VPC fields are kept in raw only.
 * Throws when the file cannot be read or has no VPC flow columns at all.
 */
export async function importVpcFlowParquet(
  conn: DuckDBConnection,
  diskPath: string,
  sourceFileId: number,
): Promise<ParseResult> {
  const probe = await conn.runAndReadAll(`SELECT * FROM read_parquet($path) LIMIT 0`, { path: diskPath });
  const names = probe.columnNames();
  const types = probe.columnTypes();
  const fieldByColumnName = new Map(VPC_FIELDS.map((f) => [f.field.replaceAll('-', '_'), f]));
  const mapped: { def: VpcField; source: string; type: DuckDBType }[] = [];
  names.forEach((name, i) => {
    const def = fieldByColumnName.get(name.toLowerCase());
    if (def && !mapped.some((m) => m.def === def)) mapped.push({ def, source: name, type: types[i] });
  });
  if (mapped.length === 0) {
    throw new Error(`Parquet file has no VPC flow log columns (columns: ${names.slice(0, 20).join(', ')})`);
  }
  const others = names.length - mapped.length;
  const layoutName = `parquet (${mapped.length} fields${others > 0 ? `, ${others} other columns in raw` : ''})`;

  const rowSql = (p: Params) => {
    const maxEpoch = p.once('maxEpoch', MAX_EPOCH_SECONDS);
    const values = mapped.map((m) => parquetValueSql(m.def, m.source, m.type, maxEpoch));
    const raw = `to_json(struct_pack(${names.map((n) => `${quoteIdent(n)} := ${quoteIdent(n)}`).join(', ')}))::VARCHAR`;
    const checks = values.map((v) => v.check).filter((c) => c !== 'true');
    const sql = `
      SELECT *, file_row_number + 1 AS __record_index, ${raw} AS __raw,
             (true${checks.map((c) => ` AND ${c}`).join('')}) AS __ok
      FROM read_parquet(${p.add(diskPath)}, file_row_number = true)`;
    return { sql, values };
  };

  const ins = new Params();
  const rows = rowSql(ins);
  const imported = await withoutFilterPushdown(conn, () =>
    conn.run(
      `INSERT INTO ${quoteIdent('vpc_flow')}
         (source_file_id, record_index, event_time, ${rows.values.map((v) => v.column).join(', ')}, layout, raw)
       SELECT ${ins.add(sourceFileId)}, __record_index, ${eventTimeSql(rows.values)},
              ${rows.values.map((v) => v.cast).join(', ')}, ${ins.add(layoutName)}, __raw
       FROM (${rows.sql}) WHERE __ok`,
      ins.values,
    ),
  );

  // The row count comes from the Parquet footer, so a clean file is read once.
  const total = await conn.runAndReadAll(`SELECT count(*) FROM read_parquet($path)`, { path: diskPath });
  let rejected = 0;
  if (Number(total.getRows()[0][0]) !== imported.rowsChanged) {
    const rej = new Params();
    const again = rowSql(rej);
    const reasons = again.values.filter((v) => v.check !== 'true').map((v) => `WHEN NOT ${v.check} THEN ${v.reason(rej)}`);
    const r = await withoutFilterPushdown(conn, () =>
      conn.run(
        `INSERT INTO ${quoteIdent('rejects')} (source_file_id, position, position_kind, reason, excerpt)
         SELECT ${rej.add(sourceFileId)}, __record_index, ${rej.add('line')},
                CASE ${reasons.join(' ')} END, left(__raw, ${rej.add(EXCERPT_CHARS)})
         FROM (${again.sql}) WHERE NOT __ok
         ORDER BY __record_index`,
        rej.values,
      ),
    );
    rejected = r.rowsChanged;
  }

  return {
    imported: { vpc_flow: imported.rowsChanged },
    rejected,
    ...(await eventTimeRange(conn, sourceFileId)),
    format: layoutName,
  };
}
