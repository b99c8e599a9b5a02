import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { e2eEnv } from '../support/env';
import { importEvidence } from './importEvidence';

/** The demo dataset, when its generator has written it; the suite's own evidence otherwise carries the walk. */
export function sampleLogs(): string[] {
  const dir = path.resolve('sample-logs');
  const hasData = fs.existsSync(path.join(dir, 'AWSLogs')) || (fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /\.(gz|json|log|zip|tar\.gz)$/.test(f)));
  return hasData ? [dir] : [];
}

/** Calls the case server's API as the page would, for set-up and checks that need no screen. */
export async function apiCall<T>(page: Page, channel: string, request: unknown): Promise<T> {
  const env = e2eEnv();
  const res = await page.request.post(`${new URL(env.url).origin}/api/${channel}`, {
    headers: { 'content-type': 'application/json', 'x-cloudsift-token': env.token },
    data: JSON.stringify(request ?? {}),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${channel}: ${body.error?.code} ${body.error?.message}`);
  return body.value as T;
}

/**
 * Every scenario after the first reads the case the first one imported. Run
 * alone, a scenario imports the same evidence itself through the Import screen.
 */
export async function ensureEvidenceImported(page: Page): Promise<void> {
  const info = await apiCall<{ tables: { name: string; rows: number }[] }>(page, 'case/info', {});
  if ((info.tables.find((t) => t.name === 'cloudtrail')?.rows ?? 0) > 0) return;
  await importEvidence(page, [...sampleLogs(), e2eEnv().evidence]);
}
