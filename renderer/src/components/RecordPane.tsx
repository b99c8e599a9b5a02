import { useEffect, useState } from 'react';
import type { JsonValue, RecordResponse } from '../api/contract';
import { api } from '../api/client';
import type { RecordRef } from '../state/store';
import { formatTime } from '../format';

/** Pretty JSON when the record is JSON, else the text as is; always a text node, never markup. */
function rawText(r: RecordResponse): string {
  if (r.rawFormat !== 'json') return r.raw;
  try {
    return JSON.stringify(JSON.parse(r.raw), null, 2);
  } catch {
    return r.raw;
  }
}

function fieldText(v: JsonValue, name: string): string {
  if (v === null) return '';
  if (typeof v === 'string' && /(_time|_at|_date)$/.test(name)) return formatTime(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function RecordPane({ record, onClose }: { record: RecordRef; onClose(): void }) {
  const [data, setData] = useState<RecordResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<'raw' | 'fields'>('raw');

  useEffect(() => {
    let live = true;
    setError(null);
    api
      .invoke('record/get', record)
      .then((r) => {
        if (!live) return;
        if (r.ok) setData(r.value);
        else setError(r.error.message);
      })
      .catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
    };
  }, [record.table, record.sourceFileId, record.recordIndex]);

  return (
    <aside className="record-pane" aria-label="Raw record" data-testid="record-pane">
      <header className="pane-header">
        <div>
          <div className="pane-title">Record</div>
          <div className="muted mono" data-testid="record-position">
            {record.table} · source {record.sourceFileId} · record {record.recordIndex}
          </div>
        </div>
        <div className="tabs small">
          <button className={tab === 'raw' ? 'tab active' : 'tab'} onClick={() => setTab('raw')}>
            Raw
          </button>
          <button className={tab === 'fields' ? 'tab active' : 'tab'} onClick={() => setTab('fields')}>
            Fields
          </button>
          <button className="btn ghost" onClick={onClose} aria-label="Close record">
            ✕
          </button>
        </div>
      </header>
      {error && <div className="error">{error}</div>}
      {data && (
        <>
          {data.source && (
            <dl className="source-meta">
              <dt>File</dt>
              <dd className="mono" data-testid="record-source-path">
                {data.source.path}
              </dd>
              <dt>SHA-256</dt>
              <dd className="mono">{data.source.sha256 ?? ''}</dd>
              <dt>Kind</dt>
              <dd>
                {data.source.kind ?? ''} {data.source.container ? `(${data.source.container})` : ''}
              </dd>
              {data.alsoIn.length > 0 && (
                <>
                  <dt>Also in</dt>
                  <dd className="mono">{data.alsoIn.map((a) => `${a.path ?? a.sourceFileId}:${a.recordIndex}`).join(', ')}</dd>
                </>
              )}
            </dl>
          )}
          {tab === 'raw' ? (
            <pre className="raw" data-testid="record-raw">
              {rawText(data)}
            </pre>
          ) : (
            <table className="fields">
              <tbody>
                {Object.entries(data.fields).map(([k, v]) => (
                  <tr key={k}>
                    <th className="mono">{k}</th>
                    <td className="mono">{fieldText(v, k)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </aside>
  );
}
