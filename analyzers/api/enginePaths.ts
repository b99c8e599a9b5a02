import fs from 'node:fs';
import path from 'node:path';
import { ApiFailure } from './errors';
import { requiredString } from './validate';

/**
 * Paths a request names are paths on the machine that runs the engine, sent
 * by a renderer the engine does not trust: absolute only, checked for what
 * they must be before any work starts, so the user gets a clear refusal at
 * once instead of a failed job later.
 */

export function absolutePath(v: unknown, name: string): string {
  const p = requiredString(v, name);
  if (p.includes('\0')) throw new ApiFailure('BAD_REQUEST', `${name} must not contain NUL`);
  if (!path.isAbsolute(p)) throw new ApiFailure('BAD_REQUEST', `${name} must be an absolute path on the engine's machine, got '${p.slice(0, 200)}'`);
  return path.resolve(p);
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new ApiFailure('FS_DENIED', `Cannot read ${p}: ${code ?? 'error'}`);
  }
}

/** An existing file (or, when `folderToo`, a folder): `what` names it in the refusal. */
export function existingInput(v: unknown, name: string, what: string, folderToo = false): string {
  const p = absolutePath(v, name);
  const st = statOrNull(p);
  if (!st) throw new ApiFailure('NOT_FOUND', `No ${what} at ${p}`);
  if (!st.isFile() && !(folderToo && st.isDirectory())) throw new ApiFailure('BAD_REQUEST', `${p} is not a file${folderToo ? ' or folder' : ''}: expected the ${what}`);
  return p;
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Where a new file may be written: an absolute path with the given
 * extension in an existing folder, not the case file or anything DuckDB
 * keeps beside it, and not an existing file unless `overwrite` says so.
 */
export function outputFile(v: unknown, name: string, opts: { ext: string; caseFile: string; overwrite: boolean }): string {
  const p = absolutePath(v, name);
  if (!p.toLowerCase().endsWith(opts.ext)) throw new ApiFailure('BAD_REQUEST', `${name} must end in ${opts.ext}`);
  const dir = statOrNull(path.dirname(p));
  if (!dir?.isDirectory()) throw new ApiFailure('NOT_FOUND', `No folder ${path.dirname(p)} to write ${path.basename(p)} in`);
  const existing = statOrNull(p);
  const real = existing ? realOrSelf(p) : path.join(realOrSelf(path.dirname(p)), path.basename(p));
  const caseFile = realOrSelf(path.resolve(opts.caseFile));
  if (real === caseFile || real === `${caseFile}.wal` || real.startsWith(`${caseFile}.tmp${path.sep}`) || real.startsWith(`${caseFile}${path.sep}`)) {
    throw new ApiFailure('FS_DENIED', `${p} is the case file or DuckDB's own file beside it; choose another path`);
  }
  if (existing && !existing.isFile()) throw new ApiFailure('BAD_REQUEST', `${p} exists and is not a file`);
  if (existing && !opts.overwrite) throw new ApiFailure('FILE_EXISTS', `${p} exists already; choose another name or allow overwriting it`);
  return p;
}
