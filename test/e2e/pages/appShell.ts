import type { Page } from '@playwright/test';

/** The top bar and screen tabs, present on every screen. */
export class AppShell {
  constructor(readonly page: Page) {}
  tab(name: 'Overview' | 'Import' | 'Explorer') {
    return this.page.getByRole('tab', { name });
  }
  casePath() {
    return this.page.getByTestId('case-path');
  }
}
