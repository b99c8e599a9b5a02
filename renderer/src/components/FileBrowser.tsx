import { useEffect, useState } from 'react';
import type { FsListResponse } from '../api/contract';
import { api } from '../api/client';
import { formatBytes } from '../format';

/** Folders and files on the machine that runs the engine: names and sizes only. */
export function FileBrowser({ onPick, onClose }: { onPick(path: string): void; onClose(): void }) {
  const [listing, setListing] = useState<FsListResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const open = (path?: string) => {
    api.invoke('fs/list', path === undefined ? {} : { path }).then((r) => {
      if (r.ok) {
        setListing(r.value);
        setError(null);
      } else setError(r.error.message);
    });
  };
  useEffect(() => open(), []);

  return (
    <div className="file-browser" role="dialog" aria-label="Browse the workstation" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="fb-header">
        <button className="btn" disabled={!listing?.parent} onClick={() => listing?.parent && open(listing.parent)} aria-label="Parent folder">
          ↑ Up
        </button>
        <span className="mono fb-path" data-testid="fb-path">
          {listing?.path ?? ''}
        </span>
        <button className="btn primary" disabled={!listing} onClick={() => listing && onPick(listing.path)}>
          Add this folder
        </button>
        <button className="btn ghost" onClick={onClose} aria-label="Close browser">
          ✕
        </button>
      </div>
      {error && <div className="error">{error}</div>}
      <ul className="fb-list">
        {listing?.entries.map((e) => (
          <li key={e.path}>
            {e.kind === 'dir' ? (
              <button className="fb-entry" onClick={() => open(e.path)}>
                <span className="fb-icon">▸</span>
                <span className="mono">{e.name}/</span>
              </button>
            ) : (
              <span className="fb-entry file">
                <span className="fb-icon">·</span>
                <span className="mono">{e.name}</span>
                <span className="muted">{formatBytes(e.size)}</span>
              </span>
            )}
            <button className="btn small" onClick={() => onPick(e.path)} aria-label={`Add ${e.name}`}>
              Add
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
