import { expect, test } from '@playwright/test';
import { openApp, snap } from '../actions/session';
import { apiCall, ensureEvidenceImported } from '../actions/caseEvidence';
import { IMPORT_TIMEOUT_MS } from '../actions/importEvidence';
import { openTable } from '../actions/explore';
import { EntityPage } from '../pages/entityPage';
import { TimelinePage } from '../pages/timelinePage';
import { XSS } from '../support/fixture';

/** The demo incident: the attacker's address, web-1 whose role session it stole, and the 79 minutes without CloudTrail. */
const ATTACKER = '198.51.100.23';
const INSTANCE = 'i-0a3f7c2e9b1d4e856';
const SOURCES = ['cloudtrail', 'elb', 'vpc_flow', 's3_access'];
const SOURCE_LABELS = ['CloudTrail', 'VPC flow', 'ELB', 'S3 access'];
/** The first view after an import builds the unified table over every record, the million-row flow table included. */
const BUILD_TIMEOUT_MS = 120_000;

interface Profile {
  total: number;
  bySource: { source: string; count: number }[];
  findings: { id: string }[];
}
interface EventsPage {
  rows: { time: string; source: string; src_ip: string | null; dst_ip: string | null }[];
  nextCursor: number | null;
}
interface Item {
  item_id: number;
  kind: string;
  origin: string;
  title: string;
  note: string;
  tags: string[];
}

