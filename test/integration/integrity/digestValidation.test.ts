import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { importPaths } from '../../../analyzers/importers/importRun';
import { latestValidation, validateDigests } from '../../../analyzers/integrity/digestValidation';
import { buildDigestFixture } from '../../helpers/digestFixture';
import { withCase } from '../../helpers/tempCase';

test('an untouched signed trail validates: logs, chain and signatures', async () => {
  await withCase(async (store, dir) => {
    const fx = buildDigestFixture(path.join(dir, 'bucket'));
    await importPaths(store, [path.join(dir, 'bucket')]);
    const { summary } = await validateDigests(store, { publicKeys: fx.publicKeysFile, signatures: fx.signaturesFile });
    assert.deepEqual(
      [summary.digests, summary.logs_valid, summary.logs_tampered, summary.logs_missing, summary.logs_unlisted, summary.chain_breaks, summary.digests_missing, summary.gaps, summary.signatures_valid, summary.signatures_invalid],
      [4, 4, 0, 0, 0, 0, 0, 0, 4, 0],
    );
    const noKeys = await validateDigests(store);
    assert.equal(noKeys.summary.signatures_checked, false);
    assert.match(noKeys.summary.signature_note, /NOT checked/);
    const stored = await latestValidation(store);
    assert.equal(stored!.summary.run_id, noKeys.summary.run_id);
  });
});

test('tampered, deleted, chain break, missing digests, forged signature and unlisted files are each reported', async () => {
  await withCase(async (store, dir) => {
    const root = path.join(dir, 'bucket');
    const fx = buildDigestFixture(root, 7);
    const rewrite = (key: string, f: (s: string) => string) => {
      const p = path.join(root, key);
      fs.writeFileSync(p, zlib.gzipSync(Buffer.from(f(zlib.gunzipSync(fs.readFileSync(p)).toString()))));
    };
    rewrite(fx.logKeys[1], (s) => s.replace('203.0.113.10', '203.0.113.99'));
    fs.rmSync(path.join(root, fx.logKeys[2]));
    // Digest 1 rewritten: its signature fails and digest 2's link to it breaks.
    rewrite(fx.digestKeys[1], (s) => s.replace('"SHA256withRSA"', '"SHA256withRSA" '));
    // Digests 3 and 4 deleted: digest 5 points at a digest that is gone, two in a row.
    fs.rmSync(path.join(root, fx.digestKeys[3]));
    fs.rmSync(path.join(root, fx.digestKeys[4]));
    const extra = fx.logKeys[0].replace('log0', 'injected');
    fs.writeFileSync(path.join(root, extra), zlib.gzipSync(Buffer.from(JSON.stringify({ Records: [{ eventVersion: '1.08', eventTime: '2024-03-02T00:30:00Z', eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com', eventID: 'inj' }] }))));
    await importPaths(store, [root]);
    const { summary, results } = await validateDigests(store, { publicKeys: fx.publicKeysFile, signatures: fx.signaturesFile });
    const status = (kind: string, key: string) => results.filter((r) => r.kind === kind && r.s3_object === key).map((r) => r.status);
    assert.deepEqual(status('log', fx.logKeys[0]), ['valid']);
    assert.deepEqual(status('log', fx.logKeys[1]), ['tampered']);
    assert.deepEqual(status('log', fx.logKeys[2]), ['missing']);
    assert.deepEqual(status('log', extra), ['unlisted']);
    assert.deepEqual(status('log', fx.logKeys[3]), ['unlisted'], 'its digest is gone, so nothing vouches for it');
    assert.deepEqual(status('digest', fx.digestKeys[1]), ['signature_invalid']);
    assert.deepEqual(status('digest', fx.digestKeys[0]), ['signature_valid']);
    assert.deepEqual(status('chain', fx.digestKeys[2]), ['chain_break']);
    assert.deepEqual(status('chain', fx.digestKeys[5]), ['digest_missing']);
    const missing = results.find((r) => r.kind === 'chain' && r.status === 'digest_missing')!;
    assert.ok(missing.detail.includes(fx.digestKeys[4]), missing.detail);
    assert.match(missing.detail, /about 2 digest\(s\) missing/);
    assert.deepEqual(
      [summary.logs_valid, summary.logs_tampered, summary.logs_missing, summary.logs_unlisted, summary.chain_breaks, summary.digests_missing, summary.signatures_invalid],
      [3, 1, 1, 3, 1, 1, 1],
    );
  });
});
