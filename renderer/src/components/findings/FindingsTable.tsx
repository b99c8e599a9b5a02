import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { FindingInfo } from '../../api/contract';
import { formatCount } from '../../format';
import { SeverityBadge } from './SeverityBadge';
import { tacticName } from './attack';
import { utcText } from './time';

/** The ranked findings; arrow keys move the selection, which opens the finding. */
export function FindingsTable({ findings, selectedId, onSelect }: { findings: FindingInfo[]; selectedId: number | null; onSelect(id: number): void }) {
  const body = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    body.current?.querySelector<HTMLElement>('tr[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = findings.findIndex((f) => f.finding_id === selectedId);
    const next = findings[Math.max(0, Math.min(findings.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      onSelect(next.finding_id);
      body.current?.querySelector<HTMLElement>(`tr[data-finding-id="${next.finding_id}"]`)?.focus();
    }
  };

  return (
    <table className="dense findings-table" data-testid="findings-table">
      <thead>
        <tr>
          <th>Severity</th>
          <th>Investigation</th>
          <th>Finding</th>
          <th>ATT&amp;CK</th>
          <th className="num">Events</th>
          <th>First seen (UTC)</th>
          <th className="col-last">Last seen (UTC)</th>
        </tr>
      </thead>
      <tbody ref={body} onKeyDown={onKeyDown}>
        {findings.map((f) => (
          <tr
            key={f.finding_id}
            className={f.finding_id === selectedId ? 'clickable selected' : 'clickable'}
            aria-selected={f.finding_id === selectedId}
            tabIndex={0}
            data-testid="finding-row"
            data-finding-id={f.finding_id}
            data-rule-id={f.id}
            data-severity={f.severity}
            onClick={() => onSelect(f.finding_id)}
            onKeyDown={(e) => e.key === 'Enter' && onSelect(f.finding_id)}
          >
            <td>
              <SeverityBadge severity={f.severity} />
            </td>
            <td className="mono nowrap" data-testid="finding-rule">
              {f.id}
            </td>
            <td className="finding-title-cell">
              <div className="finding-title">{f.title}</div>
              <div className="finding-detail-line muted" title={f.detail}>
                {f.detail}
              </div>
            </td>
            <td className="attack-cell">
              <div className="mono" data-testid="finding-techniques">
                {f.attack.join(' ')}
              </div>
              <div className="muted">{f.tactics.map(tacticName).join(', ')}</div>
            </td>
            <td className="num">{formatCount(f.count)}</td>
            <td className="mono nowrap">{utcText(f.first_seen, false)}</td>
            <td className="mono nowrap col-last">{utcText(f.last_seen, false)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
