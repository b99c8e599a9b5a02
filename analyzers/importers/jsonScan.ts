/**
 * A structural JSON scanner over raw bytes. It finds where each value starts
 * and ends without building objects, so that a record can be kept exactly as
 * it appears in the file (byte-exact raw) and located by its position. Full
 * validation of each record is left to DuckDB (json_valid), which is faster;
 * this only has to be right about structure.
 *
 * String bodies are skipped with Buffer.indexOf (a byte loop in JS is
 * slower even for short strings), so the per-byte loop only runs over the
 * punctuation between strings. A file is walked once: the first pass over a
 * document remembers where the containers near its top end (ValueEnds), so
 * listing the members of the document and the elements of its Records array
 * afterwards costs a look-up per value instead of a second and third walk.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Container ends by start offset, filled by a scan and read by later scans of
 * the same buffer. Only containers at most REMEMBERED_DEPTH levels below the
 * scanned value are kept: the members of a document and the elements of an
 * array it holds, which is where records are.
 */
export type ValueEnds = Map<number, number>;
const REMEMBERED_DEPTH = 2;

export class JsonScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

export function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export function skipWs(buf: Buffer, pos: number): number {
  while (pos < buf.length && isWs(buf[pos])) pos++;
  return pos;
}

/** End (exclusive) of the string starting at pos (buf[pos] === '"'). */
export function skipString(buf: Buffer, pos: number): number {
  let q = pos + 1;
  for (;;) {
    q = buf.indexOf(QUOTE, q);
    if (q < 0) throw new JsonScanError(pos, 'Unterminated string');
    let backslashes = 0;
    let r = q - 1;
    while (r > pos && buf[r] === BACKSLASH) {
      backslashes++;
      r--;
    }
    if ((backslashes & 1) === 0) return q + 1;
    q++;
  }
}

/** End (exclusive) of the JSON value starting at pos (after whitespace). */
export function skipValue(buf: Buffer, pos: number, ends?: ValueEnds): number {
  const known = ends?.get(pos);
  if (known !== undefined) return known;
  const n = buf.length;
  if (pos >= n) throw new JsonScanError(pos, 'Unexpected end of input');
  const first = buf[pos];
  if (first === QUOTE) return skipString(buf, pos);
  if (first !== LBRACE && first !== LBRACKET) return skipLiteral(buf, pos);
  // Containers: a stack of expected closers. Each level tracks whether a value
  // or key was just read, so a missing comma is caught (a file whose records
  // lack the commas between them must be rejected, not half-read).
  const closers: number[] = [];
  const afterItem: boolean[] = [];
  const starts: number[] = [];
  let p = pos;
  while (p < n) {
    const b = buf[p];
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
      p++;
      continue;
    }
    const depth = closers.length;
    if (b === QUOTE) {
      if (afterItem[depth - 1]) throw afterItemError(p, closers[depth - 1]);
      afterItem[depth - 1] = true;
      p = skipString(buf, p);
      continue;
    }
    if (b === LBRACE || b === LBRACKET) {
      if (depth > 0 && afterItem[depth - 1]) throw new JsonScanError(p, "Expected ',' between elements");
      if (depth > 0) afterItem[depth - 1] = true;
      closers.push(b === LBRACE ? RBRACE : RBRACKET);
      afterItem.push(false);
      starts.push(p);
      p++;
      continue;
    }
    if (b === RBRACE || b === RBRACKET) {
      if (depth === 0 || closers[depth - 1] !== b) throw new JsonScanError(p, `Unexpected '${String.fromCharCode(b)}'`);
      closers.pop();
      afterItem.pop();
      const start = starts.pop()!;
      p++;
      if (depth === 1) return p;
      if (ends && depth - 1 <= REMEMBERED_DEPTH) ends.set(start, p);
      continue;
    }
    if (b === COMMA) {
      if (!afterItem[depth - 1]) throw new JsonScanError(p, "Unexpected ','");
      afterItem[depth - 1] = false;
      p++;
      continue;
    }
    if (b === COLON) {
      if (closers[depth - 1] !== RBRACE || !afterItem[depth - 1]) throw new JsonScanError(p, "Unexpected ':'");
      afterItem[depth - 1] = false;
      p++;
      continue;
    }
    if (afterItem[depth - 1]) throw afterItemError(p, closers[depth - 1]);
    afterItem[depth - 1] = true;
    p = skipLiteral(buf, p);
  }
  throw new JsonScanError(pos, 'Unterminated container');
}

