// Bundles the Electron main process, preload and database worker into
// dist/electron as CommonJS (a sandboxed preload must be CommonJS). The
// engine's version is stamped in at build time, because the bundle does not
// sit where analyzers/version.ts looks for package.json. The engine finds its
// investigations and hunt pack beside its own module (import.meta.url); in the
// bundle that is dist/electron, so they are copied there.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

const stampVersion = {
  name: 'stamp-version',
  setup(b) {
    b.onLoad({ filter: /analyzers[\\/]version\.ts$/ }, () => ({
      contents: `export const TOOL_VERSION = ${JSON.stringify(pkg.version)};\nexport const TOOL_NAME = 'cloudsift';\n`,
      loader: 'ts',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
  // Electron is provided at run time; DuckDB is a native addon loaded from node_modules (unpacked from the asar).
  external: ['electron', '@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
  plugins: [stampVersion],
  outExtension: { '.js': '.cjs' },
};

const moduleUrl = {
  define: { 'import.meta.url': '__cloudsift_module_url' },
  banner: { js: 'const __cloudsift_module_url = require("node:url").pathToFileURL(__filename).href;' },
};

/** Data the engine reads at run time, from where its modules sit in the source tree to where they sit in the bundle. */
export const ENGINE_DATA = [
  { from: 'analyzers/investigations/rules', to: 'dist/electron/rules' },
  { from: 'analyzers/hunts/pack', to: 'dist/electron/pack' },
];

await build({ ...common, ...moduleUrl, entryPoints: { main: 'electron/main.ts', dbWorker: 'electron/dbWorker.ts' }, outdir: 'dist/electron', absWorkingDir: repo });
for (const d of ENGINE_DATA) {
  fs.rmSync(path.join(repo, d.to), { recursive: true, force: true });
  fs.cpSync(path.join(repo, d.from), path.join(repo, d.to), { recursive: true });
}
// The preload runs in the sandbox: only 'electron' may be required there, so everything else is bundled in.
await build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outdir: 'dist/electron', absWorkingDir: repo, platform: 'browser', external: ['electron'] });
console.log('electron: dist/electron/{main,dbWorker,preload}.cjs, rules/, pack/');
