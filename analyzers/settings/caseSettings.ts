import type { CaseStore } from '../store/caseStore';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Case settings: investigation thresholds (`<rule id>.<parameter>`) and the
 * shared allow-lists (`allow.scanner_ips`, `allow.ci_roles`,
 * `allow.admin_networks`). Stored as JSON in the case so they travel with it
 * and are recorded with each investigation run. This module only stores;
 * what a key may hold is checked by the investigations (ruleSettings.ts).
 */
const KEY = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

export class SettingError extends Error {}

export function checkSettingKey(key: string): void {
  if (!KEY.test(key)) throw new SettingError(`'${key}' is not a setting key (expected dotted names, e.g. allow.admin_networks or CS-CT-012.window_minutes)`);
}

export async function listSettings(store: CaseStore): Promise<Record<string, JsonValue>> {
  const rows = await store.all<{ key: string; value: string }>(`SELECT key, value::VARCHAR AS value FROM case_settings ORDER BY key`);
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as JsonValue]));
}

export async function getSetting(store: CaseStore, key: string): Promise<JsonValue | undefined> {
  const row = await store.one<{ value: string }>(`SELECT value::VARCHAR AS value FROM case_settings WHERE key = $1`, [key]);
  return row ? (JSON.parse(row.value) as JsonValue) : undefined;
}

export async function setSetting(store: CaseStore, key: string, value: JsonValue): Promise<void> {
  checkSettingKey(key);
  await store.run(`INSERT OR REPLACE INTO case_settings (key, value) VALUES ($1, $2::JSON)`, [key, JSON.stringify(value)]);
}

/** Returns whether the key was set. */
export async function unsetSetting(store: CaseStore, key: string): Promise<boolean> {
  const had = (await getSetting(store, key)) !== undefined;
  await store.run(`DELETE FROM case_settings WHERE key = $1`, [key]);
  return had;
}
