import { useEffect, useState } from 'react';
import type { TimelineItemInfo, UnifiedEventRow } from '../../api/contract';
import { api } from '../../api/client';
import { formatTime } from '../../format';
import { parseTags, tagsText } from './tags';

interface Props {
  row: UnifiedEventRow;
  /** The item already pinned for this record, when there is one. */
  existing: TimelineItemInfo | null;
  readOnly: boolean;
  onPinned(item: TimelineItemInfo): void;
  onClose(): void;
}

/** Pins one event to the incident timeline with a note and tags (or edits the pin it has). */
export function PinForm({ row, existing, readOnly, onPinned, onClose }: Props) {
  const [note, setNote] = useState(existing?.note ?? '');
  const [tags, setTags] = useState(tagsText(existing?.tags ?? []));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setNote(existing?.note ?? '');
    setTags(tagsText(existing?.tags ?? []));
    setError(null);
  }, [row.tbl, row.source_file_id, row.record_index, existing?.item_id]);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const item = await api.call('timeline/pin', {
        event: { tbl: row.tbl, source_file_id: row.source_file_id, record_index: row.record_index },
        note,
        tags: parseTags(tags),
      });
      onPinned(item);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="tl-pin-form" aria-label="Pin event" data-testid="pin-form">
      <header className="pane-header">
        <div>
          <div className="pane-title">{existing ? 'Pinned event' : 'Pin to the incident timeline'}</div>
          <div className="muted mono">{formatTime(row.time)}</div>
        </div>
        <button className="btn ghost" onClick={onClose} aria-label="Close pin form">
          ✕
        </button>
      </header>
      <div className="tl-pin-body">
        <div className="mono tl-pin-summary">{row.summary}</div>
        <label className="tl-field-block">
          <span className="muted">Note</span>
          <textarea className="input" rows={3} aria-label="Pin note" value={note} onChange={(e) => setNote(e.target.value)} disabled={readOnly} />
        </label>
        <label className="tl-field-block">
          <span className="muted">Tags (comma separated)</span>
          <input className="input" aria-label="Pin tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="exfiltration, T1537" disabled={readOnly} />
        </label>
        {readOnly && <div className="muted">This case is open read-only: pins cannot be added.</div>}
        {error && <div className="error">{error}</div>}
        <div className="tl-actions">
          <button className="btn primary" onClick={() => void save()} disabled={busy || readOnly}>
            {existing ? 'Save pin' : 'Pin'}
          </button>
        </div>
      </div>
    </section>
  );
}
