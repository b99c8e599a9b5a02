import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaseStore, errorMessage } from '../../analyzers/store/caseStore';
import { HuntLibrary } from '../../analyzers/hunts/library';
import { HuntRunError, resolveParams, runHuntSandboxed } from '../../analyzers/hunts/runHunt';
import { listHuntRuns, recordHuntRun } from '../../analyzers/hunts/history';
import { compileSigmaFile, compileSigmaFolder } from '../../analyzers/hunts/sigma/compileSigma';
import { cellText, csvCell, formatTable } from '../output/table';
import { parseCommandArgs, requireCase, UsageError, type Command } from './registry';

const USAGE = `Usage: cloudsift hunt <action> [options]
  list                                   the built-in pack and your library
  show <id or file.sql>                  a hunt's header, parameters and SQL
  run <id or file.sql> --case <file> [--param name=value]... [--format table|csv|json] [--timeout <s>] [--max-rows <n>]
  history --case <file> [--json]         every hunt run recorded in the case
  create <file.sql>                      add a hunt file to your library
  edit <id> [--file <new.sql>]           replace a hunt's text (or open it in $EDITOR)
  rename <id> <new-id>
  delete <id>
  export <pack.zip> [--id <id>]...       write hunts (all, or those named) as a zip pack
  import <pack.zip | folder | file.sql> [--replace]
  import-sigma <rule.yml | folder> [--replace]   compile Sigma CloudTrail rules into hunts
Options: --library <dir>  your hunt folder (default $CLOUDSIFT_HUNTS or ~/.cloudsift/hunts)
Hunts run on a read-only sandbox of the case: no writes, no files, no network.`;

export const huntCommand: Command = {
  name: 'hunt',
  summary: 'saved SQL hunts: list, show, run, history, manage, import Sigma',
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      case: { type: 'string' },
      param: { type: 'string', multiple: true },
      format: { type: 'string', default: 'table' },
      timeout: { type: 'string' },
      'max-rows': { type: 'string' },
      library: { type: 'string' },
      file: { type: 'string' },
      id: { type: 'string', multiple: true },
      replace: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [action, ...rest] = positionals;
    if (values.help || !action) {
      process.stdout.write(`${USAGE}\n`);
      return values.help ? 0 : 1;
    }
    const lib = new HuntLibrary(values.library ?? undefined);
    const arg = (i: number, what: string) => {
      const v = rest[i];
      if (!v) throw new UsageError(`hunt ${action}: give ${what}`);
      return v;
    };
    switch (action) {
      case 'list': {
        const hunts = lib.list();
        for (const bad of lib.unreadable()) process.stderr.write(`warning: skipped ${bad.file}: ${bad.error}\n`);
        if (values.json) {
          process.stdout.write(`${JSON.stringify(hunts.map(({ text: _t, sql: _s, ...h }) => h))}\n`);
        } else {
          process.stdout.write(`${formatTable(['id', 'title', 'ATT&CK', 'params', 'origin'], hunts.map((h) => [h.id, h.title, h.attack.join(' '), h.params.map((p) => p.name).join(', '), h.origin]))}\n`);
        }
        return 0;
      }
      case 'show': {
        const h = lib.get(arg(0, 'a hunt id or file'));
        process.stdout.write(`${h.text.endsWith('\n') ? h.text : `${h.text}\n`}`);
        return 0;
      }
      case 'run':
        return runHunt(lib, arg(0, 'a hunt id or file'), values);
      case 'history': {
        const store = await CaseStore.open(requireCase(values), { readOnly: true });
        try {
          const runs = await listHuntRuns(store);
          if (values.json) process.stdout.write(`${JSON.stringify(runs)}\n`);
          else process.stdout.write(`${formatTable(['run', 'started', 'hunt', 'status', 'rows', 'ms', 'parameters'], runs.map((r) => [r.run_id, r.started_at, r.hunt_id, r.status, r.row_count ?? '', r.duration_ms ?? '', JSON.stringify(r.parameters)]))}\n`);
          return 0;
        } finally {
          await store.close();
        }
      }
      case 'create': {
        const file = arg(0, 'a .sql file');
        const h = lib.create(fs.readFileSync(file, 'utf8'), { replace: values.replace });
        process.stdout.write(`created ${h.id} in ${h.file}\n`);
        return 0;
      }
      case 'edit': {
        const id = arg(0, 'a hunt id');
        const current = lib.get(id);
        if (current.origin !== 'user') throw new Error(`'${id}' is a built-in hunt and cannot be changed; copy it with 'hunt show ${id} > mine.sql' and 'hunt create mine.sql' under a new id`);
        if (values.file) {
          lib.update(id, fs.readFileSync(values.file, 'utf8'));
        } else {
          const editor = process.env.VISUAL ?? process.env.EDITOR;
          if (!editor) throw new UsageError('give --file <new.sql>, or set $EDITOR');
          spawnSync(editor, [current.file], { stdio: 'inherit' });
          lib.get(id);
        }
        process.stdout.write(`updated ${id}\n`);
        return 0;
      }
      case 'rename': {
        const h = lib.rename(arg(0, 'a hunt id'), arg(1, 'the new id'));
        process.stdout.write(`renamed to ${h.id} (${h.file})\n`);
        return 0;
      }
      case 'delete':
        lib.delete(arg(0, 'a hunt id'));
        process.stdout.write(`deleted ${rest[0]}\n`);
        return 0;
      case 'export': {
        const out = arg(0, 'the pack file to write (.zip)');
        const hunts = lib.exportPack(out, values.id);
        process.stdout.write(`wrote ${hunts.length} hunts to ${out}\n`);
        return 0;
      }
      case 'import': {
        const r = await lib.importPack(arg(0, 'a pack (.zip), folder or .sql file'), { replace: values.replace });
        process.stdout.write(`imported ${r.imported.length} hunts into ${lib.userDir}${r.imported.length ? `: ${r.imported.join(', ')}` : ''}\n`);
        for (const f of r.failed) process.stderr.write(`not imported: ${f.name}: ${f.error}\n`);
        return r.failed.length > 0 ? 2 : 0;
      }
      case 'import-sigma': {
        const src = arg(0, 'a Sigma rule (.yml) or a folder of rules');
        const results = fs.statSync(src).isDirectory()
          ? compileSigmaFolder(src)
          : (() => {
              try {
                return { compiled: [compileSigmaFile(src)], failed: [] as { file: string; error: string }[] };
              } catch (e) {
                return { compiled: [], failed: [{ file: src, error: errorMessage(e) }] };
              }
            })();
        let imported = 0;
        const failed = [...results.failed];
        for (const c of results.compiled) {
          try {
            lib.create(c.sqlText, { replace: values.replace });
            imported++;
            for (const w of c.warnings) process.stderr.write(`${c.hunt.id}: ${w}\n`);
          } catch (e) {
            failed.push({ file: c.hunt.id, error: errorMessage(e) });
          }
        }
        process.stdout.write(`compiled and imported ${imported} Sigma rules into ${lib.userDir}\n`);
        for (const f of failed) process.stderr.write(`not imported: ${path.basename(f.file)}: ${f.error}\n`);
        return failed.length > 0 ? 2 : 0;
      }
      default:
        throw new UsageError(`unknown action '${action}'`);
    }
  },
};

