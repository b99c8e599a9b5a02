/** The timestamp spellings of the four AWS log formats. Every input is epoch milliseconds, UTC. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

let cachedSecond = NaN;
let cachedIso = '';

/** 2025-03-19T09:16:05Z (CloudTrail eventTime, digest times). */
export function isoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  // The bench formats millions of times that fall in the same second as the previous one.
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedIso = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return cachedIso;
}

/** 2025-03-19T09:16:05.123456Z (ALB time): AWS prints microseconds. */
export function isoMicros(ms: number, micros: number): string {
  const base = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  const frac = (ms % 1000) * 1000 + (micros % 1000);
  return `${base}.${pad(frac, 6)}Z`;
}

/** 2025-03-19T09:16:05.123000Z (ALB request_creation_time): milliseconds padded to six digits. */
export function isoMillisAsMicros(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`;
}

/** 20250319T0915Z (log file names). */
export function compactMinute(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
}

/** 20250319T091505Z (digest file names). */
export function compactSecond(ms: number): string {
  const d = new Date(ms);
  return `${compactMinute(ms).slice(0, -1)}${pad(d.getUTCSeconds())}Z`;
}

/** 2025/03/19 (S3 key date folders). */
export function ymdPath(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

/** 2025-03-19-09-16-05 (S3 server access log object names). */
export function dashedSecond(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;
}

/** [19/Mar/2025:09:16:05 +0000] (S3 server access log time). */
export function s3LogTime(ms: number): string {
  const d = new Date(ms);
  return `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
}

/** Mar 19, 2025, 9:27:14 AM (IAM createDate inside CloudTrail responseElements). */
export function iamDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}
