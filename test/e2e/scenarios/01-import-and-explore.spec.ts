import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { e2eEnv } from '../support/env';
import { BAD_VPC_LINE, BAD_VPC_LINE_NUMBER, FIXTURE_ACCESS_KEY, FIXTURE_FILES, FIXTURE_VPC_RECORDS, LAST_VPC_LINE } from '../support/fixture';
import { openApp, snap } from '../actions/session';
import { sampleLogs } from '../actions/caseEvidence';
import { IMPORT_TIMEOUT_MS, importEvidence } from '../actions/importEvidence';
import { openTable, shownCount } from '../actions/explore';
import { AppShell } from '../pages/appShell';
import { ImportPage } from '../pages/importPage';
import { OverviewPage } from '../pages/overviewPage';

test.describe.serial('import and exploration', () => {
  test('imports evidence and shows the sources table with hashes, kinds and counts', async ({ page }, info) => {
    test.setTimeout(IMPORT_TIMEOUT_MS + 60_000);
    const env = e2eEnv();
    await openApp(page);
    // The suite's own evidence goes last, so that its VPC records end the vpc_flow table.
    const imp = await importEvidence(page, [...sampleLogs(), env.evidence]);
    await snap(page, info, 'import-done');

    const ctRow = await imp.findSource(path.basename(FIXTURE_FILES.cloudtrail));
    await expect(ctRow).toBeVisible();
    await expect(ctRow).toContainText('cloudtrail');
    const ctHash = crypto.createHash('sha256').update(fs.readFileSync(path.join(env.evidence, FIXTURE_FILES.cloudtrail))).digest('hex');
    await expect(ctRow).toContainText(ctHash);

    const vpcRow = await imp.findSource(path.basename(FIXTURE_FILES.vpc));
    await expect(vpcRow).toContainText('vpc');
    await expect(vpcRow.locator('[col-id="recordsImported"]')).toHaveText(String(FIXTURE_VPC_RECORDS));
    await expect(vpcRow.locator('[col-id="recordsRejected"]')).toHaveText('1');
    await expect(await imp.findSource(path.basename(FIXTURE_FILES.elb))).toContainText('alb');
    await expect(await imp.findSource(path.basename(FIXTURE_FILES.s3))).toBeVisible();
  });

  test('opens a reject with its position, reason and excerpt', async ({ page }, info) => {
    await openApp(page);
    await new AppShell(page).tab('Import').click();
    const imp = new ImportPage(page);
    await (await imp.findSource(path.basename(FIXTURE_FILES.vpc))).click();
    await expect(imp.rejectsPanel()).toContainText(path.basename(FIXTURE_FILES.vpc));
    await expect(imp.rejectItems()).toHaveCount(1);
    await expect(imp.rejectItems().first()).toContainText(`line ${BAD_VPC_LINE_NUMBER}`);
    await imp.rejectItems().first().click();
    await expect(imp.rejectReason()).not.toBeEmpty();
    await expect(imp.rejectExcerpt()).toHaveText(BAD_VPC_LINE);
    await snap(page, info, 'reject-open');
  });

  test('browses a table of a million rows to its end and opens the last raw record', async ({ page }, info) => {
    const env = e2eEnv();
    await openApp(page);
    const ex = await openTable(page, 'vpc_flow');
    // The demo dataset, when present, adds VPC records of its own; the count shown is checked against the sidebar's.
    const total = await shownCount(ex);
    expect(total).toBeGreaterThanOrEqual(Math.max(1_000_000, env.bulkRows + FIXTURE_VPC_RECORDS));
    await expect(ex.tableButton('vpc_flow')).toContainText(total.toLocaleString('en-US'));
    await expect(ex.cell(0, 'record_index')).toHaveText('1');
    await snap(page, info, 'explorer-first-page');

    // Keyboard: focus the grid and page down through the blocks.
    await ex.cell(0, 'srcaddr').click();
    for (let i = 0; i < 8; i++) await page.keyboard.press('PageDown');
    await expect(ex.grid().locator('.ag-row-focus')).toBeVisible();
    const focused = Number(await ex.grid().locator('.ag-grid-scrolling-container .ag-row-focus').getAttribute('row-index'));
    expect(focused).toBeGreaterThan(100);

    await ex.lastRowButton().click();
    const last = ex.rowAt(total - 1);
    await expect(last).toBeVisible();
    await expect(last.locator('[col-id="srcaddr"]')).toHaveText('10.0.1.24');
    await snap(page, info, 'explorer-last-row');

    // The jump focuses the last row, and the record pane follows the focus.
    await expect(ex.recordRaw()).toHaveText(LAST_VPC_LINE);
    await expect(page.getByTestId('record-position')).toContainText('vpc_flow');
    await expect(ex.recordSourcePath()).toContainText(path.basename(FIXTURE_FILES.vpc));
    info.annotations.push({ type: 'page timing', description: (await ex.timing().textContent()) ?? '' });
    await snap(page, info, 'explorer-last-record');
  });

  test('opens a CloudTrail record as formatted JSON, with timestamps in UTC', async ({ page }, info) => {
    await openApp(page);
    const ex = await openTable(page, 'cloudtrail');
    await ex.quickSearch().fill(FIXTURE_ACCESS_KEY);
    await expect(ex.rowCount()).toHaveText('3 rows');
    await expect(ex.grid()).toContainText('2024-03-01 12:05:00.000 UTC');
    const row = ex.rows().filter({ hasText: 'CreateAccessKey' });
    await row.locator('[col-id="event_name"]').click();
    await expect(ex.recordRaw()).toContainText('"eventName": "CreateAccessKey"');
    // Pretty-printed: one key per line, indented.
    expect(await ex.recordRaw().textContent()).toMatch(/\n {2}"eventVersion": "1\.08",\n/);
    await snap(page, info, 'explorer-cloudtrail-record');
  });

  test('filters, searches, sorts and chooses columns through the engine', async ({ page }, info) => {
    await openApp(page);
    const ex = await openTable(page, 'cloudtrail');
    const all = await shownCount(ex);
    await ex.quickSearch().fill(FIXTURE_ACCESS_KEY);
    await expect(ex.rowCount()).toHaveText('3 rows');

    await ex.grid().locator('.ag-header-cell[col-id="event_time"] .ag-header-cell-label').click();
    await ex.grid().locator('.ag-header-cell[col-id="event_time"] .ag-header-cell-label').click();
    await expect(ex.cell(0, 'event_name')).toHaveText('GetCallerIdentity');
    await expect(ex.cell(2, 'event_name')).toHaveText('GetObject');

    await ex.filterColumn('event_name', 'Caller');
    await expect(ex.rowCount()).toHaveText('1 row');
    await expect(ex.cell(0, 'event_name')).toHaveText('GetCallerIdentity');
    await snap(page, info, 'explorer-column-filter');
    await ex.clearColumnFilter('event_name');
    await expect(ex.rowCount()).toHaveText('3 rows');

    await expect(ex.headerCell('event_type')).toHaveCount(0);
    await ex.columnsButton().click();
    await ex.columnChooser().getByLabel('Find a column').fill('event_type');
    await ex.columnChooser().getByRole('checkbox').check();
    await ex.columnChooser().getByRole('button', { name: 'Done' }).click();
    await expect(ex.headerCell('event_type')).toBeVisible();
    await expect(ex.cell(0, 'event_type')).toHaveText('AwsApiCall');

    await ex.quickSearch().fill('');
    await expect(ex.rowCount()).toHaveText(`${all.toLocaleString('en-US')} ${all === 1 ? 'row' : 'rows'}`);
  });

  test('shows the overview: records per table, time span, accounts, regions and the volume chart', async ({ page }, info) => {
    const env = e2eEnv();
    await openApp(page);
    const ov = new OverviewPage(page);
    await expect(ov.chart()).toBeVisible();
    await expect(ov.chart().locator('rect[fill]').first()).toBeVisible();
    await expect(ov.tables()).toContainText('vpc_flow');
    const vpcRow = ov.tables().locator('tr').filter({ hasText: 'vpc_flow' });
    expect(Number(((await vpcRow.locator('td').nth(1).textContent()) ?? '').replace(/[^\d]/g, ''))).toBeGreaterThanOrEqual(env.bulkRows + FIXTURE_VPC_RECORDS);
    await expect(ov.accounts()).toContainText('123456789012');
    await expect(page.getByTestId('ov-regions')).toContainText('us-east-1');
    await expect(page.getByTestId('ov-first')).toHaveText(/UTC$/);
    await snap(page, info, 'overview');
  });
});
