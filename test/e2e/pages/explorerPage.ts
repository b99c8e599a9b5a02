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
