import { useEffect, useState } from 'react';
import { SEVERITY_ORDER, type Severity, type TimelineItemInfo } from '../../api/contract';
import { api } from '../../api/client';
import type { RecordRef } from '../../state/store';
import { formatTime } from '../../format';
import { parseTimeInput } from './filterText';
import { parseTags, tagsText } from './tags';

interface Props {
  items: TimelineItemInfo[] | null;
  readOnly: boolean;
  onChanged(): void;
  onShowRecord(ref: RecordRef): void;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function ItemCard({ item, readOnly, onChanged, onShowRecord }: { item: TimelineItemInfo; readOnly: boolean; onChanged(): void; onShowRecord(ref: RecordRef): void }) {
  const [title, setTitle] = useState(item.title);
  const [note, setNote] = useState(item.note);
  const [tags, setTags] = useState(tagsText(item.tags));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setTitle(item.title);
    setNote(item.note);
    setTags(tagsText(item.tags));
  }, [item.updated_at]);
  const dirty = title !== item.title || note !== item.note || tagsText(parseTags(tags)) !== tagsText(item.tags);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const save = () => act(() => api.call('timeline/update', { itemId: item.item_id, title: title.trim() || item.title, note, tags: parseTags(tags) }));
  const remove = () => act(() => api.call('timeline/remove', { itemId: item.item_id }));
  const record: RecordRef | null =
    item.kind === 'event' && item.tbl && item.source_file_id !== null && item.record_index !== null
      ? { table: item.tbl, sourceFileId: item.source_file_id, recordIndex: item.record_index }
      : null;

  return (
    <li className={`tl-item tl-item-${item.kind} origin-${item.origin}`} data-testid="incident-item" data-kind={item.kind} data-origin={item.origin}>
      <div className="tl-item-time mono">{item.time ? formatTime(item.time) : 'no time'}</div>
      <div className="tl-item-body">
        <div className="tl-item-head">
          <span className={`badge small tl-kind-${item.kind}`}>{item.kind}</span>
          <span className={item.origin === 'draft' ? 'badge small tl-draft' : 'badge small tl-manual'} title={item.origin === 'draft' ? 'Built from the findings; becomes manual once edited' : 'Added or edited by an analyst'}>
            {item.origin}
          </span>
          {item.rule_id && <span className="mono muted">{item.rule_id}</span>}
          {item.tbl && <span className="mono muted">{item.tbl}</span>}
          <input className="input tl-item-title" aria-label="Item title" value={title} onChange={(e) => setTitle(e.target.value)} disabled={readOnly} />
        </div>
        <div className="tl-item-edit">
          <textarea className="input" rows={2} aria-label="Item note" placeholder="Note" value={note} onChange={(e) => setNote(e.target.value)} disabled={readOnly} />
          <input className="input" aria-label="Item tags" placeholder="tags, comma separated" value={tags} onChange={(e) => setTags(e.target.value)} disabled={readOnly} />
          <div className="tl-actions">
            {record && (
              <button className="btn small" onClick={() => onShowRecord(record)}>
                Record
              </button>
            )}
            <button className="btn small primary" onClick={() => void save()} disabled={readOnly || busy || !dirty}>
              Save
            </button>
            <button className="btn small" onClick={() => void remove()} disabled={readOnly || busy}>
              Remove
            </button>
          </div>
        </div>
        {item.tags.length > 0 && (
          <div className="tl-tags">
            {item.tags.map((t) => (
              <span key={t} className="tl-tag mono">
                {t}
              </span>
            ))}
          </div>
        )}
        {error && <div className="error">{error}</div>}
      </div>
    </li>
  );
}

