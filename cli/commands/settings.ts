import fs from 'node:fs';
import { CaseError, CaseStore } from '../../analyzers/store/caseStore';
import { getSetting, listSettings, SettingError, unsetSetting, type JsonValue } from '../../analyzers/settings/caseSettings';
import { loadRules } from '../../analyzers/investigations/ruleFile';
import { setInvestigationSetting, settingCatalog } from '../../analyzers/investigations/ruleSettings';
import { formatTable } from '../output/table';
import { parseCommandArgs, requireCase, UsageError, type Command } from './registry';

const USAGE = `Usage: cloudsift settings --case <file> [list | get <key> | set <key> <json value> | unset <key>] [--json]
  Case settings: investigation thresholds and allow-lists.
  Keys: allow.scanner_ips, allow.ci_roles, allow.admin_networks, allow.aws_networks,
  allow.regions (lists), or <investigation id>.<parameter>, e.g. CS-CT-013.min_failures.
  Values are JSON:  set allow.admin_networks '["198.51.100.0/24"]'   set CS-CT-013.min_failures 10
  list            every key with its value (set or default)
  --json          print as JSON`;

export const settingsCommand: Command = {
  name: 'settings',
  summary: 'show or change investigation thresholds and allow-lists of a case',
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { case: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const casePath = requireCase(values);
    const [action = 'list', key, raw, ...extra] = positionals;
    const arity: Record<string, number> = { list: 0, get: 1, set: 2, unset: 1 };
    if (!(action in arity)) throw new UsageError(`unknown action '${action}' (list, get, set, unset)`);
    if ([key, raw].filter((x) => x !== undefined).length !== arity[action] || extra.length > 0) throw new UsageError(`wrong arguments for '${action}'`);
    let value: JsonValue = null;
    if (action === 'set') {
      try {
        value = JSON.parse(raw) as JsonValue;
      } catch {
        throw new UsageError(`the value must be JSON, e.g. 30, true, '"text"' or '["10.0.0.0/8"]'`);
      }
    }
    if (!fs.existsSync(casePath)) throw new CaseError('CASE_NOT_FOUND', `no case file at ${casePath}`);
    const store = await CaseStore.open(casePath, { readOnly: action === 'list' || action === 'get' });
    try {
      if (action === 'set') {
        try {
          await setInvestigationSetting(store, await loadRules(), key, value);
        } catch (e) {
          if (e instanceof SettingError) throw new UsageError(e.message);
          throw e;
        }
        process.stdout.write(values.json ? `${JSON.stringify({ key, value })}\n` : `${key} = ${JSON.stringify(value)}\n`);
      } else if (action === 'unset') {
        const had = await unsetSetting(store, key);
        process.stdout.write(values.json ? `${JSON.stringify({ key, unset: had })}\n` : had ? `${key} unset (the default applies)\n` : `${key} was not set\n`);
      } else if (action === 'get') {
        const v = await getSetting(store, key);
        const info = settingCatalog(await loadRules()).find((s) => s.key === key);
        if (v === undefined && !info) throw new UsageError(`unknown setting '${key}'`);
        const shown = v === undefined ? (info?.default ?? null) : v;
        process.stdout.write(values.json ? `${JSON.stringify({ key, value: shown, set: v !== undefined })}\n` : `${JSON.stringify(shown)}${v === undefined ? ' (default)' : ''}\n`);
      } else {
        await printList(store, values.json === true);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};

async function printList(store: CaseStore, json: boolean): Promise<void> {
  const stored = await listSettings(store);
  const catalog = settingCatalog(await loadRules());
  const rows = catalog.map((s) => ({
    key: s.key,
    value: s.key in stored ? stored[s.key] : (s.default ?? null),
    set: s.key in stored,
    type: s.type,
    used_by: s.usedBy,
    description: s.description,
  }));
  // Values stored for keys no investigation reads any more are shown, not hidden.
  for (const [key, value] of Object.entries(stored)) {
    if (!catalog.some((s) => s.key === key)) rows.push({ key, value, set: true, type: 'VARCHAR', used_by: [], description: '(not read by any investigation)' });
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  process.stdout.write(
    `${formatTable(
      ['key', 'value', '', 'type', 'description'],
      rows.map((r) => [r.key, JSON.stringify(r.value), r.set ? 'set' : 'default', r.type, r.description]),
    )}\n`,
  );
}
