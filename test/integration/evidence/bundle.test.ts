import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { importPaths } from '../../../analyzers/importers/importRun';
import { exportBundle } from '../../../analyzers/evidence/exportBundle';
import { verifyBundle } from '../../../analyzers/evidence/verifyBundle';
import { generateSigningKeys } from '../../../analyzers/evidence/bundleSigning';
import { readZipEntries } from '../../../analyzers/evidence/zipReader';
import { buildZip } from '../../../analyzers/evidence/zipWriter';
import { HuntLibrary } from '../../../analyzers/hunts/library';
import { pinEvent } from '../../../analyzers/timeline/incidentTimeline';
import { buildDigestFixture } from '../../helpers/digestFixture';
import { withCase, writeFiles } from '../../helpers/tempCase';

const XSS_UA = '<script>alert(1)</script>';
const XSS_PARAM = '<img src=x onerror=alert(1)>';

async function prepare(store: Parameters<Parameters<typeof withCase>[0]>[0], dir: string): Promise<HuntLibrary> {
  buildDigestFixture(path.join(dir, 'bucket'), 2);
  writeFiles(dir, {
    'bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02/xss.json': JSON.stringify({ Records: [{ eventVersion: '1.08', eventTime: '2024-03-02T02:30:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.23', userAgent: XSS_UA, requestParameters: { name: XSS_PARAM }, userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333' }, eventID: 'xss-1', recipientAccountId: '111122223333' }] }),
    'hunts/h.sql': `-- @id: stop-logging\n-- @title: Who stopped logging\n-- @param name varchar = StopLogging\nSELECT iso(event_time) AS t, user_agent, source_file_id, record_index FROM cloudtrail WHERE event_name = $name ORDER BY 1`,
  });
  await importPaths(store, [path.join(dir, 'bucket')]);
  const ev = await store.one<{ source_file_id: number; record_index: bigint }>(`SELECT source_file_id, record_index FROM cloudtrail WHERE event_id = 'xss-1'`);
  await pinEvent(store, { tbl: 'cloudtrail', source_file_id: ev!.source_file_id, record_index: Number(ev!.record_index) }, { note: `note ${XSS_PARAM}` });
  return new HuntLibrary(path.join(dir, 'hunts'), path.join(dir, 'no-builtin'));
}

test('export, verify, sign; tampering, additions and removals are reported precisely', async () => {
  await withCase(async (store, dir) => {
    const lib = await prepare(store, dir);
    const keys = generateSigningKeys(path.join(dir, 'analyst'));
    const out = path.join(dir, 'bundle.zip');
    const r = await exportBundle(store, { out, timeline: true, hunts: ['stop-logging'], huntLibrary: lib, signKey: keys.privateKeyFile, analyst: 'A. Auditor' });
    assert.ok(r.signed);
    for (const f of ['manifest.json', 'inventory/sources.csv', 'integrity/digest-validation.json', 'findings/findings.json', 'findings/findings.csv', 'timeline/timeline.csv', 'timeline/timeline.jsonl', 'timeline/timeline.parquet', 'timeline/timeline.timesketch.jsonl', 'evidence/records.jsonl', 'hunts/stop-logging/hunt.sql', 'hunts/stop-logging/parameters.json', 'hunts/stop-logging/results.csv', 'report.html', 'SHA256SUMS', 'SHA256SUMS.sig']) {
      assert.ok(r.files.includes(f), f);
    }
    const good = await verifyBundle(out, keys.publicKeyFile);
    assert.equal(good.ok, true, JSON.stringify(good));
    assert.equal(good.signature, 'valid');
    assert.equal((good.manifest as { analyst: string }).analyst, 'A. Auditor');

    const entries = await readZipEntries(out);
    const evidence = entries.find((e) => e.name === 'evidence/records.jsonl')!.data.toString();
    assert.ok(evidence.includes(XSS_UA.replace(/"/g, '\\"')), 'raw evidence kept exactly');
    const html = entries.find((e) => e.name === 'report.html')!.data.toString();
    assert.ok(!html.includes('<script>alert(1)') && !html.includes('<img src=x'), 'payloads are escaped');
    assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'), 'and shown as text');
    assert.ok(!/<script|src=["']?https?:|href=["']?https?:/i.test(html), 'no script, no external resource');

    // Alter a file, add one, remove one: each reported by name.
    const mtime = new Date();
    const altered = entries.map((e) => (e.name === 'findings/findings.csv' ? { ...e, data: Buffer.concat([e.data, Buffer.from('x')]) } : e)).filter((e) => e.name !== 'inventory/rejects.csv');
    altered.push({ name: 'extra.txt', data: Buffer.from('planted') });
    const bad = path.join(dir, 'bad.zip');
    fs.writeFileSync(bad, buildZip(altered.map((e) => ({ ...e, mtime }))));
    const v = await verifyBundle(bad, keys.publicKeyFile);
    assert.equal(v.ok, false);
    assert.deepEqual(v.changed, ['findings/findings.csv']);
    assert.deepEqual(v.missing, ['inventory/rejects.csv']);
    assert.deepEqual(v.added, ['extra.txt']);
    assert.equal(v.signature, 'valid', 'SHA256SUMS itself is intact');
    // Rewriting SHA256SUMS to hide the change breaks the signature.
    const forged = entries.map((e) => (e.name === 'SHA256SUMS' ? { ...e, data: Buffer.from(e.data.toString().replace(/^[0-9a-f]{64}/, '0'.repeat(64))) } : e));
    fs.writeFileSync(bad, buildZip(forged.map((e) => ({ ...e, mtime }))));
    const v2 = await verifyBundle(bad, keys.publicKeyFile);
    assert.equal(v2.ok, false);
    assert.match(v2.signature, /^invalid/);
  });
});

test('two exports of the same case differ only in their timestamps', async () => {
  await withCase(async (store, dir) => {
    const lib = await prepare(store, dir);
    const a = path.join(dir, 'a.zip');
    const b = path.join(dir, 'b.zip');
    await exportBundle(store, { out: a, timeline: true, hunts: ['stop-logging'], huntLibrary: lib, analyst: 'x' });
    await new Promise((r) => setTimeout(r, 1100));
    await exportBundle(store, { out: b, timeline: true, hunts: ['stop-logging'], huntLibrary: lib, analyst: 'x' });
    const ea = await readZipEntries(a);
    const eb = await readZipEntries(b);
    assert.deepEqual(ea.map((e) => e.name), eb.map((e) => e.name));
    const stamp = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;
    const differing = ea.filter((e, i) => !e.data.equals(eb[i].data)).map((e) => e.name);
    for (const name of differing) {
      const x = ea.find((e) => e.name === name)!.data.toString().replace(stamp, 'T');
      const y = eb.find((e) => e.name === name)!.data.toString().replace(stamp, 'T');
      if (name !== 'SHA256SUMS') assert.equal(x, y, `${name} differs beyond timestamps`);
    }
    assert.ok(differing.includes('manifest.json'));
  });
});
