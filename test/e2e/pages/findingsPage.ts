import type { Page } from '@playwright/test';

export class FindingsPage {
  constructor(readonly page: Page) {}
  tab() {
    return this.page.getByRole('tab', { name: 'Findings' });
  }
  investigateButton() {
    return this.page.getByTestId('investigate-button');
  }
  emptyState() {
    return this.page.getByTestId('findings-empty');
  }
  progress() {
    return this.page.getByTestId('investigate-progress');
  }
  progressStep() {
    return this.page.getByTestId('investigate-step');
  }
  summary() {
    return this.page.getByTestId('investigate-summary');
  }
  table() {
    return this.page.getByTestId('findings-table');
  }
  rows() {
    return this.page.getByTestId('finding-row');
  }
  /** The first finding of an investigation (an investigation can report several). */
  row(ruleId: string) {
    return this.page.locator(`[data-testid="finding-row"][data-rule-id="${ruleId}"]`).first();
  }
  severityFilter() {
    return this.page.getByLabel('Minimum severity');
  }
  textFilter() {
    return this.page.getByLabel('Filter findings');
  }
  count() {
    return this.page.getByTestId('findings-count');
  }
  detail() {
    return this.page.getByTestId('finding-detail');
  }
  detailRule() {
    return this.page.getByTestId('detail-rule');
  }
  entityChips() {
    return this.page.getByTestId('entity-chips');
  }
  /** The chip's main button, which opens the explorer on the value's records. */
  entityChip(group: string, value: string) {
    return this.page.locator(`[data-testid="entity-chip"][data-group="${group}"][data-value="${value}"]`).locator('button.chip');
  }
  entityProfileButton(kind: string, value: string) {
    return this.page.getByRole('button', { name: `Open the ${kind} profile of ${value}` });
  }
  evidenceRows() {
    return this.page.getByTestId('evidence-row');
  }
  recordRaw() {
    return this.page.getByTestId('record-raw');
  }
  recordSourcePath() {
    return this.page.getByTestId('record-source-path');
  }
  pinButton() {
    return this.page.getByRole('button', { name: 'Pin to timeline' });
  }
  pinOutcome() {
    return this.page.locator('[data-testid="pin-result"], [data-testid="pin-error"]');
  }
}
