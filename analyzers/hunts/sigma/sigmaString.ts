/**
 * A Sigma string value: literal text and the wildcards `*` (any run of
 * characters) and `?` (one character). `\*`, `\?` and `\\` are the literal
 * characters; a backslash before anything else is itself, so Windows paths
 * need no doubling (as pySigma reads them).
 */
export type Piece = { lit: string } | '*' | '?';

export function parseSigmaString(s: string): Piece[] {
  const out: Piece[] = [];
  let acc = '';
  const flush = () => {
    if (acc !== '') out.push({ lit: acc });
    acc = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        acc += next;
        i++;
      } else {
        acc += c;
      }
    } else if (c === '*' || c === '?') {
      flush();
      out.push(c);
    } else {
      acc += c;
    }
  }
  flush();
  return out;
}

export function literalString(s: string): Piece[] {
  return s === '' ? [] : [{ lit: s }];
}

/** contains / startswith / endswith: a `*` at either end, unless one is there already. */
export function withWildcards(p: Piece[], start: boolean, end: boolean): Piece[] {
  const out = [...p];
  if (start && out[0] !== '*') out.unshift('*');
  if (end && out[out.length - 1] !== '*') out.push('*');
  return out;
}

export function hasWildcard(p: Piece[]): boolean {
  return p.some((x) => x === '*' || x === '?');
}

export function plainText(p: Piece[]): string {
  return p.map((x) => (typeof x === 'string' ? x : x.lit)).join('');
}

/** The ways a value can be matched, fastest first; DuckDB's LIKE with ESCAPE is several times slower than contains(). */
export type StringMatch =
  | { how: 'equals'; value: string }
  | { how: 'contains' | 'startswith' | 'endswith'; value: string }
  | { how: 'like'; pattern: string; escape: boolean };

export function stringMatch(raw: Piece[]): StringMatch {
  const p = raw.filter((x, i) => !(x === '*' && raw[i - 1] === '*'));
  if (!hasWildcard(p)) return { how: 'equals', value: plainText(p) };
  const inner = p.slice(p[0] === '*' ? 1 : 0, p[p.length - 1] === '*' ? -1 : undefined);
  if (!hasWildcard(inner)) {
    const value = plainText(inner);
    if (p[0] === '*' && p[p.length - 1] === '*') return { how: 'contains', value };
    return { how: p[0] === '*' ? 'endswith' : 'startswith', value };
  }
  let escape = false;
  const pattern = p
    .map((x) => {
      if (x === '*') return '%';
      if (x === '?') return '_';
      if (/[%_\\]/.test(x.lit)) escape = true;
      return x.lit.replace(/[%_\\]/g, (c) => `\\${c}`);
    })
    .join('');
  return { how: 'like', pattern, escape };
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const WORD = /[\p{L}\p{N}_]/u;

/**
 * windash: a `-` or `/` that starts a word after a non-word character (a
 * command-line switch) may be written with any of - / – — ―. Matched by one
 * regular expression instead of every spelling, so the hunt keeps one
 * parameter per value.
 */
export function windashRegex(p: Piece[], caseSensitive: boolean): { pattern: string; expanded: boolean } {
  let dashes = 0;
  const body = p
    .map((x) => {
      if (x === '*') return '.*';
      if (x === '?') return '.';
      let out = '';
      const chars = [...x.lit];
      chars.forEach((c, i) => {
        const prevIsWord = i > 0 && WORD.test(chars[i - 1]);
        const nextIsWord = i + 1 < chars.length && WORD.test(chars[i + 1]);
        if ((c === '-' || c === '/') && !prevIsWord && nextIsWord) {
          dashes++;
          out += `[${DASHES.map(regexEscape).join('')}]`;
        } else {
          out += regexEscape(c);
        }
      });
      return out;
    })
    .join('');
  return { pattern: `(?s${caseSensitive ? '' : 'i'})^${body}$`, expanded: dashes > 0 };
}

function regexEscape(c: string): string {
  return /[\\^$.|?*+()[\]{}\-/]/.test(c) ? `\\${c}` : c;
}
