import { parseArgs, type ParseArgsConfig } from 'node:util';
import { importCommand } from './import';
import { sourcesCommand } from './sources';
import { queryCommand } from './query';
import { investigateCommand } from './investigate';
import { settingsCommand } from './settings';
import { huntCommand } from './hunt';
import { serveCommand } from './serve';
import { exportCommand, keygenCommand, validateCommand, verifyCommand } from './evidence';
import { coverageCommand, entityCommand, timelineCommand } from './timeline';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

export class UsageError extends Error {}

export const COMMANDS: Command[] = [importCommand, sourcesCommand, queryCommand, investigateCommand, settingsCommand, timelineCommand, entityCommand, coverageCommand, huntCommand, validateCommand, exportCommand, verifyCommand, keygenCommand, serveCommand];

export function usageText(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'cloudsift: offline forensics for exported AWS logs',
    '',
    'Usage: cloudsift <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    "Run 'cloudsift <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 usage error, 2 some input was rejected, 3 failure.',
    '',
  ].join('\n');
}

/** parseArgs that reports mistakes as usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function requireCase(values: { case?: string | boolean | (string | boolean)[] }): string {
  const c = values.case;
  if (typeof c !== 'string' || c === '') throw new UsageError('--case <file> is required');
  return c;
}
