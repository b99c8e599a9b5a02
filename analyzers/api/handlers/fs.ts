import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiFailure } from '../errors';
import type { FsEntry } from '../contract';
import { optionalString, requestObject } from '../validate';
import type { HandlerMap } from './types';

const MAX_ENTRIES = 5000;

/**
 * The import screen's folder browser for `cloudsift serve`, where the logs sit
 * on the workstation and not in the browser. Names, kinds and sizes only:
 * never a file's contents.
 */
export const fsHandlers: HandlerMap<'fs/list'> = {
  'fs/list': async (_ctx, req) => {
    const asked = optionalString(requestObject(req).path, 'path');
    const dir = path.resolve(asked ?? os.homedir());
    if (asked !== undefined && !path.isAbsolute(asked)) throw new ApiFailure('BAD_REQUEST', 'path must be absolute');
    let dirents: fs.Dirent[];
    try {
      dirents = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new ApiFailure('NOT_FOUND', `No folder ${dir}`);
      throw new ApiFailure('FS_DENIED', `Cannot list ${dir}: ${code ?? 'error'}`);
    }
    const entries: FsEntry[] = [];
    for (const d of dirents) {
      if (entries.length >= MAX_ENTRIES) break;
      const full = path.join(dir, d.name);
      let st: fs.Stats;
      try {
        st = await fs.promises.stat(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) entries.push({ name: d.name, path: full, kind: 'dir', size: null });
      else if (st.isFile()) entries.push({ name: d.name, path: full, kind: 'file', size: st.size });
    }
    entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
    const parent = path.dirname(dir);
    return { path: dir, parent: parent === dir ? null : parent, entries };
  },
};
