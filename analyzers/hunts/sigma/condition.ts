import { SigmaRuleError, SigmaUnsupportedError } from './errors';

/** A parsed Sigma condition. `of` selects search identifiers by name pattern (`selection*`) or `them`. */
export type Condition =
  | { kind: 'and' | 'or'; args: Condition[] }
  | { kind: 'not'; arg: Condition }
  | { kind: 'ref'; name: string }
  | { kind: 'of'; quantifier: 'any' | 'all'; pattern: string };

type Token = { t: '(' } | { t: ')' } | { t: 'word'; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c });
      i++;
    } else if (c === '|') {
      const agg = text.slice(i).trim();
      throw new SigmaUnsupportedError(`aggregation '${agg}'`, `the condition uses the aggregation '${agg}'; aggregations and correlations are not compiled to hunts`);
    } else {
      const m = /^[A-Za-z0-9_\-*.]+/.exec(text.slice(i));
      if (!m) throw new SigmaRuleError(`condition '${text}': unexpected '${c}'`);
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** Precedence as Sigma defines it: not binds tighter than and, and tighter than or. */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let pos = 0;
  const fail = (why: string): never => {
    throw new SigmaRuleError(`condition '${text}': ${why}`);
  };
  const word = (k: number): string | undefined => {
    const tok = tokens[pos + k];
    return tok?.t === 'word' ? tok.v.toLowerCase() : undefined;
  };

  const orExpr = (): Condition => {
    const args = [andExpr()];
    while (word(0) === 'or') {
      pos++;
      args.push(andExpr());
    }
    return args.length === 1 ? args[0] : { kind: 'or', args };
  };
  const andExpr = (): Condition => {
    const args = [notExpr()];
    while (word(0) === 'and') {
      pos++;
      args.push(notExpr());
    }
    return args.length === 1 ? args[0] : { kind: 'and', args };
  };
  const notExpr = (): Condition => {
    if (word(0) === 'not') {
      pos++;
      return { kind: 'not', arg: notExpr() };
    }
    return primary();
  };
  const primary = (): Condition => {
    const tok = tokens[pos];
    if (!tok) return fail('ends where a search identifier was expected');
    if (tok.t === '(') {
      pos++;
      const inner = orExpr();
      if (tokens[pos]?.t !== ')') fail("a '(' is not closed");
      pos++;
      return inner;
    }
    if (tok.t === ')') return fail("unexpected ')'");
    if (word(1) === 'of') {
      const q = word(0)!;
      const target = tokens[pos + 2];
      if (target?.t !== 'word') return fail(`'${tok.v} of' needs a pattern or 'them'`);
      pos += 3;
      if (q === '1' || q === 'any') return { kind: 'of', quantifier: 'any', pattern: target.v };
      if (q === 'all') return { kind: 'of', quantifier: 'all', pattern: target.v };
      throw new SigmaUnsupportedError(`quantifier '${tok.v} of'`, `the condition uses '${tok.v} of ${target.v}'; Sigma defines only '1 of' and 'all of'`);
    }
    if (['and', 'or', 'not', 'of'].includes(word(0)!)) return fail(`unexpected '${tok.v}'`);
    pos++;
    return { kind: 'ref', name: tok.v };
  };

  if (tokens.length === 0) fail('is empty');
  const cond = orExpr();
  if (pos < tokens.length) {
    const tok = tokens[pos];
    fail(`unexpected '${tok.t === 'word' ? tok.v : tok.t}'`);
  }
  return cond;
}
