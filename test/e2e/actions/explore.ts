import { expect, type Page } from '@playwright/test';
import { AppShell } from '../pages/appShell';
import { ExplorerPage } from '../pages/explorerPage';

export async function openTable(page: Page, table: string): Promise<ExplorerPage> {
  await new AppShell(page).tab('Explorer').click();
  const ex = new ExplorerPage(page);
  await ex.tableButton(table).click();
  await expect(ex.rowCount()).toHaveText(/[\d,]+ rows/);
  await expect(ex.rowAt(0)).toBeVisible();
  return ex;
}

/** The displayed row count, as a number. */
export async function shownCount(ex: ExplorerPage): Promise<number> {
  const text = (await ex.rowCount().textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

/** Clicks a cell of a row: the grid focuses it and the record pane opens that record. */
export async function openRecord(ex: ExplorerPage, index: number, column: string): Promise<void> {
  await ex.cell(index, column).click();
  // The pane keeps the view last chosen (raw or fields); the raw view is the one asked for here.
  await ex.recordPane().getByRole('button', { name: 'Raw', exact: true }).click();
  await expect(ex.recordRaw()).toBeVisible();
}
