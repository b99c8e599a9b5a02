import { useMemo, useState } from 'react';
import type { HuntSummary } from '../../api/contract';

interface Props {
  hunts: HuntSummary[];
  selectedId: string | null;
  onOpen(hunt: HuntSummary): void;
  onNew(): void;
  error: string | null;
}

function matches(h: HuntSummary, words: string[]): boolean {
  const hay = [h.id, h.title, h.description, ...h.attack, ...h.tags].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

function Group({ title, hunts, selectedId, onOpen }: { title: string; hunts: HuntSummary[]; selectedId: string | null; onOpen(h: HuntSummary): void }) {
  return (
    <>
      <div className="section-title">
        {title} <span className="muted">({hunts.length})</span>
      </div>
      <ul className="hunt-list" aria-label={title}>
        {hunts.length === 0 && <li className="muted hunt-empty">None.</li>}
        {hunts.map((h) => (
          <li key={h.id}>
            <button className={h.id === selectedId ? 'hunt-item active' : 'hunt-item'} onClick={() => onOpen(h)} aria-current={h.id === selectedId} data-testid={`hunt-item-${h.id}`} title={h.description || h.title}>
              <span className="hunt-item-title">{h.title}</span>
              <span className="hunt-item-meta">
                <span className="mono">{h.id}</span>
                {h.attack.length > 0 && <span className="mono attack">{h.attack.join(' ')}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The built-in pack and the user's library, searchable by id, title, ATT&CK id and tag. */
export function HuntLibraryList({ hunts, selectedId, onOpen, onNew, error }: Props) {
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return hunts.filter((h) => matches(h, words));
  }, [hunts, query]);
  return (
    <aside className="hunt-library" aria-label="Hunt library">
      <div className="hunt-library-head">
        <input className="input" type="search" placeholder="Search hunts, T1078…" aria-label="Search hunts" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button className="btn" onClick={onNew} data-testid="hunt-new">
          New
        </button>
      </div>
      {error && <div className="error">{error}</div>}
      <div className="hunt-library-body">
        <Group title="Your hunts" hunts={shown.filter((h) => h.origin === 'user')} selectedId={selectedId} onOpen={onOpen} />
        <Group title="Built-in" hunts={shown.filter((h) => h.origin === 'builtin')} selectedId={selectedId} onOpen={onOpen} />
      </div>
    </aside>
  );
}
