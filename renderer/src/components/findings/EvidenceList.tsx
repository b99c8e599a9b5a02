import { useEffect, useState } from 'react';
import type { EvidenceRowInfo, FindingEvidenceResponse, FindingInfo } from '../../api/contract';
import { api } from '../../api/client';
import { formatCount } from '../../format';
import { RecordPane } from '../RecordPane';
import type { RecordRef } from '../../state/store';
import { utcText } from './time';

const PAGE = 50;

const refOf = (r: EvidenceRowInfo): RecordRef => ({ table: r.table, sourceFileId: r.source_file_id, recordIndex: r.record_index });

/** The records a finding rests on, a page at a time; the selected one is shown exactly as in its source file. */
export function EvidenceList({ finding }: { finding: FindingInfo }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<FindingEvidenceResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<EvidenceRowInfo | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    api.invoke('findings/evidence', { findingId: finding.finding_id, offset, limit: PAGE }).then(
      (r) => {
        if (!live) return;
        if (r.ok) setPage(r.value);
        else setError(r.error.message);
      },
      (e: unknown) => live && setError(String(e)),
    );
    return () => {
      live = false;
    };
  }, [finding.finding_id, offset]);

  const total = page?.total ?? finding.evidenceCount;
  const last = Math.min(offset + PAGE, total);
  return (
    <section className="evidence" aria-label="Evidence" data-testid="evidence">
      <div className="section-title">
        Evidence
        <span className="muted">
          {total === 0 ? 'none kept' : `${formatCount(offset + 1)}–${formatCount(last)} of ${formatCount(total)}`}
          {finding.count > total ? ` (the finding counts ${formatCount(finding.count)} events)` : ''}
        </span>
        <span className="spacer" />
        <button className="btn small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Previous
        </button>
        <button className="btn small" disabled={last >= total} onClick={() => setOffset(offset + PAGE)}>
          Next
        </button>
      </div>
      {error && <div className="error">{error}</div>}
      {page && page.rows.length > 0 && (
        <div className="evidence-rows">
          <table className="dense" data-testid="evidence-table">
            <colgroup>
              <col className="ev-pos" />
              <col className="ev-table" />
              <col className="ev-time" />
              <col />
              <col className="ev-record" />
            </colgroup>
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Table</th>
                <th>Time (UTC)</th>
                <th>Source file</th>
                <th className="num">Record</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => {
                const active = selected !== null && selected.position === r.position;
                return (
                  <tr
                    key={r.position}
                    className={active ? 'clickable selected' : 'clickable'}
                    aria-selected={active}
                    tabIndex={0}
                    data-testid="evidence-row"
                    onClick={() => setSelected(r)}
                    onKeyDown={(e) => e.key === 'Enter' && setSelected(r)}
                  >
                    <td className="num">{r.position}</td>
                    <td className="mono">{r.table}</td>
                    <td className="mono nowrap">{utcText(r.event_time, false)}</td>
                    <td className="mono evidence-path" title={r.path ?? ''}>
                      {r.path ?? `source ${r.source_file_id}`}
                    </td>
                    <td className="num mono">{r.record_index}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {selected &&
        (selected.raw === null ? (
          <div className="muted">This record is no longer in the case.</div>
        ) : (
          <RecordPane record={refOf(selected)} onClose={() => setSelected(null)} />
        ))}
    </section>
  );
}
