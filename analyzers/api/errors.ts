import type { ApiError } from './contract';

/** A refusal a handler means to send back as data. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Errors with a string code (ApiFailure, QueryError, CaseError) keep it; anything else is INTERNAL. */
export function toApiError(err: unknown): ApiError {
  const code = typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  // DuckDB and Node codes (ENOENT, ...) are not part of the contract; their message says enough.
  return { code: /^[A-Z][A-Z_]+$/.test(code) && !code.startsWith('E') ? code : 'INTERNAL', message: message.split('\n')[0].slice(0, 2000) };
}
