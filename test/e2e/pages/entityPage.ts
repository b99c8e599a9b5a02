import type { Page } from '@playwright/test';

/** The Entity profile screen. */
export class EntityPage {
  constructor(readonly page: Page) {}
  tab() {
    return this.page.getByRole('tab', { name: 'Entity', exact: true });
  }
  title() {
    return this.page.getByTestId('entity-title');
  }
  total() {
    return this.page.getByTestId('entity-total');
  }
  sourceRow(source: string) {
    return this.page.getByTestId('entity-sources').locator(`tr[data-source="${source}"]`);
  }
  sourceCount(source: string) {
    return this.sourceRow(source).getByTestId('entity-source-count');
  }
  related() {
    return this.page.getByTestId('entity-related');
  }
  relatedGroup(name: 'principals' | 'access-keys' | 'ip-addresses' | 'instances' | 'network-interfaces' | 'targets') {
    return this.page.getByTestId(`entity-related-${name}`);
  }
  ipActivityRow(ip: string) {
    return this.page.getByTestId('entity-ip-activity').locator(`tr[data-ip="${ip}"]`);
  }
  showInTimeline() {
    return this.page.getByTestId('show-in-timeline');
  }
}
