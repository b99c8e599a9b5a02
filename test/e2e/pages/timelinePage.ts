import type { Page } from '@playwright/test';

/** The Timeline screen: the unified events, the incident timeline and the coverage view. */
export class TimelinePage {
  constructor(readonly page: Page) {}
  tab() {
    return this.page.getByRole('tab', { name: 'Timeline', exact: true });
  }
  view(name: 'events' | 'incident' | 'coverage') {
    return this.page.getByTestId(`timeline-view-${name}`);
  }
  fromInput() {
    return this.page.getByLabel('From (UTC)', { exact: true });
  }
  toInput() {
    return this.page.getByLabel('To (UTC)', { exact: true });
  }
  textInput() {
    return this.page.getByLabel('Text in summary, actor or target');
  }
  applyButton() {
    return this.page.getByRole('button', { name: 'Apply', exact: true });
  }
  entityChips() {
    return this.page.getByTestId('entity-chip');
  }
  range() {
    return this.page.getByTestId('timeline-range');
  }
  count() {
    return this.page.getByTestId('timeline-count');
  }
  histogram() {
    return this.page.getByTestId('events-histogram');
  }
  histogramPlot() {
    return this.page.getByTestId('histogram-plot');
  }
  legend() {
    return this.histogram().locator('.chart-legend');
  }
  zoomOutButton() {
    return this.page.getByRole('button', { name: 'Zoom out' });
  }
  grid() {
    return this.page.getByTestId('events-grid');
  }
  rowAt(index: number) {
    return this.grid().locator(`.ag-grid-scrolling-container .ag-row[row-index="${index}"]`);
  }
  cell(index: number, column: string) {
    return this.rowAt(index).locator(`[col-id="${column}"]`);
  }
  pinButton(index: number) {
    return this.cell(index, 'pin').getByRole('button');
  }
  pinForm() {
    return this.page.getByTestId('pin-form');
  }
  recordRaw() {
    return this.page.getByTestId('record-raw');
  }
  incidentItems() {
    return this.page.getByTestId('incident-item');
  }
  coverageGaps() {
    return this.page.getByTestId('coverage-gap');
  }
  coverageBucket() {
    return this.page.getByLabel('Coverage bucket');
  }

  /** Drags across the histogram from one fraction of its width to another (the brush). */
  async brush(fromFraction: number, toFraction: number): Promise<void> {
    const box = await this.histogramPlot().boundingBox();
    if (!box) throw new Error('the histogram is not on screen');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width * fromFraction, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * ((fromFraction + toFraction) / 2), y, { steps: 4 });
    await this.page.mouse.move(box.x + box.width * toFraction, y, { steps: 4 });
    await this.page.mouse.up();
  }

  /** The time cells of the rows the grid has rendered, top to bottom. */
  async shownTimes(rows: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < rows; i++) out.push((await this.cell(i, 'time').textContent()) ?? '');
    return out;
  }
}
