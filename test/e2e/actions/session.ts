import { expect, type Page, type TestInfo } from '@playwright/test';
import { e2eEnv } from '../support/env';

/**
 * Opens the app as a user does (the URL that serve printed) and records every
 * request the page makes, so that a test can assert none left the origin.
 */
export async function openApp(page: Page): Promise<{ requests: string[]; dialogs: string[] }> {
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(e2eEnv().url);
  await expect(page.getByTestId('case-path')).toContainText('case.duckdb');
  return { requests, dialogs };
}

/** A screenshot of what the user sees at this step, kept in the test's output folder. */
export async function snap(page: Page, info: TestInfo, name: string): Promise<void> {
  const file = info.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await info.attach(name, { path: file, contentType: 'image/png' });
}

export function origin(): string {
  return new URL(e2eEnv().url).origin;
}
