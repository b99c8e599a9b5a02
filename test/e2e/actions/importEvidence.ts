import { expect, type Page } from '@playwright/test';
import { AppShell } from '../pages/appShell';
import { ImportPage } from '../pages/importPage';

/** Long enough for the demo dataset (thousands of small files) on a busy two-core CI machine. */
export const IMPORT_TIMEOUT_MS = 10 * 60_000;

/** Types the paths into the import screen, starts the import and waits for it to finish. */
export async function importEvidence(page: Page, paths: string[]): Promise<ImportPage> {
  await new AppShell(page).tab('Import').click();
  const imp = new ImportPage(page);
  await imp.pathsInput().fill(paths.join('\n'));
  await imp.importButton().click();
  await expect(imp.progress()).toBeVisible();
  await expect(imp.state()).toHaveText(/done|failed/, { timeout: IMPORT_TIMEOUT_MS });
  await expect(imp.state()).toHaveText('done');
  return imp;
}
