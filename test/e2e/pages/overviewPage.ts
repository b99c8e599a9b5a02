import type { Page } from '@playwright/test';

export class OverviewPage {
  constructor(readonly page: Page) {}
  records() {
    return this.page.getByTestId('ov-records');
  }
  chart() {
    return this.page.getByTestId('volume-chart');
  }
  tables() {
    return this.page.getByTestId('ov-tables');
  }
  accounts() {
    return this.page.getByTestId('ov-accounts');
  }
}
