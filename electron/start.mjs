// `npm start`: launches the desktop app built by build:electron and build:renderer.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath;
try {
  electronPath = require('electron');
} catch {
  electronPath = null;
}
if (typeof electronPath !== 'string') {
  console.error(
    [
      'The Electron binary is not installed (npm installs only its types here).',
      'On a machine that can download it, run:  npx install-electron',
      '(or: node node_modules/electron/install.js), then npm start again.',
      'Without it, the same UI runs in a browser:  npx cloudsift serve --case demo.duckdb',
    ].join('\n'),
  );
  process.exit(1);
}
const child = spawn(electronPath, ['dist/electron/main.cjs', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
