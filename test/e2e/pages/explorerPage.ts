import type { Page } from '@playwright/test';

export class ExplorerPage {
  constructor(readonly page: Page) {}
  tableButton(name: string) {
    return this.page.getByTestId(`table-${name}`);
  }
  rowCount() {
    return this.page.getByTestId('row-count');
  }
  grid() {
    return this.page.getByTestId('explorer-grid');
  }
  rows() {
    return this.grid().locator('.ag-grid-scrolling-container .ag-row');
  }
  /** A rendered row by its grid index (the Infinite Row Model keeps only the visible ones in the DOM). */
  rowAt(index: number) {
    return this.grid().locator(`.ag-grid-scrolling-container .ag-row[row-index="${index}"]`);
  }
  cell(index: number, column: string) {
    return this.rowAt(index).locator(`[col-id="${column}"]`);
  }
  quickSearch() {
    return this.page.getByLabel('Quick search');
  }
  lastRowButton() {
    return this.page.getByRole('button', { name: 'Last row' });
  }
  columnsButton() {
    return this.page.getByRole('button', { name: 'Columns' });
  }
  headerCell(column: string) {
    return this.grid().locator(`.ag-header-cell[col-id="${column}"]`);
  }
  /** The column's filter menu: the grid's own text/number/date filter, one condition. */
  async filterColumn(column: string, value: string) {
    await this.headerCell(column).locator('.ag-header-cell-filter-button').click();
    const menu = this.page.locator('.ag-filter');
    await menu.locator('input[type="text"], input[type="number"]').first().fill(value);
    await menu.getByRole('button', { name: 'Apply' }).click();
  }
  async clearColumnFilter(column: string) {
    await this.headerCell(column).locator('.ag-header-cell-filter-button').click();
    await this.page.locator('.ag-filter').getByRole('button', { name: 'Reset' }).click();
  }
  columnChooser() {
    return this.page.getByRole('dialog', { name: 'Columns' });
  }
  recordPane() {
    return this.page.getByTestId('record-pane');
  }
  recordRaw() {
    return this.page.getByTestId('record-raw');
  }
  recordSourcePath() {
    return this.page.getByTestId('record-source-path');
  }
  timing() {
    return this.page.getByTestId('page-timing');
  }
}
