import { useId, useState } from 'react';
import { FileBrowser } from '../FileBrowser';

/** A path on the engine's machine: typed, or picked with the workstation browser the Import screen uses. */
export function PathField({
  label,
  value,
  onChange,
  onPicked,
  placeholder,
  testId,
}: {
  label: string;
  value: string;
  onChange(path: string): void;
  /** What a pick becomes (a folder picked for an output file, say); the picked path itself when absent. */
  onPicked?(path: string): void;
  placeholder?: string;
  testId?: string;
}) {
  const [browsing, setBrowsing] = useState(false);
  const id = useId();
  return (
    <div className="ev-path-field">
      <label htmlFor={id} className="ev-label">
        {label}
      </label>
      <div className="ev-path-row">
        <input
          id={id}
          className="input ev-path-input"
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          spellCheck={false}
          data-testid={testId}
        />
        <button className="btn small" onClick={() => setBrowsing(!browsing)} aria-label={`Browse for ${label}`} aria-expanded={browsing}>
          Browse…
        </button>
        {value && (
          <button className="btn small ghost" onClick={() => onChange('')} aria-label={`Clear ${label}`}>
            ✕
          </button>
        )}
      </div>
      {browsing && (
        <FileBrowser
          onPick={(p) => {
            (onPicked ?? onChange)(p);
            setBrowsing(false);
          }}
          onClose={() => setBrowsing(false)}
        />
      )}
    </div>
  );
}
