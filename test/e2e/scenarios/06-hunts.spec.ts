import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp, snap } from '../actions/session';
import { ensureEvidenceImported } from '../actions/caseEvidence';
import { HuntsPage } from '../pages/huntsPage';

const ATTACKER = '198.51.100.23';
const HUNT_ID = 'e2e-calls-by-source-ip';

const HUNT = `-- @id: ${HUNT_ID}
-- @title: CloudTrail calls from one address
-- @description: What one source IP did, call by call.
-- @attack: T1078
-- @param ip varchar = 203.0.113.250  -- the source address
SELECT event_name, count(*) AS calls
FROM cloudtrail
WHERE source_ip = $ip
GROUP BY event_name
ORDER BY calls DESC, event_name`;

test.describe('hunts', () => {
  test('write, save and run a parameterized hunt; find it in the history; forbidden SQL is refused', async ({ page }, info) => {
    const cspViolations: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && cspViolations.push(m.text()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await openApp(page);
    await ensureEvidenceImported(page);
    const hunts = await HuntsPage.open(page);

    await expect(hunts.libraryGroup('Built-in').getByRole('listitem')).toHaveCount(41);
    // CodeMirror's injected styles (theme and base) are in force under the CSP: they carry the page's nonce.
    await expect(hunts.editorRoot()).toHaveCSS('background-color', 'rgb(12, 15, 19)');
    await expect(page.locator('.hunt-editor .cm-gutters')).toHaveCSS('display', 'flex');
    await expect(page.locator('.hunt-editor .cm-line span', { hasText: /^SELECT$/ }).first()).toHaveCSS('color', 'rgb(143, 182, 232)');

    await hunts.newHunt();
    await hunts.setSql(HUNT);
    await expect(hunts.param('ip')).toHaveAttribute('placeholder', '203.0.113.250');
    await hunts.param('ip').fill(ATTACKER);
    await hunts.save();
    await expect(hunts.notice()).toContainText(`Saved ${HUNT_ID} in your library`);
    await expect(hunts.libraryGroup('Your hunts').getByTestId(`hunt-item-${HUNT_ID}`)).toContainText('T1078');
    await hunts.search().fill('T1078 one address');
    await expect(hunts.libraryItem(HUNT_ID)).toBeVisible();
    await hunts.search().fill('');

    await hunts.run();
    await expect(hunts.rowCount()).toHaveText(/^\d+ rows$/);
    expect(Number((await hunts.rowCount().textContent())!.split(' ')[0])).toBeGreaterThan(10);
    await expect(hunts.resultsGrid()).toContainText('GetSecretValue');
    await expect(hunts.resultCell(0, 0)).toHaveText('GetSecretValue');
    await expect(hunts.elapsed()).toHaveText(/^done in \d+(\.\d)? m?s$/);
    await snap(page, info, 'hunt-results');

    await hunts.openHistory();
    const run = hunts.historyRows().filter({ hasText: HUNT_ID }).first();
    await expect(run).toContainText(`ip="${ATTACKER}"`);
    await expect(run).toContainText('ok');
    await snap(page, info, 'hunt-history');
    await run.getByRole('button', { name: /^Reopen run/ }).click();
    await expect(hunts.editor()).toContainText('WHERE source_ip = $ip');
    await expect(hunts.param('ip')).toHaveValue(ATTACKER);

    // Column names complete from the tables the statement reads.
    await hunts.newHunt();
    await hunts.setSql('SELECT \nFROM cloudtrail');
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('End');
    await page.keyboard.type('event_n');
    await expect(hunts.completions()).toContainText('event_name');
    await snap(page, info, 'hunt-completion');
    await page.keyboard.press('Enter');
    await expect(hunts.editor()).toContainText('SELECT event_name');

    const leak = path.join(os.tmpdir(), `cloudsift-e2e-hunt-${process.pid}-${Date.now()}.csv`);
    await hunts.setSql(`COPY (SELECT 1) TO '${leak}'`);
    await hunts.run();
    await expect(hunts.runError()).toContainText('hunts cannot read or write files or URLs, only the case');
    expect(fs.existsSync(leak)).toBe(false);
    await snap(page, info, 'hunt-refused');

    await hunts.setSql("SELECT * FROM read_csv('/etc/passwd')");
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(hunts.runError()).toContainText('hunts cannot read or write files or URLs');

    await hunts.setSql("ATTACH '/tmp/cloudsift-e2e-other.duckdb' AS other");
    await hunts.run();
    await expect(hunts.runError()).toContainText('Refused: hunts only read: a ATTACH statement is not allowed');

    await hunts.openHistory();
    await expect(hunts.historyRows().first()).toContainText('refused');

    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('a built-in hunt is read-only but can be saved as a copy; a slow hunt can be cancelled', async ({ page }) => {
    await openApp(page);
    await ensureEvidenceImported(page);
    const hunts = await HuntsPage.open(page);
    await hunts.libraryItem('CS-H-001').click();
    await expect(page.getByTestId('hunt-current')).toContainText('CS-H-001');
    await expect(page.getByTestId('hunt-save')).toBeDisabled();
    await expect(page.getByTestId('hunt-delete')).toBeDisabled();
    await expect(hunts.param('baseline_days')).toHaveAttribute('placeholder', '7');
    await expect(hunts.param('include_failed')).toBeChecked();
    await page.getByTestId('hunt-save-as').click();
    await page.getByLabel('Save a copy in your library as').fill('e2e-first-seen-copy');
    await page.getByRole('button', { name: 'Save copy' }).click();
    await expect(hunts.notice()).toContainText('Saved a copy as e2e-first-seen-copy');
    await expect(hunts.libraryGroup('Your hunts').getByTestId('hunt-item-e2e-first-seen-copy')).toBeVisible();
    await page.getByTestId('hunt-delete').click();
    await page.getByTestId('hunt-delete-confirm').click();
    await expect(hunts.notice()).toContainText('Deleted e2e-first-seen-copy');
    await expect(hunts.libraryItem('e2e-first-seen-copy')).toHaveCount(0);

    await hunts.setSql('SELECT count(*) FROM range(100000000000) a, range(10) b WHERE a.range % 7 = b.range');
    await hunts.run();
    await expect(hunts.elapsed()).toHaveText(/^running /);
    await hunts.cancelButton().click();
    await expect(hunts.runError()).toContainText('Cancelled: the hunt was cancelled');
    await expect(hunts.cancelButton()).toBeDisabled();
  });
});
