import fs from 'node:fs';
import path from 'node:path';

/** A file found under one of the import's inputs. */
export interface InputFile {
  /** Where the bytes are on disk now (archive members are extracted first). */
  diskPath: string;
  /** Path relative to the import root, with `archive!/member` for archive members. */
  relPath: string;
  importRoot: string;
  size: number;
  /** Containers the bytes were carried in, outermost first (e.g. ['zip']). */
  carriers: string[];
}

/**
 * Walk files and folders (recursively, in a stable sorted order so that two
 * imports of the same folder assign the same ids). Symbolic links are not
 * followed: evidence folders can contain links that point outside them.
 */
export function walkInputs(inputs: string[]): { files: InputFile[]; missing: string[]; ignored: string[] } {
  const files: InputFile[] = [];
  const missing: string[] = [];
  const ignored: string[] = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      missing.push(input);
      continue;
    }
    if (st.isDirectory()) {
      walkDir(abs, abs, files, ignored, []);
    } else if (st.isFile()) {
      files.push({ diskPath: abs, relPath: path.basename(abs), importRoot: path.dirname(abs), size: st.size, carriers: [] });
    } else {
      missing.push(input);
    }
  }
  return { files, missing, ignored };
}

/** The file that lists what in a folder is not evidence (a dataset's own README, its generator). */
export const IGNORE_FILE = '.cloudsiftignore';

interface IgnoreRule {
  base: string;
  re: RegExp;
}

/**
 * `.cloudsiftignore`: one pattern a line, relative to its folder (`*` within
 * a name, `**` across folders, a trailing `/` for a folder). Ignored files are
 * listed in the import summary, never skipped silently.
 */
function readIgnore(dir: string): IgnoreRule[] {
  const file = path.join(dir, IGNORE_FILE);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((pat) => {
      const dirOnly = pat.endsWith('/');
      const body = pat.replace(/\/$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
      return { base: dir, re: new RegExp(`^${body}${dirOnly ? '/.*' : '(/.*)?'}$`) };
    });
}

function isIgnored(rules: IgnoreRule[], full: string): boolean {
  return rules.some((r) => r.re.test(path.relative(r.base, full).split(path.sep).join('/')));
}

function walkDir(root: string, dir: string, out: InputFile[], ignored: string[], inherited: IgnoreRule[]): void {
  const rules = [...inherited, ...readIgnore(dir)];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.name === IGNORE_FILE || isIgnored(rules, full)) {
      if (e.name !== IGNORE_FILE) ignored.push(path.relative(root, full).split(path.sep).join('/'));
      continue;
    }
    if (e.isDirectory()) walkDir(root, full, out, ignored, rules);
    else if (e.isFile()) {
      out.push({
        diskPath: full,
        relPath: path.relative(root, full).split(path.sep).join('/'),
        importRoot: root,
        size: fs.statSync(full).size,
        carriers: [],
      });
    }
  }
}
