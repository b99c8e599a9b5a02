import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { e2eEnv } from '../support/env';
import { XSS } from '../support/fixture';
import { openApp, origin, snap } from '../actions/session';
import { openRecord, openTable } from '../actions/explore';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so that the test controls every header (Host included). */
function send(opts: { method: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  const { port } = e2eEnv();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const apiCall = (headers: Record<string, string>) => send({ method: 'POST', path: '/api/case/info', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

test.describe('security', () => {
  test('XSS payloads in user agents, URLs and request parameters render as text everywhere', async ({ page }, info) => {
    const { dialogs } = await openApp(page);
    const ct = await openTable(page, 'cloudtrail');
    // Demo data may fill the first pages: the quick search brings the payload rows up (and is itself fed the payload's text).
    await ct.quickSearch().fill('__xss');
    await expect(ct.grid()).toContainText(XSS.userAgent);
    const row = ct.rows().filter({ hasText: XSS.userAgent });
    await row.locator('[col-id="event_name"]').click();
    await expect(ct.recordRaw()).toContainText(XSS.userAgent);
    await expect(ct.recordRaw()).toContainText(XSS.requestKey.replaceAll('"', '\\"'));
    // The fields view shows request_parameters as JSON text: the payload with its quotes escaped, still text.
    await page.getByRole('button', { name: 'Fields' }).click();
    await expect(ct.recordPane()).toContainText(XSS.userAgent);
    await expect(ct.recordPane()).toContainText(XSS.requestKey.replaceAll('"', '\\"'));
    await snap(page, info, 'xss-cloudtrail');

    const elb = await openTable(page, 'elb');
    await elb.quickSearch().fill('onload=alert');
    await expect(elb.rowCount()).toHaveText('1 row');
    await expect(elb.grid()).toContainText(XSS.url);
    await expect(elb.grid()).toContainText(XSS.elbAgent);
    await openRecord(elb, 0, 'elb');
    await expect(elb.recordRaw()).toContainText(XSS.elbAgent);

    const s3 = await openTable(page, 's3_access');
    await s3.quickSearch().fill('onmouseover');
    await expect(s3.grid()).toContainText(XSS.s3Agent);
    await snap(page, info, 'xss-elb-s3');

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // None of the payloads' elements made it into the DOM.
    await expect(page.locator('img[src="x"], iframe, svg[onload], b[onmouseover], body script:not([src])')).toHaveCount(0);
  });

  test('the page makes no request outside its own origin, and carries a strict CSP', async ({ page }) => {
    const seen: string[] = [];
    const violations: string[] = [];
    page.on('request', (r) => seen.push(r.url()));
    // The app itself must live within its CSP: a refused style or script would show here.
    page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && violations.push(m.text()));
    const res = await page.goto(e2eEnv().url);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    await expect(page.getByTestId('case-path')).toContainText('case.duckdb');
    await openTable(page, 'vpc_flow');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect(page.getByTestId('volume-chart')).toBeVisible();
    await page.getByRole('tab', { name: 'Import' }).click();
    await page.getByRole('button', { name: 'Browse…' }).click();
    await expect(page.getByTestId('fb-path')).not.toBeEmpty();
    const foreign = seen.filter((u) => !u.startsWith(`${origin()}/`) && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
    expect(seen.length).toBeGreaterThan(3);
  });

  test('serve refuses a wrong or missing token', async () => {
    const { token } = e2eEnv();
    expect((await apiCall({ 'x-cloudsift-token': token })).status).toBe(200);
    const wrong = await apiCall({ 'x-cloudsift-token': `${token.slice(0, -2)}xx` });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await apiCall({})).status).toBe(401);
    expect((await send({ method: 'GET', path: '/?token=nope' })).status).toBe(403);
    expect((await send({ method: 'GET', path: '/' })).status).toBe(403);
    expect((await send({ method: 'GET', path: `/?token=${token}` })).status).toBe(200);
  });

  test('serve refuses a wrong Host header and sends no CORS headers', async () => {
    const { token, port } = e2eEnv();
    const rebound = await apiCall({ 'x-cloudsift-token': token, host: `attacker.example:${port}` });
    expect(rebound.status).toBe(403);
    expect((await send({ method: 'GET', path: `/?token=${token}`, headers: { host: `attacker.example:${port}` } })).status).toBe(403);
    expect((await send({ method: 'GET', path: `/?token=${token}`, headers: { host: `127.0.0.1:${port + 1}` } })).status).toBe(403);
    expect((await apiCall({ 'x-cloudsift-token': token, host: `localhost:${port}` })).status).toBe(200);

    const cross = await apiCall({ 'x-cloudsift-token': token, origin: 'http://attacker.example' });
    expect(cross.status).toBe(403);
    const preflight = await send({ method: 'OPTIONS', path: '/api/case/info', headers: { origin: 'http://attacker.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    for (const r of [cross, preflight]) expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  test('serve refuses to bind anywhere but loopback', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/e2e/support/tryServe.ts', '/nonexistent/never-opened.duckdb', host], { encoding: 'utf8' });
      const out = JSON.parse(r.stdout) as { started: boolean; code: string; message: string };
      expect(out).toMatchObject({ started: false, code: 'NON_LOOPBACK' });
      expect(out.message).toContain('127.0.0.1');
    }
  });
});
