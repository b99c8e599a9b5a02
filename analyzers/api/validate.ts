import { ApiFailure } from './errors';

/** Requests come from a renderer that the engine does not trust: every field is checked before use. */

export function requestObject(req: unknown): Record<string, unknown> {
  if (req === undefined || req === null) return {};
  if (typeof req !== 'object' || Array.isArray(req)) throw new ApiFailure('BAD_REQUEST', 'The request must be an object');
  return req as Record<string, unknown>;
}

export function optionalInt(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) throw new ApiFailure('BAD_REQUEST', `${name} must be an integer from ${min} to ${max}`);
  return v as number;
}

export function requiredInt(v: unknown, name: string, min: number, max: number): number {
  const n = optionalInt(v, name, min, max);
  if (n === undefined) throw new ApiFailure('BAD_REQUEST', `${name} is required`);
  return n;
}

export function requiredString(v: unknown, name: string, maxLength = 4096): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > maxLength) throw new ApiFailure('BAD_REQUEST', `${name} must be a non-empty string of at most ${maxLength} characters`);
  return v;
}

export function optionalString(v: unknown, name: string, maxLength = 4096): string | undefined {
  return v === undefined ? undefined : requiredString(v, name, maxLength);
}

export function stringList(v: unknown, name: string, maxItems: number): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > maxItems) throw new ApiFailure('BAD_REQUEST', `${name} must be a list of 1 to ${maxItems} strings`);
  return v.map((x, i) => requiredString(x, `${name}[${i}]`));
}
