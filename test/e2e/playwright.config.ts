import { defineConfig } from '@playwright/test';

/** Debian's chromium: Playwright's own browser download is not available here. */
const CHROMIUM = process.env.CLOUDSIFT_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './scenarios',
  globalSetup: './support/globalSetup.ts',
  outputDir: '../../test-results/e2e',
  // One case server, one import: the scenarios run in order in one worker.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1600, height: 900 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
