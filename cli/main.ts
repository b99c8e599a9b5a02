import { CaseError, errorMessage } from '../analyzers/store/caseStore';
import { TOOL_VERSION } from '../analyzers/version';
import { COMMANDS, usageText, UsageError } from './commands/registry';

export const EXIT = { ok: 0, usage: 1, rejected: 2, failure: 3 } as const;

/** Runs one command; returns the exit code. Errors are one clear line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usageText());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`cloudsift ${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`cloudsift: unknown command '${name}'. Run 'cloudsift help'.\n`);
    return EXIT.usage;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`cloudsift ${name}: ${e.message}\n${cmd.usage}\n`);
      return EXIT.usage;
    }
    const msg = e instanceof CaseError ? e.message : errorMessage(e);
    process.stderr.write(`cloudsift ${name}: ${msg.split('\n')[0]}\n`);
    if (process.env.CLOUDSIFT_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return EXIT.failure;
  }
}
