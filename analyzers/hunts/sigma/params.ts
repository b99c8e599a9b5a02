import type { HuntParam, HuntParamType } from '../huntFile';

/**
 * The rule's values, as hunt parameters. Each value becomes a
 * `-- @param sigma_N` header line and is bound at run time, so no rule text
 * ever reaches the SQL.
 *
 * formatHunt quotes a value the header would otherwise misread (one holding
 * `--`, quotes, edge spaces). A header line cannot hold a line break, so a
 * value with one is written with JSON string escapes and decoded by the SQL.
 */
export class ParamSink {
  readonly params: HuntParam[] = [];
  /** What each parameter must read back as from the header. */
  readonly expected = new Map<string, string | number | boolean | string[]>();

  /** A varchar value; returns the SQL that yields it. */
  text(value: string, description: string): string {
    if (!headerBreaking(value)) return this.add('varchar', value, value, description);
    const escaped = JSON.stringify(value)
      .slice(1, -1)
      .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    const ref = this.add('varchar', escaped, escaped, `${description} (JSON string escapes)`);
    return `json_extract_string('"' || ${ref} || '"', '$')`;
  }

  /** A list of varchar values in one parameter, or null when a value could not be written in the header. */
  list(values: string[], description: string): string | null {
    if (values.some(headerBreaking)) return null;
    return this.add('varchar[]', values, values, description);
  }

  number(value: number, description: string): string {
    return this.add(Number.isSafeInteger(value) ? 'bigint' : 'double', value, value, description);
  }

  boolean(value: boolean, description: string): string {
    return this.add('boolean', value, value, description);
  }

  private add(type: HuntParamType, expected: string | number | boolean | string[], written: string | number | boolean | string[], description: string): string {
    const name = `sigma_${this.params.length + 1}`;
    this.params.push({ name, type, default: written, description });
    this.expected.set(name, expected);
    return `$${name}`;
  }
}

function headerBreaking(v: string): boolean {
  return /[\r\n\u2028\u2029]/.test(v);
}
