import type { EntityKind } from '../api/contract';
import { useApp } from '../state/store';

/**
 * An entity value (IP, principal, access key, ...) as text, with a control
 * that opens its profile. Log values are hostile: they are only ever text.
 */
export function EntityValue({ kind, value, className }: { kind: EntityKind; value: string | null | undefined; className?: string }) {
  const openEntity = useApp((s) => s.openEntity);
  if (value === null || value === undefined || value === '') return null;
  return (
    <button
      type="button"
      className={className ?? 'entity-link mono'}
      title={`Open the ${kind} profile`}
      data-entity-kind={kind}
      onClick={(e) => {
        e.stopPropagation();
        openEntity({ kind, value });
      }}
    >
      {value}
    </button>
  );
}