test.describe.serial('timeline and entities', () => {
  test('an address in a grid opens its profile: every source, the stolen session, the second hop; then its story in the timeline', async ({ page }, info) => {
    test.setTimeout(IMPORT_TIMEOUT_MS + 3 * BUILD_TIMEOUT_MS);
    await openApp(page);
    await ensureEvidenceImported(page);

    const ex = await openTable(page, 'elb');
    await ex.quickSearch().fill(ATTACKER);
    await expect(ex.cell(0, 'client_ip')).toHaveText(ATTACKER);
    await ex.cell(0, 'client_ip').getByRole('button', { name: ATTACKER }).click();

    const ent = new EntityPage(page);
    await expect(ent.title()).toHaveText(ATTACKER, { timeout: BUILD_TIMEOUT_MS });
    const profile = await apiCall<Profile>(page, 'entity/profile', { kind: 'ip', value: ATTACKER });
    for (const source of SOURCES) {
      const n = profile.bySource.find((s) => s.source === source)?.count ?? 0;
      expect(n, `${source} events of ${ATTACKER}`).toBeGreaterThan(0);
      await expect(ent.sourceCount(source)).toHaveText(n.toLocaleString('en-US'));
    }
    await expect(ent.total()).toHaveText(profile.total.toLocaleString('en-US'));
    await expect(ent.relatedGroup('instances')).toContainText(INSTANCE);
    await expect(ent.relatedGroup('principals')).toContainText(`assumed-role/acme-web-app-role/${INSTANCE}`);
    await expect(ent.ipActivityRow(ATTACKER)).toBeVisible();
    if (profile.findings.length > 0) await expect(page.getByTestId('entity-findings')).toContainText('CS-X-001');
    await snap(page, info, 'entity-attacker-ip');

    // The related session is one click away, and Back returns.
    await ent.relatedGroup('instances').getByRole('button', { name: INSTANCE }).click();
    await expect(ent.title()).toHaveText(INSTANCE);
    await page.getByRole('button', { name: '← Back' }).click();
    await expect(ent.title()).toHaveText(ATTACKER);

    await ent.showInTimeline().click();
    const tl = new TimelinePage(page);
    await expect(tl.entityChips()).toHaveText([`IP: ${ATTACKER} ✕`]);
    await expect(tl.count()).toHaveText(`${profile.total.toLocaleString('en-US')} events`, { timeout: BUILD_TIMEOUT_MS });
    await expect(tl.cell(0, 'time')).toHaveText('2025-03-19 08:57:00.000 UTC');
    const times = await tl.shownTimes(15);
    expect(times).toEqual([...times].sort());
    for (const label of SOURCE_LABELS) await expect(tl.legend()).toContainText(label);
    await snap(page, info, 'timeline-attacker-story');

    // The same story through the API, every row: one time order across the four sources.
    const all = await apiCall<EventsPage>(page, 'events/page', { filter: { entities: [{ kind: 'ip', value: ATTACKER }] }, limit: 2000 });
    expect(all.rows).toHaveLength(profile.total);
    expect(new Set(all.rows.map((r) => r.source))).toEqual(new Set(SOURCES));
    expect(all.rows.every((r, i) => i === 0 || Date.parse(all.rows[i - 1].time) <= Date.parse(r.time))).toBe(true);

    // Brush: a drag across the later part of the histogram zooms every view to it.
    await expect(tl.range()).toHaveText('all time');
    await tl.brush(0.55, 0.8);
    await expect(tl.range()).toHaveText(/^2025-03-19 \d\d:\d\d:\d\d → 2025-03-19 \d\d:\d\d:\d\d UTC$/);
    const [from, to] = ((await tl.range().textContent()) ?? '').replace(' UTC', '').split(' → ');
    await expect(tl.fromInput()).toHaveValue(from);
    await expect(tl.count()).not.toHaveText(`${profile.total.toLocaleString('en-US')} events`);
    await expect(tl.count()).toHaveText(/^[\d,]+ events?$/);
    const first = (await tl.cell(0, 'time').textContent()) ?? '';
    expect(first.replace(' UTC', '') >= from).toBe(true);
    expect(first.replace(' UTC', '') < to).toBe(true);
    await snap(page, info, 'timeline-zoomed');
    await tl.zoomOutButton().click();
    await expect(tl.range()).toHaveText('all time');
    await expect(tl.count()).toHaveText(`${profile.total.toLocaleString('en-US')} events`);
  });

  test('pins an event with a note and a tag, then edits the note in the incident timeline', async ({ page }, info) => {
    await openApp(page);
    await ensureEvidenceImported(page);
    const tl = new TimelinePage(page);
    await tl.tab().click();
    await tl.textInput().fill('StopLogging');
    await tl.applyButton().click();
    await expect(tl.count()).toHaveText('1 event', { timeout: BUILD_TIMEOUT_MS });
    await expect(tl.cell(0, 'action')).toHaveText('cloudtrail.amazonaws.com:StopLogging');
    await tl.pinButton(0).click();
    await expect(tl.recordRaw()).toContainText('"eventName": "StopLogging"');
    await tl.pinForm().getByLabel('Pin note').fill('The trail is stopped: nothing in CloudTrail until StartLogging');
    await tl.pinForm().getByLabel('Pin tags').fill('defense-evasion, T1562.008');
    await tl.pinForm().getByRole('button', { name: 'Pin', exact: true }).click();
    await expect(tl.pinForm()).toBeHidden();
    await expect(tl.pinButton(0)).toHaveAttribute('aria-label', 'Pinned: edit note');
    await snap(page, info, 'timeline-pinned');

    await tl.view('incident').click();
    const stopLogging = () => tl.incidentItems().and(page.locator('[data-kind="event"]')).filter({ hasText: '2025-03-19 09:33:47.000 UTC' });
    const item = stopLogging();
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-origin', 'manual');
    await expect(item.getByLabel('Item note')).toHaveValue('The trail is stopped: nothing in CloudTrail until StartLogging');
    await expect(item.locator('.tl-tag')).toHaveText(['defense-evasion', 'T1562.008']);
    await expect(item.getByLabel('Item title')).toHaveValue(/^StopLogging by arn:aws:iam::123456789012:user\/svc-backup-sync from 198\.51\.100\.23/);

    const edited = 'Stopped by svc-backup-sync from 198.51.100.23; restarted 10:52:30';
    await item.getByLabel('Item note').fill(edited);
    await item.getByRole('button', { name: 'Save' }).click();
    await expect(item.getByRole('button', { name: 'Save' })).toBeDisabled();
    const items = await apiCall<Item[]>(page, 'timeline/list', {});
    const saved = items.find((i) => i.kind === 'event' && i.title.includes('StopLogging'));
    expect(saved?.note).toBe(edited);
    expect(saved?.tags).toEqual(['defense-evasion', 'T1562.008']);
    await snap(page, info, 'incident-timeline');

    // It is in the case, not in the page: opening the app again shows it.
    await openApp(page);
    await tl.tab().click();
    await tl.view('incident').click();
    await expect(stopLogging().getByLabel('Item note')).toHaveValue(edited);
  });

  test('coverage shows the CloudTrail gap of the StopLogging window, with who stopped it and when', async ({ page }, info) => {
    await openApp(page);
    await ensureEvidenceImported(page);
    const tl = new TimelinePage(page);
    await tl.tab().click();
    await tl.view('coverage').click();
    await expect(tl.coverageBucket()).toHaveValue('15');
    const gap = tl.coverageGaps().and(page.locator('[data-source="cloudtrail"][data-region="us-east-1"]')).filter({ hasText: '2025-03-19 09:45:00.000 UTC' });
    await expect(gap).toHaveCount(1, { timeout: BUILD_TIMEOUT_MS });
    await expect(gap).toContainText('2025-03-19 10:45:00.000 UTC');
    await expect(gap).toContainText('StopLogging');
    await expect(gap).toContainText('2025-03-19 09:33:47.000 UTC');
    await expect(gap).toContainText('arn:aws:iam::123456789012:user/svc-backup-sync');
    await expect(gap).toContainText('StartLogging');
    await expect(gap).toContainText('2025-03-19 10:52:30.000 UTC');
    // Zoomed to the gap, the chart shows it cut out of the CloudTrail bar.
    await gap.getByRole('button', { name: 'Zoom' }).click();
    await expect(page.getByTestId('coverage-window')).toHaveText(/^2025-03-1[89] .* → 2025-03-19 .*UTC$/);
    await expect(page.locator('[data-testid="coverage-series"][data-source="cloudtrail"][data-region="us-east-1"] .tl-cov-gap')).toBeVisible();
    await snap(page, info, 'coverage');

    // What the other sources saw while CloudTrail was silent.
    await gap.getByRole('button', { name: 'Events' }).click();
    await expect(tl.range()).toHaveText('2025-03-19 09:45:00 → 2025-03-19 10:45:00 UTC');
    await expect(tl.count()).toHaveText(/^[\d,]+ events$/);
    await expect(tl.legend()).toContainText('S3 access');
    await expect(tl.legend()).not.toContainText('CloudTrail');
    await snap(page, info, 'events-during-gap');
  });

  test('hostile values in the unified events render as text', async ({ page }, info) => {
    const { dialogs } = await openApp(page);
    await ensureEvidenceImported(page);
    const tl = new TimelinePage(page);
    await tl.tab().click();
    await tl.textInput().fill('<svg/onload');
    await tl.applyButton().click();
    await expect(tl.count()).toHaveText('1 event', { timeout: BUILD_TIMEOUT_MS });
    await expect(tl.cell(0, 'target')).toHaveText(XSS.url);
    await expect(tl.cell(0, 'summary')).toContainText(XSS.elbAgent);
    await expect(tl.grid().locator('svg[onload], iframe, img[onerror]')).toHaveCount(0);
    await tl.cell(0, 'action').click();
    await expect(tl.recordRaw()).toContainText(XSS.elbAgent);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await snap(page, info, 'timeline-hostile-text');
  });
});
