import { expect, test } from '@playwright/test';
import { openApp, snap } from '../actions/session';
import { apiCall, ensureEvidenceImported } from '../actions/caseEvidence';
import { IMPORT_TIMEOUT_MS } from '../actions/importEvidence';
import { FindingsPage } from '../pages/findingsPage';
import { ExplorerPage } from '../pages/explorerPage';

const ATTACKER = '198.51.100.23';
const BACKDOOR = 'arn:aws:iam::123456789012:user/svc-backup-sync';
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
/** All investigations over the demo data and the suite's million-row flow table, on a busy two-core machine. */
const INVESTIGATE_TIMEOUT_MS = 5 * 60_000;

interface FindingLite {
  finding_id: number;
  id: string;
}
interface EvidencePage {
  rows: { position: number; raw: string | null }[];
}

test.describe.serial('findings', () => {
  test('Investigate shows its progress, then the findings ranked by severity with ATT&CK ids', async ({ page }, info) => {
    test.setTimeout(IMPORT_TIMEOUT_MS + INVESTIGATE_TIMEOUT_MS);
    await openApp(page);
    await ensureEvidenceImported(page);
    const before = await apiCall<{ lastRun: unknown }>(page, 'findings/list', {});
    const f = new FindingsPage(page);
    await f.tab().click();
    if (before.lastRun === null) {
      await expect(f.emptyState()).toContainText('not been investigated');
      await snap(page, info, 'findings-empty');
    }

    await f.investigateButton().click();
    await expect(f.progress()).toBeVisible();
    await expect(f.progressStep()).toHaveText(/^CS-[A-Z0-9]+-\d{3}$/, { timeout: INVESTIGATE_TIMEOUT_MS });
    await snap(page, info, 'investigating');
    await expect(f.summary()).toBeVisible({ timeout: INVESTIGATE_TIMEOUT_MS });
    await expect(f.progress()).toBeHidden();
    await expect(f.table()).toBeVisible();

    const severities = await f.rows().evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.severity ?? ''));
    const ranks = severities.map((s) => SEVERITIES.indexOf(s));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(severities[0]).toBe('critical');

    const rules = await f.rows().evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.ruleId ?? ''));
    const stopAt = rules.indexOf('CS-CT-001');
    expect(stopAt).toBeGreaterThanOrEqual(0);
    expect(stopAt).toBeLessThan(12);
    expect(severities[stopAt]).toBe('critical');
    const stop = f.row('CS-CT-001');
    await expect(stop.getByTestId('finding-techniques')).toHaveText('T1562.008');
    await expect(stop).toContainText('Defense Evasion');
    await expect(stop).toContainText('2025-03-19 09:33:47');

    await f.severityFilter().selectOption('critical');
    await expect(f.count()).toHaveText(/^\d+ of \d+ findings$/);
    const shown = await f.rows().evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.severity));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((s) => s === 'critical')).toBe(true);
    await f.severityFilter().selectOption('info');
    await expect(f.count()).toHaveText(/^\d+ findings$/);
    await snap(page, info, 'findings-ranked');
  });

  test('a finding names its entities; the attacker IP opens the explorer on its records; the evidence shows the raw record', async ({ page }, info) => {
    await openApp(page);
    const f = new FindingsPage(page);
    await f.tab().click();
    await f.textFilter().fill('CS-CT-001');
    await expect(f.rows()).toHaveCount(1);
    await f.row('CS-CT-001').click();
    await expect(f.detailRule()).toHaveText('CS-CT-001');
    await expect(f.detail()).toContainText('StopLogging or DeleteTrail was called');
    await expect(f.detail()).toContainText('Planned trail reconfiguration');
    await expect(f.detail()).toContainText('Defense Evasion');
    await expect(f.entityChip('principals', BACKDOOR)).toBeVisible();
    await expect(f.entityProfileButton('ip', ATTACKER)).toBeVisible();
    await snap(page, info, 'finding-detail');

    await f.entityChip('ips', ATTACKER).click();
    const ex = new ExplorerPage(page);
    await expect(page.getByRole('tab', { name: 'Explorer' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('button', { name: `source_ip eq ${ATTACKER} ✕` })).toBeVisible();
    await expect(ex.rowCount()).toHaveText(/^[\d,]+ rows?$/);
    await expect(ex.cell(0, 'source_ip')).toHaveText(ATTACKER);
    await snap(page, info, 'explorer-on-attacker');

    // Back on Findings, the same finding is still open.
    await f.tab().click();
    await expect(f.detailRule()).toHaveText('CS-CT-001');
    await expect(f.evidenceRows()).toHaveCount(1);
    await expect(f.evidenceRows().first()).toContainText('CloudTrail');
    await f.evidenceRows().first().click();
    await expect(f.recordRaw()).toContainText('"eventName": "StopLogging"');
    await expect(f.recordRaw()).toContainText(ATTACKER);
    await expect(f.recordSourcePath()).toContainText('AWSLogs/123456789012/CloudTrail/us-east-1/2025/03/19/');

    await f.pinButton().click();
    await expect(f.pinOutcome()).toBeVisible();
    await snap(page, info, 'finding-evidence');
  });

  test('hostile text in findings and their evidence stays text', async ({ page }, info) => {
    const { dialogs } = await openApp(page);
    // The finding whose evidence carries a payload: the suite's own (which sets window.__xss) when an investigation reports one, else the demo's.
    const { findings } = await apiCall<{ findings: FindingLite[] }>(page, 'findings/list', {});
    let target: { finding: FindingLite; position: number; payload: string } | undefined;
    for (const finding of findings) {
      const ev = await apiCall<EvidencePage>(page, 'findings/evidence', { findingId: finding.finding_id, limit: 50 });
      const hit = ev.rows.find((r) => r.raw?.includes('__xss')) ?? ev.rows.find((r) => /<script>|onerror=/.test(r.raw ?? ''));
      if (hit && (!target || hit.raw?.includes('__xss'))) target = { finding, position: hit.position, payload: /<script>[^<]*<\/script>|<img [^>]*>/.exec(hit.raw ?? '')?.[0] ?? '' };
      if (target?.payload.includes('__xss')) break;
    }
    expect(target, 'a finding with a payload in its evidence').toBeDefined();
    const { finding, position, payload } = target!;
    expect(payload).not.toBe('');

    const f = new FindingsPage(page);
    await f.tab().click();
    await f.textFilter().fill(finding.id);
    await page.locator(`[data-testid="finding-row"][data-finding-id="${finding.finding_id}"]`).click();
    await expect(f.detailRule()).toHaveText(finding.id);
    await f.evidenceRows().nth(position - 1).click();
    await expect(f.recordRaw()).toContainText(payload);
    await snap(page, info, 'xss-evidence');

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await expect(page.locator('img[src="x"], iframe, svg[onload], b[onmouseover], body script:not([src])')).toHaveCount(0);
  });
});
