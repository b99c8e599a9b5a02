import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { startServer, ServeError, type RunningServer } from '../../../analyzers/server/httpServer';
import { CaseStore } from '../../../analyzers/store/caseStore';
import { ARROW_CONTENT_TYPE, STYLE_NONCE_PLACEHOLDER } from '../../../analyzers/api/contract';

let dir: string;
let server: RunningServer;

function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  request({ method: 'POST', path: `/api/${channel}`, headers: { 'content-type': 'application/json', 'x-cloudsift-token': server.token, ...headers }, body: JSON.stringify(body) });

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-serve-'));
  const render = path.join(dir, 'render');
  fs.mkdirSync(path.join(render, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(render, 'index.html'), `<meta name="cloudsift-style-nonce" content="${STYLE_NONCE_PLACEHOLDER}"><script type="module" src="./assets/app.js"></script>`);
  fs.writeFileSync(path.join(render, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not for the browser');
  const casePath = path.join(dir, 'case.duckdb');
  const store = await CaseStore.open(casePath);
  await store.run(`INSERT INTO vpc_flow (source_file_id, record_index, srcaddr, raw) SELECT 1, i, '10.0.0.' || i, 'x' FROM range(1, 301) r(i)`);
  await store.close();
  server = await startServer({ casePath, renderDir: render });
});

after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the printed URL is loopback and carries the token; the page gets a fresh nonce and a strict CSP', async () => {
  assert.match(server.url, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=${server.token}$`));
  const a = await request({ path: `/?token=${server.token}` });
  const b = await request({ path: `/?token=${server.token}` });
  assert.equal(a.status, 200);
  const nonce = /content="([^"]+)"/.exec(a.body.toString())?.[1];
  assert.ok(nonce && nonce !== STYLE_NONCE_PLACEHOLDER);
  assert.notEqual(nonce, /content="([^"]+)"/.exec(b.body.toString())?.[1]);
  const csp = String(a.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.ok(csp.includes(`'nonce-${nonce}'`));
  assert.equal(a.headers['x-content-type-options'], 'nosniff');
  assert.equal((await request({ path: '/assets/app.js' })).status, 200);
});

test('API calls need the token, JSON, this Host and no foreign Origin', async () => {
  assert.equal((await api('case/info', {})).status, 200);
  assert.equal((await api('case/info', {}, { 'x-cloudsift-token': 'guess' })).status, 401);
  assert.equal((await api('case/info', {}, { host: `evil.example:${server.port}` })).status, 403);
  assert.equal((await api('case/info', {}, { origin: 'http://evil.example' })).status, 403);
  assert.equal((await api('case/info', {}, { 'content-type': 'text/plain' })).status, 415);
  assert.equal((await api('nope/nope', {})).status, 404);
  assert.equal((await request({ method: 'GET', path: '/api/case/info' })).status, 405);
  const bad = await request({ method: 'POST', path: '/api/case/info', headers: { 'content-type': 'application/json', 'x-cloudsift-token': server.token }, body: '{' });
  assert.equal(bad.status, 400);
  for (const r of [await api('case/info', {}), await api('case/info', {}, { origin: 'http://evil.example' })]) {
    assert.deepEqual(Object.keys(r.headers).filter((h) => h.startsWith('access-control')), []);
  }
});

test('pages travel as Arrow IPC, errors as JSON data', async () => {
  const r = await api('table/page', { table: 'vpc_flow', columns: ['record_index', 'srcaddr'], offset: 290, limit: 100 });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], ARROW_CONTENT_TYPE);
  const t = tableFromIPC(new Uint8Array(r.body));
  assert.equal(t.numRows, 10);
  assert.equal(t.get(9)?.srcaddr, '10.0.0.300');
  const e = await api('table/page', { table: 'vpc_flow; drop', offset: 0, limit: 1 });
  assert.deepEqual(JSON.parse(e.body.toString()), { ok: false, error: { code: 'UNKNOWN_TABLE', message: 'No table named "vpc_flow; drop"' } });
});

test('static files never leave the renderer build', async () => {
  assert.equal((await request({ path: '/../secret.txt' })).status, 404);
  assert.equal((await request({ path: '/%2e%2e/secret.txt' })).status, 404);
  assert.equal((await request({ path: '/assets/%2e%2e/%2e%2e/secret.txt' })).status, 404);
});

test('startServer refuses non-loopback hosts before opening anything', async () => {
  for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com']) {
    await assert.rejects(startServer({ casePath: path.join(dir, 'never.duckdb'), host }), (e: unknown) => e instanceof ServeError && e.code === 'NON_LOOPBACK');
  }
  assert.equal(fs.existsSync(path.join(dir, 'never.duckdb')), false);
  await assert.rejects(startServer({ casePath: path.join(dir, 'never.duckdb'), renderDir: path.join(dir, 'nothing') }), (e: unknown) => e instanceof ServeError && e.code === 'RENDERER_MISSING');
});
