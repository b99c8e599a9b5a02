import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRecent, saveRecent, withRecent } from '../../../electron/recentCases';

test('recent cases: most recent first, no duplicates, ten at most, tolerant of a broken file', () => {
  let list: string[] = [];
  for (let i = 0; i < 12; i++) list = withRecent(list, `/cases/c${i}.duckdb`);
  list = withRecent(list, '/cases/c5.duckdb');
  assert.equal(list.length, 10);
  assert.equal(list[0], path.resolve('/cases/c5.duckdb'));
  assert.equal(new Set(list).size, 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-recent-'));
  const file = path.join(dir, 'sub', 'recent.json');
  assert.deepEqual(loadRecent(file), []);
  saveRecent(file, list);
  assert.deepEqual(loadRecent(file), list);
  fs.writeFileSync(file, '{not json');
  assert.deepEqual(loadRecent(file), []);
  fs.rmSync(dir, { recursive: true, force: true });
});
