import fs from 'node:fs';
import path from 'node:path';

const MAX_RECENT = 10;

/** Most recent first, no duplicates, at most ten. */
export function withRecent(list: readonly string[], casePath: string): string[] {
  const abs = path.resolve(casePath);
  return [abs, ...list.filter((p) => p !== abs)].slice(0, MAX_RECENT);
}

export function loadRecent(file: string): string[] {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function saveRecent(file: string, list: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(list, null, 2));
}
