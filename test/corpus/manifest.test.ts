import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaseStore } from '../../analyzers/store/caseStore';
import { importPaths } from '../../analyzers/importers/importRun';
import { tempDir } from '../helpers/tempCase';

/**
 * Conformance over the shared corpus of real AWS log samples: every manifest
 * row is imported with exactly its record count and kind, or (malformed and
 * docs fragments) rejected with a reason. The corpus lives outside the repo.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = process.env.CLOUDSIFT_CORPUS ?? path.resolve(here, '../../../shared/corpus');
const MANIFEST = path.join(CORPUS, 'MANIFEST.tsv');

interface Row {
  path: string;
  kind: string;
  container: string;
  records: number;
  notes: string;
}

function manifestRows(): Row[] {
  const lines = fs.readFileSync(MANIFEST, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.slice(1).map((l) => {
    const [p, kind, container, records, notes] = l.split('\t');
    return { path: p, kind, container, records: Number(records), notes: notes ?? '' };
  });
}

/** Header-less VPC files name the docs block whose field list is their layout. */
function vpcLayoutFor(row: Row): string[] {
  const m = row.notes.match(/layout = (block-\d+)|field order is (block-\d+)|custom order as awsdocs (block-\d+)/);
  if (!m) return [];
  const block = m[1] ?? m[2] ?? m[3];
  const dir = 'awsdocs/amazon-vpc-user-guide/doc_source/flow-logs-records-examples';
  return [fs.readFileSync(path.join(CORPUS, dir, `${block}.txt`), 'utf8').trim().split('\n')[0]];
}

function expectedRejectedLines(row: Row): number | null {
  const m = row.notes.match(/(\d+) malformed line\(s\) to report as rejected/);
  return m ? Number(m[1]) : null;
}

const present = fs.existsSync(MANIFEST);

test('corpus conformance', { skip: present ? false : `corpus not found at ${CORPUS} (set CLOUDSIFT_CORPUS); skipping conformance` }, async (t) => {
  const dir = tempDir();
  const rows = manifestRows();
  for (const row of rows) {
    if (row.kind === 'archive') continue;
    await t.test(row.path, async () => {
      const store = await CaseStore.open(path.join(dir, `${rows.indexOf(row)}.duckdb`));
      try {
        await importPaths(store, [path.join(CORPUS, row.path)], { vpcLayouts: vpcLayoutFor(row) });
        const sources = await store.all<{ kind: string; status: string; records_imported: bigint; records_rejected: bigint }>(
          `SELECT kind, status, records_imported, records_rejected FROM sources`,
        );
        assert.equal(sources.length, 1);
        const s = sources[0];
        const rejects = await store.all<{ reason: string }>(`SELECT reason FROM rejects`);
        if (row.kind === 'malformed' || row.kind === 'docs-fragment') {
          assert.equal(Number(s.records_imported), 0, 'nothing imported');
          assert.equal(s.status, 'rejected');
          assert.ok(rejects.length > 0 && rejects.every((r) => r.reason.length > 0), 'rejected with a reason');
          return;
        }
        assert.equal(Number(s.records_imported), row.records, `records (${row.notes.slice(0, 120)})`);
        assert.equal(s.kind, row.kind, 'kind');
        const lines = expectedRejectedLines(row);
        if (lines !== null) assert.equal(Number(s.records_rejected), lines, 'rejected lines');
      } finally {
        await store.close();
      }
    });
  }
});

test('corpus archives yield what their members yield', { skip: present ? false : `corpus not found at ${CORPUS}; skipping` }, async (t) => {
  const dir = tempDir();
  for (const row of manifestRows().filter((r) => r.kind === 'archive')) {
    await t.test(row.path, async () => {
      const store = await CaseStore.open(path.join(dir, `${path.basename(row.path)}.duckdb`));
      try {
        const summary = await importPaths(store, [path.join(CORPUS, row.path)]);
        const total = Object.values(summary.records).reduce((a, b) => a + b, 0);
        assert.equal(total, row.records);
        const members = await store.all<{ path: string }>(`SELECT path FROM sources WHERE path LIKE '%!/%'`);
        assert.ok(members.length > 0, 'members recorded with archive!/member paths');
      } finally {
        await store.close();
      }
    });
  }
});
