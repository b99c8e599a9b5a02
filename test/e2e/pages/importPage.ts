import type { Page } from '@playwright/test';

export class ImportPage {
  constructor(readonly page: Page) {}
  pathsInput() {
    return this.page.getByLabel('Paths to import');
  }
  importButton() {
    return this.page.getByRole('button', { name: 'Import', exact: true });
  }
  browseButton() {
    return this.page.getByRole('button', { name: 'Browse…' });
  }
  browserPath() {
    return this.page.getByTestId('fb-path');
  }
  progress() {
    return this.page.getByTestId('import-progress');
  }
  state() {
    return this.page.getByTestId('import-state');
  }
  sourcesGrid() {
    return this.page.getByTestId('sources-grid');
  }
  sourceFilter() {
    return this.page.getByLabel('Filter sources');
  }
  /** The sources grid shows only the rows on screen, so a row is found by filtering for it first. */
  async findSource(pathPart: string) {
    await this.sourceFilter().fill(pathPart);
    return this.sourceRow(pathPart);
  }
  sourceRow(pathPart: string) {
    return this.sourcesGrid().locator('.ag-row').filter({ hasText: pathPart });
  }
  rejectsPanel() {
    return this.page.getByTestId('rejects-panel');
  }
  rejectItems() {
    return this.rejectsPanel().getByRole('option');
  }
  rejectReason() {
    return this.page.getByTestId('reject-reason');
  }
  rejectExcerpt() {
    return this.page.getByTestId('reject-excerpt');
  }
}
