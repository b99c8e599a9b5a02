import { TACTICS } from '../../api/contract';

export function tacticName(id: string): string {
  return TACTICS[id] ?? id;
}
