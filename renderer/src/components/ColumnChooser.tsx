import { useState } from 'react';
import type { ColumnInfo } from '../api/contract';

interface Props {
  columns: ColumnInfo[];
  visible: Set<string>;
  onChange(name: string, visible: boolean): void;
  onClose(): void;
}

export function ColumnChooser({ columns, visible, onChange, onClose }: Props) {
  const [filter, setFilter] = useState('');
  const shown = columns.filter((c) => c.name.includes(filter.trim().toLowerCase()));
  return (
    <div className="popover column-chooser" role="dialog" aria-label="Columns" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <input autoFocus className="input" placeholder="Find a column" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Find a column" />
      <ul>
        {shown.map((c) => (
          <li key={c.name}>
            <label title={c.doc ?? undefined}>
              <input type="checkbox" checked={visible.has(c.name)} onChange={(e) => onChange(c.name, e.target.checked)} />
              <span className="mono">{c.name}</span>
              <span className="muted">{c.type.toLowerCase()}</span>
            </label>
          </li>
        ))}
      </ul>
      <div className="popover-actions">
        <button className="btn" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
