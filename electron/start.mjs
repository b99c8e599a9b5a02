// `npm start`: launches the desktop app built by build:renderer and build:electron.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
// Requiring 'electron' without its binary starts a download; look for the binary first instead.
const installed = fs.existsSync(path.join(electronDir, 'path.txt')) || Boolean(process.env.ELECTRON_OVERRIDE_DIST_PATH);
if (!installed) {
  console.error(
    [
      'The Electron binary is not installed (npm installs only its types here).',
      'On a machine that can download it, run:  npx install-electron',
      'then npm start again.',
      'Without it, the same UI runs in a browser:  npx cloudsift serve --case demo.duckdb',
    ].join('\n'),
  );
  process.exit(1);
}
const electronPath = require('electron');
const child = spawn(electronPath, ['dist/electron/main.cjs', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
