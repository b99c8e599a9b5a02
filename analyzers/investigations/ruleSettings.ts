import { BIGINT, BOOLEAN, DOUBLE, INTEGER, LIST, VARCHAR, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/caseStore';
import { setSetting, SettingError, type JsonValue } from '../settings/caseSettings';
import { checkParamValue, type ParamType, type ParamValue, type Rule } from './ruleFile';

/** Allow-lists shared by many rules; rules opt in with `setting:` on a parameter. */
export const SHARED_SETTINGS: Record<string, { type: ParamType; description: string }> = {
  'allow.scanner_ips': { type: 'VARCHAR[]', description: 'IPs or IPv4 CIDRs of authorised scanners' },
  'allow.ci_roles': { type: 'VARCHAR[]', description: 'ARNs or names of CI/CD and automation roles and users' },
  'allow.admin_networks': { type: 'VARCHAR[]', description: 'IPv4 CIDRs (or IPs) the administrators work from' },
  'allow.aws_networks': { type: 'VARCHAR[]', description: "IPv4 CIDRs of the account's own egress (NAT gateways, Elastic IPs)" },
  'allow.regions': { type: 'VARCHAR[]', description: 'AWS regions the account normally uses' },
};

export interface SettingInfo {
  key: string;
  type: ParamType;
  description: string;
  /** The rule default, for rule-specific keys. */
  default?: ParamValue;
  /** Rules whose parameters read this key. */
  usedBy: string[];
}

/** Every key a setting may have, given the rules: shared allow-lists and `<rule id>.<param>`. */
export function settingCatalog(rules: Rule[]): SettingInfo[] {
  const shared = new Map<string, SettingInfo>(Object.entries(SHARED_SETTINGS).map(([key, s]) => [key, { key, ...s, usedBy: [] }]));
  const own: SettingInfo[] = [];
  for (const r of rules) {
    for (const [name, def] of Object.entries(r.parameters)) {
      own.push({ key: `${r.id}.${name}`, type: def.type, description: def.description, default: def.default, usedBy: [r.id] });
      if (def.setting) {
        const s = shared.get(def.setting) ?? { key: def.setting, type: def.type, description: def.description, usedBy: [] };
        s.usedBy.push(r.id);
        shared.set(def.setting, s);
      }
    }
  }
  return [...[...shared.values()].sort((a, b) => a.key.localeCompare(b.key)), ...own];
}

/** Why key=value is not a valid setting for these rules, or undefined. */
export function checkSetting(rules: Rule[], key: string, value: unknown): string | undefined {
  const info = settingCatalog(rules).find((s) => s.key === key);
  if (!info) return `unknown setting '${key}': use ${Object.keys(SHARED_SETTINGS).join(', ')} or <rule id>.<parameter> (see 'cloudsift settings list')`;
  for (const id of info.usedBy) {
    const rule = rules.find((r) => r.id === id)!;
    for (const def of Object.values(rule.parameters)) {
      if (def.setting === key && def.type !== info.type) return `'${key}' is read as ${info.type} and ${def.type} by different rules`;
    }
  }
  const err = checkParamValue(info.type, value);
  return err ? `${key}: the value ${err}` : undefined;
}

/** Validate then store: what the CLI and the API call. */
export async function setInvestigationSetting(store: CaseStore, rules: Rule[], key: string, value: JsonValue): Promise<void> {
  const err = checkSetting(rules, key, value);
  if (err) throw new SettingError(err);
  await setSetting(store, key, value);
}

/**
 * The value of each parameter: the rule's own setting, else the shared
 * setting it names, else its default. A stored value of the wrong type is an
 * error for that rule, never silently replaced by the default.
 */
export function resolveParameters(rule: Rule, settings: Record<string, JsonValue>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, def] of Object.entries(rule.parameters)) {
    const ownKey = `${rule.id}.${name}`;
    const key = ownKey in settings ? ownKey : def.setting && def.setting in settings ? def.setting : undefined;
    if (key === undefined) {
      out[name] = def.default;
      continue;
    }
    const err = checkParamValue(def.type, settings[key]);
    if (err) throw new SettingError(`setting ${key}: the value ${err}`);
    out[name] = settings[key] as ParamValue;
  }
  return out;
}

const SCALAR_TYPES: Record<string, DuckDBType> = { VARCHAR, INTEGER, BIGINT, DOUBLE, BOOLEAN };

export function bindParameters(rule: Rule, values: Record<string, ParamValue>): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const out: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [name, def] of Object.entries(rule.parameters)) {
    const v = values[name];
    if (def.type.endsWith('[]')) {
      out[name] = listValue(v as DuckDBValue[]);
      types[name] = LIST(SCALAR_TYPES[def.type.slice(0, -2)]);
    } else {
      // DuckDB takes BIGINT parameters as JS bigint only.
      out[name] = def.type === 'BIGINT' ? BigInt(v as number) : (v as DuckDBValue);
      types[name] = SCALAR_TYPES[def.type];
    }
  }
  return { values: out, types };
}
