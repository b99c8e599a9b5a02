import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZipEntries } from '../evidence/zipReader';
import { writeZip } from '../evidence/zipWriter';
import { formatHunt, HuntFormatError, parseHunt, type Hunt } from './huntFile';

export type HuntOrigin = 'builtin' | 'user' | 'file';

export interface LibraryHunt extends Hunt {
  origin: HuntOrigin;
  file: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const BUILTIN_PACK_DIR = path.join(here, 'pack');

/** The user's hunt folder: --library, else $CLOUDSIFT_HUNTS, else ~/.cloudsift/hunts. */
export function defaultUserDir(): string {
  return process.env.CLOUDSIFT_HUNTS ?? path.join(os.homedir(), '.cloudsift', 'hunts');
}

/**
 * The built-in pack (read-only, ships with Cloudsift) and the user's library
 * folder beside it. Hunts are files: the library only reads and writes them.
 */
export class HuntLibrary {
  constructor(
    readonly userDir: string = defaultUserDir(),
    readonly builtinDir: string = BUILTIN_PACK_DIR,
  ) {}

  /** Every hunt that reads; a user file that does not is left out (see unreadable()) rather than hiding the rest. */
  list(): LibraryHunt[] {
    const builtin = readDir(this.builtinDir, 'builtin');
    const user = readDir(this.userDir, 'user', []);
    const ids = new Set(builtin.map((h) => h.id));
    return [...builtin, ...user.filter((h) => !ids.has(h.id))].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** A hunt by id, or a .sql file given by path (run without adding it). */
  get(idOrFile: string): LibraryHunt {
    if (idOrFile.endsWith('.sql') && fs.existsSync(idOrFile)) {
      return { ...parseHunt(fs.readFileSync(idOrFile, 'utf8'), idOrFile), origin: 'file', file: path.resolve(idOrFile) };
    }
    const h = this.list().find((x) => x.id === idOrFile);
    if (!h) throw new HuntFormatError(`no hunt '${idOrFile}' in the built-in pack or ${this.userDir}`);
    return h;
  }

  create(text: string, { replace = false } = {}): LibraryHunt {
    const hunt = parseHunt(text);
    const existing = this.list().find((x) => x.id === hunt.id);
    if (existing?.origin === 'builtin') throw new HuntFormatError(`'${hunt.id}' is a built-in hunt; give yours another id`);
    if (existing && !replace) throw new HuntFormatError(`a hunt '${hunt.id}' already exists (${existing.file})`);
    fs.mkdirSync(this.userDir, { recursive: true });
    const file = existing?.file ?? path.join(this.userDir, `${hunt.id}.sql`);
    fs.writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
    return { ...hunt, origin: 'user', file };
  }

  update(id: string, text: string): LibraryHunt {
    const current = this.userHunt(id);
    const hunt = parseHunt(text);
    if (hunt.id !== id) throw new HuntFormatError(`the text's id '${hunt.id}' differs from '${id}': use rename`);
    fs.writeFileSync(current.file, text.endsWith('\n') ? text : `${text}\n`);
    return { ...hunt, origin: 'user', file: current.file };
  }

  rename(id: string, newId: string): LibraryHunt {
    const current = this.userHunt(id);
    if (this.list().some((x) => x.id === newId)) throw new HuntFormatError(`a hunt '${newId}' already exists`);
    const { text: _text, ...parts } = current;
    const text = formatHunt({ ...parts, id: newId });
    parseHunt(text);
    const file = path.join(this.userDir, `${newId}.sql`);
    fs.writeFileSync(file, text);
    fs.rmSync(current.file);
    return { ...parseHunt(text), origin: 'user', file };
  }

  delete(id: string): void {
    fs.rmSync(this.userHunt(id).file);
  }

  /** Write hunts (all, or the ids given) as a zip of .sql files. */
  exportPack(out: string, ids?: string[]): LibraryHunt[] {
    const all = this.list();
    const chosen = ids && ids.length > 0 ? ids.map((id) => this.get(id)) : all;
    const when = new Date(Date.UTC(2000, 0, 1));
    writeZip(out, chosen.map((h) => ({ name: `${h.id}.sql`, data: Buffer.from(h.text, 'utf8'), mtime: when })));
    return chosen;
  }

  /** Add the hunts of a pack (zip, folder or single .sql) to the user library. */
  async importPack(source: string, { replace = false } = {}): Promise<{ imported: string[]; failed: { name: string; error: string }[] }> {
    const files: { name: string; text: string }[] = [];
    const st = fs.statSync(source);
    if (st.isDirectory()) {
      for (const f of fs.readdirSync(source).filter((n) => n.endsWith('.sql')).sort()) files.push({ name: f, text: fs.readFileSync(path.join(source, f), 'utf8') });
    } else if (source.endsWith('.sql')) {
      files.push({ name: path.basename(source), text: fs.readFileSync(source, 'utf8') });
    } else {
      for (const e of await readZipEntries(source)) if (e.name.endsWith('.sql')) files.push({ name: e.name, text: e.data.toString('utf8') });
    }
    const imported: string[] = [];
    const failed: { name: string; error: string }[] = [];
    for (const f of files) {
      try {
        imported.push(this.create(f.text, { replace }).id);
      } catch (e) {
        failed.push({ name: f.name, error: (e as Error).message });
      }
    }
    return { imported, failed };
  }

  private userHunt(id: string): LibraryHunt {
    const h = this.get(id);
    if (h.origin !== 'user') throw new HuntFormatError(`'${id}' is a built-in hunt and cannot be changed; create a copy with another id`);
    return h;
  }

  /** User library files that are not valid hunts, with the reason. */
  unreadable(): { file: string; error: string }[] {
    const problems: { file: string; error: string }[] = [];
    readDir(this.userDir, 'user', problems);
    return problems;
  }
}

/** A folder's hunts. The built-in pack must read (a broken one is a bug); with `problems`, a bad file is recorded and skipped. */
function readDir(dir: string, origin: HuntOrigin, problems?: { file: string; error: string }[]): LibraryHunt[] {
  if (!fs.existsSync(dir)) return [];
  const hunts: LibraryHunt[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.sql')).sort()) {
    const file = path.join(dir, f);
    try {
      hunts.push({ ...parseHunt(fs.readFileSync(file, 'utf8'), file), origin, file });
    } catch (err) {
      if (!problems || !(err instanceof HuntFormatError)) throw err;
      problems.push({ file, error: err.message });
    }
  }
  return hunts;
}
