import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import tarStream from 'tar-stream';
import type { InputFile } from './inputWalk';

export type ArchiveKind = 'zip' | 'tar' | 'tar.gz';

export interface ExpandResult {
  members: InputFile[];
  /** Members that could not be extracted, with the reason. */
  failures: { relPath: string; reason: string }[];
}

/**
 * Extract an archive's regular files into `workDir` and describe them as
 * inputs. Member names are never used as paths on disk (a name like
 * `../../etc/passwd` must not escape): each member gets a numbered file.
 */
export async function expandArchive(archive: InputFile, kind: ArchiveKind, workDir: string): Promise<ExpandResult> {
  const dir = fs.mkdtempSync(path.join(workDir, 'a-'));
  return kind === 'zip' ? expandZip(archive, dir) : expandTar(archive, kind, dir);
}

function memberInput(archive: InputFile, kind: ArchiveKind, name: string, diskPath: string, size: number): InputFile {
  return {
    diskPath,
    relPath: `${archive.relPath}!/${name}`,
    importRoot: archive.importRoot,
    size,
    carriers: [...archive.carriers, kind],
  };
}

function expandZip(archive: InputFile, dir: string): Promise<ExpandResult> {
  return new Promise((resolve, reject) => {
    const members: InputFile[] = [];
    const failures: { relPath: string; reason: string }[] = [];
    yauzl.open(archive.diskPath, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) {
        reject(err ?? new Error('cannot open zip'));
        return;
      }
      let n = 0;
      zip.on('error', (e: Error) => reject(e));
      zip.on('end', () => resolve({ members, failures }));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        const target = path.join(dir, String(n++).padStart(6, '0'));
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) {
            failures.push({ relPath: `${archive.relPath}!/${entry.fileName}`, reason: `cannot extract: ${e2?.message ?? 'unknown error'}` });
            zip.readEntry();
            return;
          }
          pipeline(stream, fs.createWriteStream(target))
            .then(() => {
              members.push(memberInput(archive, 'zip', entry.fileName, target, fs.statSync(target).size));
            })
            .catch((e3: Error) => {
              failures.push({ relPath: `${archive.relPath}!/${entry.fileName}`, reason: `cannot extract: ${e3.message}` });
            })
            .finally(() => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  });
}

async function expandTar(archive: InputFile, kind: ArchiveKind, dir: string): Promise<ExpandResult> {
  const members: InputFile[] = [];
  const failures: { relPath: string; reason: string }[] = [];
  const extract = tarStream.extract();
  let n = 0;
  extract.on('entry', (header, stream, next) => {
    if (header.type !== 'file') {
      stream.resume();
      stream.on('end', next);
      return;
    }
    const target = path.join(dir, String(n++).padStart(6, '0'));
    pipeline(stream, fs.createWriteStream(target))
      .then(() => {
        members.push(memberInput(archive, kind, header.name, target, fs.statSync(target).size));
        next();
      })
      .catch((e: Error) => {
        failures.push({ relPath: `${archive.relPath}!/${header.name}`, reason: `cannot extract: ${e.message}` });
        next();
      });
  });
  const source = fs.createReadStream(archive.diskPath);
  try {
    if (kind === 'tar.gz') await pipeline(source, zlib.createGunzip(), extract);
    else await pipeline(source, extract);
  } catch (e) {
    // A truncated archive still yields the members before the damage.
    failures.push({ relPath: archive.relPath, reason: `archive is damaged: ${(e as Error).message}` });
  }
  return { members, failures };
}
