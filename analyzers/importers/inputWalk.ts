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
export function walkInputs(inputs: string[]): { files: InputFile[]; missing: string[] } {
  const files: InputFile[] = [];
  const missing: string[] = [];
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
      walkDir(abs, abs, files);
    } else if (st.isFile()) {
      files.push({ diskPath: abs, relPath: path.basename(abs), importRoot: path.dirname(abs), size: st.size, carriers: [] });
    } else {
      missing.push(input);
    }
  }
  return { files, missing };
}

function walkDir(root: string, dir: string, out: InputFile[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walkDir(root, full, out);
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
