import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseStore } from '../../analyzers/store/caseStore';

/** A scratch directory removed after the test (or left for inspection with CLOUDSIFT_KEEP_TMP=1). */
export function tempDir(prefix = 'cloudsift-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => {
    if (!process.env.CLOUDSIFT_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

export async function withCase<T>(fn: (store: CaseStore, dir: string) => Promise<T>): Promise<T> {
  const dir = tempDir();
  const store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  try {
    return await fn(store, dir);
  } finally {
    await store.close();
  }
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}
