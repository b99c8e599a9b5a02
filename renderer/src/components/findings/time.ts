/**
 * An engine timestamp (ISO 8601 UTC) as the screen shows it, at the precision
 * it came with: load balancer logs carry microseconds, which a Date would drop.
 * Where a column header already says UTC, the zone is left out.
 */
export function utcText(iso: string | null | undefined, withZone = true): string {
  if (!iso) return '';
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(iso)) return iso;
  const text = iso.slice(0, -1).replace('T', ' ');
  return withZone ? `${text} UTC` : text;
}
