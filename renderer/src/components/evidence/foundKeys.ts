import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { dirname, joinPath } from './paths';

export interface FoundKeys {
  folder: string;
  publicKeys: string;
  signatures: string;
}

const PUBLIC_KEYS = 'list-public-keys.json';
const SIGNATURES = 'signatures.json';
const MAX_FOLDERS = 8;

/**
 * A keys/ folder with `list-public-keys.json` and `signatures.json` beside
 * evidence this case imported (sample-logs ships one), offered to the user,
 * never used unasked.
 */
export function useFoundKeys(dataVersion: number): FoundKeys | null {
  const [found, setFound] = useState<FoundKeys | null>(null);
  useEffect(() => {
    let stopped = false;
    (async () => {
      const sources = await api.invoke('sources/list', { limit: 10_000 });
      if (!sources.ok) return;
      const roots = new Set<string>();
      for (const s of sources.value.rows) if (s.importRoot && /^([A-Za-z]:)?[\\/]/.test(s.importRoot)) roots.add(s.importRoot);
      const folders = new Set<string>();
      for (const r of roots) for (const d of [r, dirname(r)]) folders.add(joinPath(d, 'keys'));
      for (const folder of [...folders].slice(0, MAX_FOLDERS)) {
        const listing = await api.invoke('fs/list', { path: folder });
        if (stopped) return;
        if (!listing.ok) continue;
        const names = new Set(listing.value.entries.filter((e) => e.kind === 'file').map((e) => e.name));
        if (names.has(PUBLIC_KEYS) && names.has(SIGNATURES)) {
          setFound({ folder: listing.value.path, publicKeys: joinPath(listing.value.path, PUBLIC_KEYS), signatures: joinPath(listing.value.path, SIGNATURES) });
          return;
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [dataVersion]);
  return found;
}
