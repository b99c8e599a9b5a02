import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { E2E_ENV_VAR } from './env';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds the renderer, starts the case server, and returns the teardown that stops it. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const build = spawnSync(process.execPath, [path.join(repo, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('The renderer build failed');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-e2e-'));
  // The user's hunt library is the suite's own folder, never the real ~/.cloudsift/hunts.
  const env = { ...process.env, CLOUDSIFT_HUNTS: path.join(work, 'hunts') };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/e2e/support/serveCase.ts', work], { cwd: repo, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`The e2e server exited early (${code})`)));
  });
  process.env[E2E_ENV_VAR] = line;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(work, { recursive: true, force: true });
  };
}
