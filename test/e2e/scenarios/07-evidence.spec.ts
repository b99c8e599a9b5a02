import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { e2eEnv } from '../support/env';
import { openApp, snap } from '../actions/session';
import { ensureEvidenceImported } from '../actions/caseEvidence';
import { IMPORT_TIMEOUT_MS } from '../actions/importEvidence';
import { EvidencePage } from '../pages/evidencePage';
import { readZipEntries } from '../../../analyzers/evidence/zipReader';
import { buildZip } from '../../../analyzers/evidence/zipWriter';

/** What sample-logs/README.md says of its digests: one per region and hour, all signed, every log intact, a new chain after StopLogging in each region. */
const SAMPLE_DIGESTS = 96;
const SAMPLE_GAPS = 2;
const REGIONS = ['us-east-1', 'ap-southeast-1'];

let bundleFile: string | null = null;
/** The bundle the scenario writes, beside the suite's case file (one name per run of the worker). */
function bundlePath(): string {
  bundleFile ??= path.join(path.dirname(e2eEnv().casePath), `e2e-evidence-${Date.now()}.zip`);
  return bundleFile;
}

test.describe.serial('evidence: digest validation, bundle export and verification', () => {
  test('validates the digests with the sample keys and signatures', async ({ page }, info) => {
    test.setTimeout(IMPORT_TIMEOUT_MS + 60_000);
    await openApp(page);
    await ensureEvidenceImported(page);
    const ev = new EvidencePage(page);
    await ev.open();

    // The keys folder beside the imported sample-logs is offered, and used only once chosen.
    const keys = path.resolve('sample-logs', 'keys');
    await expect(ev.useFoundKeys()).toBeVisible();
    await expect(ev.publicKeys()).toHaveValue('');
    await ev.useFoundKeys().click();
    await expect(ev.publicKeys()).toHaveValue(path.join(keys, 'list-public-keys.json'));
    await expect(ev.signatures()).toHaveValue(path.join(keys, 'signatures.json'));

    await ev.validateButton().click();
    await expect(ev.signaturesState()).toHaveText('signatures checked', { timeout: 60_000 });
    await expect(ev.count('digests')).toHaveText(String(SAMPLE_DIGESTS));
    const valid = Number((await ev.count('logs-valid').innerText()).replace(/,/g, ''));
    expect(valid).toBeGreaterThan(300);
    for (const name of ['tampered', 'missing', 'chain-breaks', 'digests-missing'] as const) await expect(ev.count(name)).toHaveText('0');
    // The suite's own CloudTrail file sits under AWSLogs/…/CloudTrail/ but no digest lists it.
    await expect(ev.count('unlisted')).toHaveText('1');
    await expect(ev.count('gaps')).toHaveText(String(SAMPLE_GAPS));
    await expect(ev.signaturesValid()).toHaveText(String(SAMPLE_DIGESTS));
    await expect(ev.signaturesInvalid()).toHaveText('0');
    await expect(ev.signatureNote()).toContainText(`${SAMPLE_DIGESTS} of ${SAMPLE_DIGESTS} digest signatures verified`);
    for (const region of REGIONS) await expect(ev.group(region)).toContainText('acme-management-trail');
    await snap(page, info, 'validation-done');

    // The gaps, one per region, name the StopLogging that caused them.
    await ev.statusFilter('gap').click();
    await expect(ev.results()).toHaveCount(SAMPLE_GAPS);
    for (const region of REGIONS) await expect(ev.group(region).getByTestId('validation-result')).toContainText('StopLogging');

    // A valid log file shows its path and equal expected and actual hashes.
    await ev.statusFilter('valid').click();
    await expect(ev.results()).toHaveCount(valid);
    const first = ev.results().first();
    await expect(first.getByTestId('result-path')).toContainText('/CloudTrail/');
    const expected = await first.getByTestId('hash-expected').innerText();
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    await expect(first.getByTestId('hash-actual')).toHaveText(expected);
  });

  test('exports a bundle with progress to done and verifies it', async ({ page }, info) => {
    const bundle = bundlePath();
    await openApp(page);
    const ev = new EvidencePage(page);
    await ev.open();
    // The last validation is shown again on return.
    await expect(ev.count('digests')).toHaveText(String(SAMPLE_DIGESTS));
    await expect(ev.outPath()).toHaveValue(/-evidence-\d{4}-\d\d-\d\d\.zip$/);
    await ev.outPath().fill(bundle);
    await ev.exportButton().click();
    await expect(ev.exportProgress()).toBeVisible();
    await expect(ev.exportState()).toHaveText('done', { timeout: 60_000 });
    await expect(ev.exportProgress().getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    await expect(ev.exportResultPath()).toHaveText(bundle);
    await expect(ev.exportResultSigned()).toHaveText('no');
    expect(fs.existsSync(bundle)).toBe(true);
    const entries = await readZipEntries(bundle);
    await expect(ev.exportResultFiles()).toHaveText(String(entries.length));
    const sums = entries.find((e) => e.name === 'SHA256SUMS')!.data;
    await expect(ev.exportResultDigest()).toHaveText(crypto.createHash('sha256').update(sums).digest('hex'));
    await snap(page, info, 'export-done');

    await expect(ev.bundlePath()).toHaveValue(bundle);
    await ev.verifyButton().click();
    await expect(ev.verifyStatus()).toHaveText('OK');
    await expect(ev.verifySignature()).toContainText('not signed');
    await expect(ev.changedFiles()).toHaveCount(0);
    await snap(page, info, 'verify-ok');

    // Exporting to the same name again is refused, not overwritten.
    await ev.exportButton().click();
    await expect(page.getByText(/exists already/)).toBeVisible();
  });

  test('reports a file changed inside the bundle', async ({ page }, info) => {
    const bundle = bundlePath();
    await openApp(page);
    const ev = new EvidencePage(page);
    await ev.open();
    const entries = await readZipEntries(bundle);
    const mtime = new Date();
    const altered = entries.map((e) => ({ name: e.name, mtime, data: e.name === 'report.html' ? Buffer.concat([e.data, Buffer.from('<!-- edited -->')]) : e.data }));
    const tampered = bundle.replace(/\.zip$/, '-altered.zip');
    fs.writeFileSync(tampered, buildZip(altered));

    await ev.bundlePath().fill(tampered);
    await ev.verifyButton().click();
    await expect(ev.verifyStatus()).toHaveText('NOT OK');
    await expect(ev.changedFiles()).toHaveText(['report.html']);
    await expect(ev.missingFiles()).toHaveCount(0);
    await expect(ev.addedFiles()).toHaveCount(0);
    await snap(page, info, 'verify-changed');
  });
});