async function runHunt(lib: HuntLibrary, idOrFile: string, values: { case?: string; param?: string[]; format?: string; timeout?: string; 'max-rows'?: string }): Promise<number> {
  const casePath = requireCase(values);
  const format = values.format ?? 'table';
  if (!['table', 'csv', 'json'].includes(format)) throw new UsageError(`unknown --format '${format}'`);
  const hunt = lib.get(idOrFile);
  const given: Record<string, string> = {};
  for (const p of values.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param takes name=value, got '${p}'`);
    given[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const params = resolveParams(hunt, given);
  const startedAt = new Date();
  const timeoutMs = values.timeout ? Number(values.timeout) * 1000 : undefined;
  const maxRows = values['max-rows'] ? Number(values['max-rows']) : undefined;
  try {
    const r = await runHuntSandboxed(casePath, hunt, params, { timeoutMs, maxRows });
    await record(casePath, { hunt, params, status: 'ok', rowCount: r.rowCount, durationMs: r.durationMs, startedAt });
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))))}\n`);
    } else if (format === 'csv') {
      process.stdout.write(`${[r.columns.map(csvCell).join(','), ...r.rows.map((row) => row.map(csvCell).join(','))].join('\n')}\n`);
    } else {
      process.stdout.write(`${formatTable(r.columns, r.rows.map((row) => row.map(cellText)))}\n(${r.rowCount} rows${r.truncated ? `, first ${r.rows.length} shown` : ''}, ${r.durationMs} ms)\n`);
    }
    return 0;
  } catch (e) {
    const status = e instanceof HuntRunError ? ({ HUNT_TIMEOUT: 'timeout', HUNT_CANCELLED: 'cancelled', HUNT_REFUSED: 'refused' } as const)[e.code as 'HUNT_TIMEOUT'] ?? 'failed' : 'failed';
    await record(casePath, { hunt, params, status, error: errorMessage(e), startedAt, durationMs: Date.now() - startedAt.getTime() });
    throw e;
  }
}

async function record(casePath: string, run: Parameters<typeof recordHuntRun>[1]): Promise<void> {
  // The sandbox is closed by now; the history is written through a normal connection.
  const store = await CaseStore.open(casePath);
  try {
    await recordHuntRun(store, run);
  } finally {
    await store.close();
  }
}
