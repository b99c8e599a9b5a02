import { expect, type Page } from '@playwright/test';

/** The Hunts screen: library, SQL editor, parameter form, results and run history. */
export class HuntsPage {
  constructor(readonly page: Page) {}

  static async open(page: Page): Promise<HuntsPage> {
    await page.getByRole('tab', { name: 'Hunts' }).click();
    const hunts = new HuntsPage(page);
    await expect(hunts.editor()).toBeVisible();
    return hunts;
  }

  library() {
    return this.page.getByRole('complementary', { name: 'Hunt library' });
  }
  libraryGroup(name: 'Your hunts' | 'Built-in') {
    return this.library().getByRole('list', { name });
  }
  libraryItem(id: string) {
    return this.page.getByTestId(`hunt-item-${id}`);
  }
  search() {
    return this.page.getByLabel('Search hunts');
  }
  /** CodeMirror's editable element. */
  editor() {
    return this.page.getByTestId('hunt-editor');
  }
  editorRoot() {
    return this.page.locator('.hunt-editor .cm-editor');
  }
  completions() {
    return this.page.locator('.cm-tooltip-autocomplete');
  }
  async newHunt() {
    await this.page.getByTestId('hunt-new').click();
  }
  /**
   * Replaces the editor's text the way a paste does: all selected, then one
   * paste event that CodeMirror handles itself (no auto-closed brackets, no
   * completion picked by a typed newline, no browser-made markup).
   */
  async setSql(text: string) {
    await this.editor().click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.editor().evaluate((el, t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
    await expect(this.editor()).toContainText(text.split('\n').filter(Boolean).at(-1)!.trim());
  }
  param(name: string) {
    return this.page.getByTestId(`hunt-param-${name}`);
  }
  async save() {
    await this.page.getByTestId('hunt-save').click();
  }
  notice() {
    return this.page.getByTestId('hunt-notice');
  }
  async run() {
    await this.page.getByTestId('hunt-run').click();
  }
  cancelButton() {
    return this.page.getByTestId('hunt-cancel');
  }
  elapsed() {
    return this.page.getByTestId('hunt-elapsed');
  }
  runError() {
    return this.page.getByTestId('hunt-error');
  }
  rowCount() {
    return this.page.getByTestId('hunt-row-count');
  }
  resultsGrid() {
    return this.page.getByTestId('hunt-results-grid');
  }
  resultRows() {
    return this.resultsGrid().locator('.ag-grid-scrolling-container .ag-row');
  }
  /** A rendered result cell: columns are keyed by their position, since a result may repeat a name. */
  resultCell(row: number, column: number) {
    return this.resultsGrid().locator(`.ag-grid-scrolling-container .ag-row[row-index="${row}"] [col-id="${column}"]`);
  }
  async openHistory() {
    await this.page.getByRole('tab', { name: /^History/ }).click();
    await expect(this.page.getByTestId('hunt-history')).toBeVisible();
  }
  historyRows() {
    return this.page.getByTestId('hunt-history-row');
  }
}
