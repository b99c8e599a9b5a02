import { useState } from 'react';
import { ENTITY_KIND_NAMES, type EntityKind, type EntityRefInfo } from '../api/contract';
import { ENTITY_KIND_LABELS } from './timeline/filterText';

/** A kind and a value typed by the analyst, handed on as one entity reference. */
export function EntityInput({
  initial,
  onSubmit,
  label,
  primary = false,
  inputClassName,
  placeholder,
  clearOnSubmit = false,
}: {
  initial?: EntityRefInfo | null;
  onSubmit(entity: EntityRefInfo): void;
  label: string;
  primary?: boolean;
  inputClassName: string;
  placeholder: string;
  clearOnSubmit?: boolean;
}) {
  const [kind, setKind] = useState<EntityKind>(initial?.kind ?? 'ip');
  const [value, setValue] = useState(initial?.value ?? '');
  const submit = () => {
    const v = value.trim();
    if (!v) return;
    onSubmit({ kind, value: v });
    if (clearOnSubmit) setValue('');
  };
  return (
    <>
      <select className="input" aria-label="Entity kind" value={kind} onChange={(e) => setKind(e.target.value as EntityKind)}>
        {ENTITY_KIND_NAMES.map((k) => (
          <option key={k} value={k}>
            {ENTITY_KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <input
        className={`input ${inputClassName}`}
        aria-label="Entity value"
        placeholder={placeholder}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && submit()}
      />
      <button className={primary ? 'btn primary' : 'btn'} onClick={submit} disabled={!value.trim()}>
        {label}
      </button>
    </>
  );
}
