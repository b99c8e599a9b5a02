import type { DuckDBConnection } from '@duckdb/node-api';
import { type ColumnDef, quoteIdent } from '../store/schema';
import { packedStagedLines, stagedFiles, unpackFileId, unpackRecordIndex, type StagedFiles } from './lineStage';
import { EXCERPT_CHARS } from './types';

/**
 * Space-separated AWS log records (ELB, S3 server access) read in SQL. A
 * layout maps field positions to typed columns; every typed field is validated
 * as well as cast, so a malformed number or time rejects its line instead of
 * becoming NULL.
 *
 * Lines are split into fields two ways that agree wherever both apply. The
 * fast way splits on '"' and then on ' ' at the places the layout expects, and
 * takes only lines whose quotes and spaces sit exactly there. Every other line
 * (escaped quotes, quotes inside unquoted fields, older shorter layouts, extra
 * quoted fields, runs of spaces) goes through a regex tokenizer, which alone
 * would cost several times more: DuckDB pays per match.
 *
 * The statements are built so that DuckDB plans them quickly, which matters
 * for the many small files a load balancer writes: each intermediate value is
 * its own column of a lower SELECT rather than a repeated subexpression, and a
 * file's lines are parsed only with the layouts of the kinds present in it.
 *
 * The SQL built here holds only code constants (patterns, field names,
 * positions); data values are always bound parameters.
 */

/**
 * A token is a quoted string (with `\"` escapes) optionally followed by more
 * non-space text, or a run of non-space text. The quoted form must start the
 * token so that quotes inside unquoted text (an NLB ALPN list `\"h2\"`) stay
 * literal, and the tail keeps `"h2","http/1.1"` one token.
 */
const TOKEN_PATTERN = String.raw`"(?:[^"\\]|\\.)*"[^ ]*|[^ ]+`;