function afterItemError(p: number, closer: number): JsonScanError {
  return new JsonScanError(p, closer === RBRACKET ? "Expected ',' or ']' after array element" : "Expected ',' or '}' after property");
}

/** End of a number or true/false/null (checked by DuckDB later); only its extent matters here. */
function skipLiteral(buf: Buffer, pos: number): number {
  const n = buf.length;
  let p = pos;
  while (p < n) {
    const b = buf[p];
    if (b === COMMA || b === RBRACE || b === RBRACKET || b === COLON || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) break;
    if (b === QUOTE || b === LBRACE || b === LBRACKET) throw new JsonScanError(p, 'Unexpected character in literal');
    p++;
  }
  if (p === pos) throw new JsonScanError(pos, `Unexpected character '${String.fromCharCode(buf[pos])}'`);
  return p;
}

export interface Span {
  start: number;
  end: number;
}

/** The members of the object at pos: key (decoded) and value span. */
export function objectMembers(buf: Buffer, pos: number, ends?: ValueEnds): { key: string; value: Span }[] {
  if (buf[pos] !== LBRACE) throw new JsonScanError(pos, "Expected '{'");
  const out: { key: string; value: Span }[] = [];
  let p = skipWs(buf, pos + 1);
  if (buf[p] === RBRACE) return out;
  for (;;) {
    if (buf[p] !== QUOTE) throw new JsonScanError(p, 'Expected a property name');
    const keyEnd = skipString(buf, p);
    // Keys almost never hold escapes; decode them without JSON.parse when they do not.
    const key = buf.subarray(p, keyEnd).includes(BACKSLASH)
      ? (JSON.parse(buf.toString('utf8', p, keyEnd)) as string)
      : buf.toString('utf8', p + 1, keyEnd - 1);
    p = skipWs(buf, keyEnd);
    if (buf[p] !== COLON) throw new JsonScanError(p, "Expected ':'");
    p = skipWs(buf, p + 1);
    const end = skipValue(buf, p, ends);
    out.push({ key, value: { start: p, end } });
    p = skipWs(buf, end);
    if (buf[p] === COMMA) {
      p = skipWs(buf, p + 1);
      continue;
    }
    if (buf[p] === RBRACE) return out;
    throw new JsonScanError(p, "Expected ',' or '}' after property");
  }
}

/** Element spans of the array at pos. */
export function arrayElements(buf: Buffer, pos: number, ends?: ValueEnds): Span[] {
  if (buf[pos] !== LBRACKET) throw new JsonScanError(pos, "Expected '['");
  const out: Span[] = [];
  let p = skipWs(buf, pos + 1);
  if (buf[p] === RBRACKET) return out;
  for (;;) {
    const end = skipValue(buf, p, ends);
    out.push({ start: p, end });
    p = skipWs(buf, end);
    if (buf[p] === COMMA) {
      p = skipWs(buf, p + 1);
      continue;
    }
    if (buf[p] === RBRACKET) return out;
    if (p >= buf.length) throw new JsonScanError(p, 'Unterminated array');
    throw new JsonScanError(p, "Expected ',' or ']' after array element");
  }
}

/** The top-level values of a file: one for a JSON document, several for NDJSON. Fills ends when given. */
export function topLevelValues(buf: Buffer, ends?: ValueEnds): Span[] {
  const out: Span[] = [];
  let p = skipWs(buf, 0);
  while (p < buf.length) {
    const end = skipValue(buf, p, ends);
    out.push({ start: p, end });
    p = skipWs(buf, end);
  }
  return out;
}

/** 1-based line numbers of a sorted list of offsets. */
export function lineNumbersOf(buf: Buffer, offsets: number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let p = 0;
  for (const off of offsets) {
    for (;;) {
      const nl = buf.indexOf(0x0a, p);
      if (nl < 0 || nl >= off) break;
      line++;
      p = nl + 1;
    }
    lines.push(line);
  }
  return lines;
}
