import type { CustomCellRendererProps } from 'ag-grid-react';
import type { EntityKind } from '../api/contract';
import { EntityValue } from './EntityValue';
import '../styles/entity.css';

export interface EntityCellParams {
  /** The kind of entity a value of this cell is, or null when it is none (a service name, "-"). */
  entityKind(value: string): EntityKind | null;
}

/** A grid cell whose value opens its entity profile; anything else stays plain text. */
export function EntityCell(p: CustomCellRendererProps & EntityCellParams) {
  const text = p.valueFormatted ?? (p.value === null || p.value === undefined ? '' : String(p.value));
  const kind = typeof p.value === 'string' ? p.entityKind(p.value) : null;
  if (!kind) return <>{text}</>;
  return <EntityValue kind={kind} value={p.value as string} className="entity-link mono grid-entity" />;
}