function AddNote({ onAdded, disabled }: { onAdded(): void; disabled: boolean }) {
  const [time, setTime] = useState('');
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [tags, setTags] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    const iso = parseTimeInput(time);
    if (!iso) return setError('The time is UTC, as 2025-03-19 09:30');
    if (!title.trim()) return setError('A note needs a title');
    try {
      await api.call('timeline/note', { time: iso, title: title.trim(), note, tags: parseTags(tags) });
      setTitle('');
      setNote('');
      setTags('');
      setError(null);
      onAdded();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="tl-add-note" aria-label="Add a note">
      <input className="input tl-time" aria-label="Note time (UTC)" placeholder="2025-03-19 09:30 (UTC)" value={time} onChange={(e) => setTime(e.target.value)} disabled={disabled} />
      <input className="input" aria-label="Note title" placeholder="Title" value={title} onChange={(e) => setTitle(e.target.value)} disabled={disabled} />
      <input className="input tl-grow" aria-label="Note text" placeholder="Note" value={note} onChange={(e) => setNote(e.target.value)} disabled={disabled} />
      <input className="input" aria-label="Note tags" placeholder="tags" value={tags} onChange={(e) => setTags(e.target.value)} disabled={disabled} />
      <button className="btn" onClick={() => void add()} disabled={disabled}>
        Add note
      </button>
      {error && <span className="tl-filter-error">{error}</span>}
    </div>
  );
}

function Draft({ onDrafted, disabled }: { onDrafted(): void; disabled: boolean }) {
  const [windowMinutes, setWindowMinutes] = useState(30);
  const [minSeverity, setMinSeverity] = useState<Severity>('medium');
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: string | null }>({ busy: false, message: null, error: null });
  const draft = async () => {
    setState({ busy: true, message: null, error: null });
    try {
      const r = await api.call('timeline/draft', { windowMinutes, minSeverity });
      setState({
        busy: false,
        error: null,
        message: r.findings === 0 ? `No findings at ${minSeverity} or above: run the investigations first (Findings).` : `Drafted ${r.findings} findings and ${r.events} new events.`,
      });
      onDrafted();
    } catch (e) {
      setState({ busy: false, message: null, error: errorText(e) });
    }
  };
  return (
    <div className="tl-draft">
      <label className="tl-field">
        <span className="muted">Window (min)</span>
        <input className="input tl-num" type="number" min={0} max={1440} aria-label="Draft window in minutes" value={windowMinutes} onChange={(e) => setWindowMinutes(Math.max(0, Math.min(1440, Number(e.target.value) || 0)))} />
      </label>
      <label className="tl-field">
        <span className="muted">At least</span>
        <select className="input" aria-label="Draft minimum severity" value={minSeverity} onChange={(e) => setMinSeverity(e.target.value as Severity)}>
          {SEVERITY_ORDER.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button className="btn primary" onClick={() => void draft()} disabled={disabled || state.busy} title="Pin each finding, and its entities' events around it, as draft items">
        {state.busy ? 'Drafting…' : 'Draft from findings'}
      </button>
      {state.busy && (
        <div className="bar tl-bar" aria-label="Drafting">
          <div className="bar-fill tl-indeterminate" />
        </div>
      )}
      {state.message && <span className="muted" data-testid="draft-result">{state.message}</span>}
      {state.error && <span className="tl-filter-error">{state.error}</span>}
    </div>
  );
}

/** The incident timeline: what the analyst pinned, noted and drafted, in time order. */
export function IncidentTimeline({ items, readOnly, onChanged, onShowRecord }: Props) {
  const drafts = items?.filter((i) => i.origin === 'draft').length ?? 0;
  return (
    <div className="tl-incident" data-testid="incident-timeline">
      <div className="toolbar">
        <span className="toolbar-title">Incident timeline</span>
        <span className="muted" data-testid="incident-count">
          {items === null ? 'loading…' : `${items.length} ${items.length === 1 ? 'item' : 'items'}${drafts ? ` · ${drafts} draft` : ''}`}
        </span>
        {readOnly && <span className="warn">read-only case: viewing only</span>}
        <Draft onDrafted={onChanged} disabled={readOnly} />
      </div>
      <AddNote onAdded={onChanged} disabled={readOnly} />
      {items !== null && items.length === 0 && (
        <div className="muted pad">Nothing pinned yet. Pin events from the Events view (☆ on a row), add a note, or draft the timeline from the findings.</div>
      )}
      <ol className="tl-items">
        {(items ?? []).map((it) => (
          <ItemCard key={it.item_id} item={it} readOnly={readOnly} onChanged={onChanged} onShowRecord={onShowRecord} />
        ))}
      </ol>
    </div>
  );
}
