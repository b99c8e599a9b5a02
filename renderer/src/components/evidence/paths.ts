/**
 * Paths on the engine's machine, handled as text: the renderer has no path
 * module, and the engine may run on Windows while the page does not.
 */

function separator(p: string): string {
  return p.includes('\\') && !p.includes('/') ? '\\' : '/';
}

export function dirname(p: string): string {
  const sep = separator(p);
  const i = p.lastIndexOf(sep);
  if (i < 0) return p;
  return i === 0 ? sep : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf(separator(p)) + 1);
}

export function joinPath(dir: string, name: string): string {
  const sep = separator(dir);
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/** `<case dir>/<case name>-evidence-<UTC date>.zip`, beside the case file. */
export function defaultBundlePath(casePath: string, now = new Date()): string {
  const name = basename(casePath).replace(/\.(duckdb|db)$/i, '') || 'case';
  return joinPath(dirname(casePath), `${name}-evidence-${now.toISOString().slice(0, 10)}.zip`);
}