/** A code constant as a SQL string literal. */
function sqlText(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** The text of a token written in double quotes, `\"` unescaped; any other token as it stands. */
function unquoteSql(x: string): string {
  return `CASE WHEN length(${x}) >= 2 AND starts_with(${x}, '"') AND ends_with(${x}, '"') THEN replace(${x}[2:-2], '\\"', '"') ELSE ${x} END`;
}

/**
 * `text` keeps the field as it stands; `quoted` is written in double quotes
 * (read without them); both read '-' as NULL. `host_port` is split at the last
 * ':' so that IPv6 and anonymised, not-quite-IP addresses are kept as text.
 */
export type FieldType =
  | 'text'
  | 'quoted'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'iso_time'
  | 'clf_time'
  | 'host_port'
  | 'port';

export interface FieldSpec {
  /** 1-based field number, as AWS documents it. */
  pos: number;
  /** The field's AWS name, for reject reasons. */
  field: string;
  type: FieldType;
  /** Target column; a host_port field fills [address column, port column]. */
  column: string | [string, string];
  /** '-' is not acceptable (the record's own time). */
  required?: boolean;
}

export function field(pos: number, name: string, type: FieldType, column: FieldSpec['column'], required = false): FieldSpec {
  return { pos, field: name, type, column, required };
}

export interface RecordLayout {
  /** Name used in reject reasons, e.g. "ALB access". */
  label: string;
  /** Fewer fields than this rejects the line. */
  minFields: number;
  /** Fields after this one are kept in extra_fields. */
  knownFields: number;
  fields: FieldSpec[];
  /** Columns with a value fixed by the layout (code constants). */
  constants?: Record<string, string>;
  /** An HTTP request line field to split into method / URL / version columns. */
  request?: { pos: number; columns: { method: string; url?: string; version?: string } };
  /** A field that holds exactly one space, and so is two tokens: the S3 `[06/Feb/2019:00:00:38 +0000]`. */
  spaced?: number;
}

const CLF_TIME_FORMAT = '[%d/%b/%Y:%H:%M:%S %z]';

const TYPE_DESCRIPTION: Record<FieldType, string> = {
  text: 'text',
  quoted: 'text',
  integer: 'an integer',
  bigint: 'an integer',
  double: 'a number',
  iso_time: 'an ISO 8601 UTC time',
  clf_time: 'a [dd/Mon/yyyy:HH:MM:SS +hhmm] time',
  host_port: 'an address:port',
  port: 'a port number',
};

/** What well-formed text of a type looks like; it guards what TRY_CAST accepts loosely ('1.5' as the integer 2, '0x1F', '1_000', ' 7'). */
const TYPE_PATTERN: Partial<Record<FieldType, string>> = {
  integer: '-?[0-9]+',
  bigint: '-?[0-9]+',
  double: String.raw`-?[0-9]+(\.[0-9]+)?`,
  iso_time: String.raw`[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z?`,
  port: '[0-9]{1,5}',
};

/** Token position of a field: after a spaced field, fields sit one token later. */
function tokenPos(layout: RecordLayout, pos: number): number {
  return layout.spaced !== undefined && pos > layout.spaced ? pos + 1 : pos;
}

function tokenCount(layout: RecordLayout): number {
  return tokenPos(layout, layout.knownFields);
}

const tok = (k: number) => `c${k}`;

/**
 * The relation (record_index, line, nf, c1..cK, extras) over `src`, a
 * relation of (record_index, line): nf is the number of fields, c<k> the text
 * of token k (quotes removed where the layout quotes it), extras the tokens
 * after the known ones.
 */
function tokensSql(layout: RecordLayout, src: string): string {
  const K = tokenCount(layout);
  const quoted = new Set(layout.fields.filter((f) => f.type === 'quoted').map((f) => tokenPos(layout, f.pos)));
  const lastQ = Math.max(0, ...quoted);

  // Walk the layout to find where each token sits among the '"'-separated
  // parts p: quoted tokens are whole parts, the others words of the parts
  // between. A part must hold exactly the expected words, one space apart,
  // with a space on each side that touches a quoted token.
  const fast = new Map<number, string>();
  const splits: string[] = [];
  const checks = [`NOT contains(line, '\\"')`];
  let part = 1;
  let lead = 0;
  let words = 0;
  const closeSegment = () => {
    const p = `p[${part}]`;
    if (words === 0) {
      checks.push(`${p} = '${lead ? ' ' : ''}'`);
      return;
    }
    splits.push(`string_split(${p}, ' ') AS s${part}`);
    checks.push(`len(s${part}) = ${lead + words + 1}`, `ends_with(${p}, ' ')`, `NOT contains(${p}, '  ')`);
    if (lead) checks.push(`starts_with(${p}, ' ')`);
  };
  for (let k = 1; k <= lastQ; k++) {
    if (quoted.has(k)) {
      closeSegment();
      fast.set(k, `p[${part + 1}]`);
      part += 2;
      lead = 1;
      words = 0;
    } else {
      words++;
      fast.set(k, `s${part}[${lead + words}]`);
    }
  }
  const rest = `s${part}`;
  const restPart = `p[${part}]`;
  splits.push(`string_split(${restPart}, ' ') AS ${rest}`);
  checks.push(`len(p) = ${part}`);
  const restWords = `NOT ends_with(${restPart}, ' ') AND NOT contains(${restPart}, '  ')`;
  checks.push(lead ? `(${restPart} = '' OR (starts_with(${restPart}, ' ') AND ${restWords}))` : `NOT starts_with(${restPart}, ' ') AND ${restWords}`);
  for (let k = lastQ + 1; k <= K; k++) fast.set(k, `${rest}[${lead + k - lastQ}]`);

  const cols: string[] = [];
  for (let k = 1; k <= K; k++) {
    const slow = quoted.has(k) ? unquoteSql(`t[${k}]`) : `t[${k}]`;
    cols.push(`CASE WHEN fast THEN ${fast.get(k)} ELSE ${slow} END AS ${tok(k)}`);
  }
  const n = `CASE WHEN fast THEN ${lastQ - lead} + len(${rest}) ELSE len(t) END`;
  const extras = `CASE WHEN fast THEN ${rest}[${lead + K - lastQ + 1}:] ELSE list_transform(t[${K + 1}:], lambda x: ${unquoteSql('x')}) END`;
  const nf = layout.spaced === undefined ? 'n' : `n - CASE WHEN n > ${layout.spaced} THEN 1 ELSE 0 END`;

  return `SELECT record_index, line, ${nf} AS nf, ${cols.map((_, i) => tok(i + 1)).join(', ')}, extras FROM (
    SELECT record_index, line, ${n} AS n, ${cols.join(', ')}, ${extras} AS extras FROM (
      SELECT *, CASE WHEN NOT fast THEN regexp_extract_all(line, ${sqlText(TOKEN_PATTERN)}) END AS t FROM (
        SELECT *, coalesce(${checks.join(' AND ')}, false) AS fast FROM (
          SELECT *, ${splits.join(', ')} FROM (
            SELECT record_index, line, string_split(line, '"') AS p FROM ${src}
          )
        )
      )
    )
  )`;
}

/** The field's text: a spaced field is its two tokens joined again. */
function fieldText(layout: RecordLayout, pos: number): string {
  const k = tokenPos(layout, pos);
  return layout.spaced === pos ? `(${tok(k)} || ' ' || ${tok(k + 1)})` : tok(k);
}

function castSql(type: FieldType, v: string): string {
  switch (type) {
    case 'integer':
    case 'port':
      return `TRY_CAST(${v} AS INTEGER)`;
    case 'bigint':
      return `TRY_CAST(${v} AS BIGINT)`;
    case 'double':
      return `TRY_CAST(${v} AS DOUBLE)`;
    case 'iso_time':
      // Times without an offset are UTC in AWS logs; an explicit Z keeps the session time zone out of the cast.
      return `TRY_CAST(rtrim(${v}, 'Z') || 'Z' AS TIMESTAMPTZ)`;
    case 'clf_time':
      return `try_strptime(${v}, ${sqlText(CLF_TIME_FORMAT)})`;
    case 'text':
    case 'quoted':
    case 'host_port':
      return `nullif(${v}, '-')`;
  }
}

const portOf = (v: string) => `split_part(${v}, ':', -1)`;

/**
 * True when the field is absent (an older, shorter layout), '-' where
 * allowed, or well-formed with a non-NULL cast (which catches overflow and
 * 31 February); NULL when the field is free text.
 */
function validSql(f: FieldSpec, v: string): string | null {
  if (f.type === 'text' || f.type === 'quoted') return null;
  let good: string;
  if (f.type === 'host_port') {
    good = `length(${v}) > length(${portOf(v)}) + 1 AND regexp_full_match(${portOf(v)}, '[0-9]{1,5}')`;
  } else {
    const pattern = TYPE_PATTERN[f.type];
    const shape = pattern ? `regexp_full_match(${v}, ${sqlText(pattern)})` : 'true';
    good = f.type === 'port' ? shape : `${shape} AND ${quoteIdent(f.column as string)} IS NOT NULL`;
  }
  return f.required ? `coalesce(${v} <> '-' AND ${good}, false)` : `coalesce(${v} IS NULL OR ${v} = '-' OR (${good}), false)`;
}

function columnExprs(f: FieldSpec, v: string): [string, string][] {
  if (f.type === 'host_port') {
    const [addr, port] = f.column as [string, string];
    return [
      [addr, `CASE WHEN ${v} <> '-' THEN left(${v}, length(${v}) - length(${portOf(v)}) - 1) END`],
      [port, `TRY_CAST(${portOf(v)} AS INTEGER)`],
    ];
  }
  return [[f.column as string, castSql(f.type, v)]];
}

/**
 * A request line is "METHOD URL VERSION", the URL possibly holding spaces;
 * unparsable requests are logged as "- URL " or "- - - ". The last word is the
 * version only when it looks like one; otherwise it belongs to the URL.
 */
function requestLevels(v: string, from: string): string {
  return `SELECT *, coalesce(contains(rq_rest, ' ') AND (rq_last LIKE 'HTTP/%' OR rq_last = '-'), false) AS rq_has_version FROM (
    SELECT *, CASE WHEN contains(rq, ' ') THEN substr(rq, length(rq_method) + 2) END AS rq_rest, split_part(rq, ' ', -1) AS rq_last FROM (
      SELECT *, split_part(rq, ' ', 1) AS rq_method FROM (
        SELECT *, rtrim(nullif(${v}, '-')) AS rq FROM (${from})
      )
    )
  )`;
}

function requestExprs(c: NonNullable<RecordLayout['request']>['columns']): [string, string][] {
  const out: [string, string][] = [[c.method, `nullif(nullif(rq_method, ''), '-')`]];
  if (c.url) {
    out.push([c.url, `nullif(nullif(CASE WHEN rq_has_version THEN left(rq_rest, length(rq_rest) - length(rq_last) - 1) ELSE rq_rest END, ''), '-')`]);
  }
  if (c.version) out.push([c.version, `CASE WHEN rq_has_version THEN nullif(rq_last, '-') END`]);
  return out;
}

interface LayoutSql {
  /** The columns this layout fills. */
  columns: string[];
  /** Over a tokens relation: those columns typed, plus nf and the tokens. */
  typed: (tokens: string) => string;
  /** True for a line to import, over `typed`. */
  ok: string;
  /** Why a line is rejected, over `typed`. */
  reason: string;
}

function layoutSql(layout: RecordLayout, table: ColumnDef[]): LayoutSql {
  const exprs = new Map<string, string>();
  exprs.set('source_file_id', unpackFileId('record_index'));
  exprs.set('record_index', unpackRecordIndex('record_index'));
  exprs.set('raw', 'line');
  for (const [c, value] of Object.entries(layout.constants ?? {})) exprs.set(c, sqlText(value));
  for (const f of layout.fields) {
    for (const [c, e] of columnExprs(f, fieldText(layout, f.pos))) exprs.set(c, e);
  }
  if (layout.request) for (const [c, e] of requestExprs(layout.request.columns)) exprs.set(c, e);
  if (table.some((c) => c.name === 'extra_fields')) exprs.set('extra_fields', `CASE WHEN len(extras) > 0 THEN to_json(extras) END`);
  const columns = table.map((c) => c.name).filter((c) => exprs.has(c));
  const typedCols = columns.map((c) => `${exprs.get(c)} AS ${quoteIdent(c)}`);
  const tokenCols = Array.from({ length: tokenCount(layout) }, (_, i) => tok(i + 1));

  const valid: string[] = [`nf >= ${layout.minFields}`];
  const whens: string[] = [
    `WHEN nf < ${layout.minFields} THEN concat(${sqlText(`${layout.label} record has `)}, nf, ${sqlText(` fields, expected at least ${layout.minFields}`)})`,
  ];
  for (const f of layout.fields) {
    const v = fieldText(layout, f.pos);
    const ok = validSql(f, v);
    if (!ok) continue;
    valid.push(ok);
    const prefix = `${layout.label} field ${f.pos} ${f.field}: '`;
    whens.push(`WHEN NOT ${ok} THEN concat(${sqlText(prefix)}, left(${v}, 80), ${sqlText(`' is not ${TYPE_DESCRIPTION[f.type]}`)})`);
  }
  return {
    columns,
    typed: (tokens) => {
      const from = layout.request ? requestLevels(fieldText(layout, layout.request.pos), tokens) : tokens;
      return `SELECT ${typedCols.join(', ')}, nf, ${tokenCols.join(', ')} FROM (${from})`;
    },
    ok: valid.join(' AND '),
    reason: `CASE ${whens.join(' ')} END`,
  };
}

/** How lines are told apart: SQL giving each line's kind, and the layout of each kind. */
export interface LineKinds {
  /** SQL over `line` alone giving its kind; NULL for a line of no known kind. */
  kindSql: string;
  layouts: { kind: string; layout: RecordLayout }[];
  /** SQL over `line` giving the reason for a line of no known kind; needed when kindSql can be NULL. */
  unmatchedReason?: string;
}

/**
 * Parse the staged lines of one file into `table` and rejects. Good lines are
 * inserted in one pass per kind present; the lines left over (usually none)
 * are found by their absence and parsed again for their reason.
 * Expects no rows of this source file in `table` beforehand.
 */
export async function parseStagedLines(
  conn: DuckDBConnection,
  files: number | StagedFiles,
  table: string,
  columns: ColumnDef[],
  kinds: LineKinds,
): Promise<{ rejected: number }> {
  const f = stagedFiles(files);
  const id = {};
  const t = quoteIdent(table);
  const staged = `(${packedStagedLines(f)})`;
  const present = await conn.runAndReadAll(
    `SELECT kind, count(*) AS n FROM (SELECT ${kinds.kindSql} AS kind FROM ${staged}) GROUP BY kind`,
    id,
  );
  const stagedByKind = new Map(present.getRowObjectsJS().map((r) => [r.kind as string | null, Number(r.n)]));

  let rejected = 0;
  const reject = async (reasonSelect: string) => {
    const r = await conn.run(
      `INSERT INTO rejects (source_file_id, position, position_kind, reason, excerpt)
       SELECT ${unpackFileId('record_index')}, ${unpackRecordIndex('record_index')}, 'line', coalesce(reason, 'not parsed'), left(line, $excerpt)
       FROM (${reasonSelect}) ORDER BY record_index`,
      { ...id, excerpt: EXCERPT_CHARS },
    );
    rejected += Number(r.rowsChanged);
  };

  for (const { kind, layout } of kinds.layouts) {
    const lines = stagedByKind.get(kind) ?? 0;
    if (lines === 0) continue;
    const sql = layoutSql(layout, columns);
    const names = sql.columns.map(quoteIdent).join(', ');
    const ofKind = (from: string) => `(SELECT record_index, line FROM ${from} WHERE (${kinds.kindSql}) = ${sqlText(kind)})`;
    // The volatile term keeps the filter above the projection: pushed down, it
    // would be rewritten over the token expressions and recompute them per use.
    const ins = await conn.run(
      `INSERT INTO ${t} (${names})
       SELECT ${names} FROM (SELECT *, ${sql.ok} AS ok FROM (${sql.typed(tokensSql(layout, ofKind(staged)))}))
       WHERE (ok OR random() < 0)`,
      id,
    );
    if (Number(ins.rowsChanged) === lines) continue;
    const leftOver = `(${packedStagedLines(f, 's')}
        AND NOT EXISTS (SELECT 1 FROM ${t} e WHERE e.source_file_id = s.source_file_id AND e.record_index = s.record_index))`;
    // The typed layer has unpacked the position; pack it again for reject().
    await reject(`SELECT (source_file_id::BIGINT << 32) | record_index AS record_index, raw AS line, ${sql.reason} AS reason FROM (${sql.typed(tokensSql(layout, ofKind(leftOver)))})`);
  }
  if (kinds.unmatchedReason && stagedByKind.has(null)) {
    await reject(`SELECT record_index, line, ${kinds.unmatchedReason} AS reason FROM ${staged} WHERE (${kinds.kindSql}) IS NULL`);
  }
  return { rejected };
}

export interface KindCounts {
  kind: string;
  rows: number;
  first: string | null;
  last: string | null;
}

/** Rows, first and last event time of one source file in `table`, by `kindColumn` (or all together). */
export async function countsByKind(
  conn: DuckDBConnection,
  table: string,
  kindColumn: string | null,
  files: number | StagedFiles,
): Promise<KindCounts[]> {
  const f = stagedFiles(files);
  const kind = kindColumn ? quoteIdent(kindColumn) : `''`;
  const iso = (agg: string) => `strftime(${agg}(event_time) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')`;
  const reader = await conn.runAndReadAll(
    `SELECT ${kind} AS kind, count(*) AS n, ${iso('min')} AS first, ${iso('max')} AS last
     FROM ${quoteIdent(table)} WHERE source_file_id BETWEEN $lo AND $hi GROUP BY ALL ORDER BY ALL`,
    { lo: f.lo, hi: f.hi },
  );
  return reader.getRowObjectsJS().map((r) => ({
    kind: String(r.kind),
    rows: Number(r.n),
    first: (r.first as string | null) ?? null,
    last: (r.last as string | null) ?? null,
  }));
}

export function timeRange(counts: KindCounts[]): { firstEventTime: string | null; lastEventTime: string | null } {
  const firsts = counts.map((c) => c.first).filter((x): x is string => x !== null);
  const lasts = counts.map((c) => c.last).filter((x): x is string => x !== null);
  // One fixed-width format throughout, so string order is time order.
  return {
    firstEventTime: firsts.length ? firsts.reduce((a, b) => (b < a ? b : a)) : null,
    lastEventTime: lasts.length ? lasts.reduce((a, b) => (b > a ? b : a)) : null,
  };
}
