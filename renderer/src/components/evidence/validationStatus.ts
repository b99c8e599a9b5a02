import type { ValidationStatus } from '../../api/contract';

export type Tone = 'ok' | 'info' | 'warn' | 'bad';

const TONES: Record<ValidationStatus, Tone> = {
  valid: 'ok',
  chain_ok: 'ok',
  signature_valid: 'ok',
  chain_start: 'info',
  signature_unchecked: 'info',
  unlisted: 'warn',
  gap: 'warn',
  tampered: 'bad',
  missing: 'bad',
  chain_break: 'bad',
  digest_missing: 'bad',
  signature_invalid: 'bad',
};

export const STATUS_ORDER: readonly ValidationStatus[] = ['tampered', 'missing', 'chain_break', 'digest_missing', 'signature_invalid', 'gap', 'unlisted', 'valid', 'chain_ok', 'chain_start', 'signature_valid', 'signature_unchecked'];

export const STATUS_LABELS: Record<ValidationStatus, string> = {
  valid: 'valid',
  tampered: 'tampered',
  missing: 'missing',
  unlisted: 'unlisted',
  chain_ok: 'chain ok',
  chain_break: 'chain break',
  digest_missing: 'digest missing',
  chain_start: 'chain start',
  signature_valid: 'signature valid',
  signature_invalid: 'signature invalid',
  signature_unchecked: 'signature not checked',
  gap: 'gap',
};

export function tone(status: ValidationStatus): Tone {
  return TONES[status] ?? 'warn';
}

/** What needs a look: what `cloudsift validate` lists under its summary. */
export function isProblem(status: ValidationStatus): boolean {
  const t = tone(status);
  return t === 'bad' || t === 'warn';
}
