import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../analyzers/server/httpServer';
import { parseCommandArgs, requireCase, UsageError, type Command } from './registry';

const USAGE = `Usage: cloudsift serve --case <file> [--port <n>] [--host 127.0.0.1|localhost]
  Serves the Cloudsift UI for one case on the loopback interface only, with a
  random token in the URL it prints. For headless forensic workstations: open
  the URL in a browser on the same machine (or through an SSH tunnel).`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the UI for a case on 127.0.0.1 with a per-run token',
  usage: USAGE,
  async run(args) {
    const { values } = parseCommandArgs(args, { case: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } }, false);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const casePath = requireCase(values);
    const port = values.port ? Number(values.port) : 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got '${values.port}'`);
    const renderDir = path.join(repoRoot, 'dist/renderer');
    if (!fs.existsSync(path.join(renderDir, 'index.html'))) {
      // A fresh clone has no built UI yet: build it once (vite, no network).
      process.stderr.write('Building the UI (first run)...\n');
      const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: repoRoot, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('building the UI failed (npm run build:renderer shows why)');
    }
    const server = await startServer({ casePath, port, host: values.host, renderDir });
    process.stdout.write(`Cloudsift is serving ${path.resolve(casePath)}\nOpen: ${server.url}\nPress Ctrl+C to stop.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
