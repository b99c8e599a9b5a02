import { SigmaUnsupportedError } from './errors';

/** Escapes RE2 (DuckDB's regex engine) knows after a backslash; letters outside this set are errors there. */
const RE2_LETTER_ESCAPES = new Set([...'afnrtvxdDsSwWbBAzpPQEC']);

/**
 * Sigma regular expressions are PCRE; DuckDB runs RE2, which has no
 * lookaround, backreferences, atomic groups or possessive quantifiers. Those
 * are reported by name here rather than failing when the hunt runs. Named
 * groups written `(?<name>…)` become RE2's `(?P<name>…)`.
 */
export function toRe2(pattern: string, where: string): string {
  const unsupported = (what: string): never => {
    throw new SigmaUnsupportedError(`regular expression ${what}`, `${where}: the regular expression uses ${what}, which DuckDB's RE2 engine does not support`);
  };
  let out = '';
  let inClass = false;
  // Set after a quantifier, where a further '+' would make it possessive.
  let quantified = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const wasQuantified: boolean = quantified;
    quantified = false;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (/[1-9]/.test(n)) unsupported(`backreference '\\${n}'`);
      if (n === 'k' || n === 'g') unsupported(`backreference '\\${n}'`);
      if (/[A-Za-z]/.test(n) && !RE2_LETTER_ESCAPES.has(n)) unsupported(`escape '\\${n}'`);
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop - 1;
        continue;
      }
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      const posix = c === '[' && pattern[i + 1] === ':' ? pattern.indexOf(':]', i + 2) : -1;
      if (posix >= 0) {
        out += pattern.slice(i, posix + 2);
        i = posix + 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith('=') || rest.startsWith('!')) unsupported(`lookahead '(?${rest[0]}'`);
      if (rest.startsWith('<=') || rest.startsWith('<!')) unsupported(`lookbehind '(?${rest.slice(0, 2)}'`);
      if (rest.startsWith('>')) unsupported(`atomic group '(?>'`);
      if (rest.startsWith('#')) unsupported(`comment group '(?#'`);
      if (rest.startsWith('|')) unsupported(`branch reset group '(?|'`);
      if (rest.startsWith('(')) unsupported(`conditional group '(?('`);
      if (/^(P=|P>|&|R\)|[+-]?\d+\))/.test(rest)) unsupported(`recursion or backreference '(?${rest.slice(0, 2)}'`);
      if (rest.startsWith('<')) {
        out += '(?P<';
        i += 2;
        continue;
      }
      const flags = rest.match(/^([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]/);
      if (flags && /[^imsU]/.test(flags[1] + (flags[2] ?? ''))) unsupported(`inline flag '(?${flags[1]}${flags[2] !== undefined ? `-${flags[2]}` : ''}'`);
    }
    if (c === '+' && wasQuantified) unsupported(`possessive quantifier '${pattern[i - 1]}+'`);
    const counted = c === '{' ? /^\{\d+(,\d*)?\}/.exec(pattern.slice(i)) : null;
    if (counted) {
      out += counted[0];
      i += counted[0].length - 1;
      quantified = true;
      continue;
    }
    // A '?' after a quantifier makes it lazy, which RE2 has; a '+' there would not be.
    quantified = c === '*' || c === '+' || (c === '?' && !wasQuantified);
    out += c;
  }
  return out;
}
