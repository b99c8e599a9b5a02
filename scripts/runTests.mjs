#!/usr/bin/env node
// Runs the test suites in order: unit, integration, corpus (Node's test runner
// through tsx), then the end-to-end suite (Playwright in Debian's chromium).
// Node 20's --test takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const requested = process.argv.slice(2);
const suites = requested.length > 0 ? requested : ['unit', 'integration', 'corpus', 'e2e'];

function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

let failed = false;
const nodeSuites = suites.filter((s) => s !== 'e2e');
const files = nodeSuites.flatMap((s) => testFiles(path.join(root, 'test', s))).sort();
if (files.length > 0) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed = true;
}
if (suites.includes('e2e') && fs.existsSync(path.join(root, 'test/e2e/playwright.config.ts'))) {
  const r = spawnSync('npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
