import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaseStore } from '../store/caseStore';
import { createApiContext, type ApiContext } from '../api/context';
import { dispatch } from '../api/dispatch';
import { ARROW_CONTENT_TYPE, CHANNELS, HTTP_API_PREFIX, HTTP_TOKEN_HEADER, isChannel, type ApiResult } from '../api/contract';
import { pageHeaders, renderIndex, SECURITY_HEADERS } from './pagePolicy';

export interface ServeOptions {
  casePath: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default) or localhost. */
  host?: string;
  /** The vite build of the renderer; dist/renderer in the repo by default. */
  renderDir?: string;
}

export interface RunningServer {
  /** Open this in a browser: it carries the run's token. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export class ServeError extends Error {
  constructor(
    readonly code: 'NON_LOOPBACK' | 'RENDERER_MISSING' | 'BAD_PORT',
    message: string,
  ) {
    super(message);
  }
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);
const MAX_BODY = 1024 * 1024;
const DEFAULT_RENDER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');

const STATIC_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/**
 * `cloudsift serve`: the renderer and the API for one case, on the loopback
 * interface only. Every API call must carry the run's random token in a header
 * and every request a Host header naming this server, so that neither another
 * site in the browser (no CORS headers are ever sent, and a JSON POST from
 * another origin needs a preflight that is refused) nor a DNS-rebound name can
 * reach the case.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_NAMES.has(host)) {
    throw new ServeError('NON_LOOPBACK', `cloudsift serve listens on 127.0.0.1 only; refusing to bind to ${JSON.stringify(host)}`);
  }
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServeError('BAD_PORT', `Invalid port ${port}`);
  const renderDir = path.resolve(opts.renderDir ?? DEFAULT_RENDER_DIR);
  const indexFile = path.join(renderDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    throw new ServeError('RENDERER_MISSING', `No renderer build at ${renderDir}: run 'npm run build:renderer' first`);
  }

  const store = await CaseStore.open(opts.casePath);
  const ctx = await createApiContext(store);
  const token = crypto.randomBytes(32).toString('base64url');
  const server = http.createServer();
  let allowedHosts = new Set<string>();

  server.on('request', (req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!allowedHosts.has(req.headers.host ?? '')) return sendText(res, 403, 'Forbidden: unexpected Host header');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname.startsWith(HTTP_API_PREFIX)) return api(req, res, url.pathname.slice(HTTP_API_PREFIX.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!tokenMatches(url.searchParams.get('token'))) {
        return sendText(res, 403, 'Forbidden: open the URL that cloudsift serve printed; it carries this run\'s token');
      }
      const nonce = crypto.randomBytes(16).toString('base64');
      res.writeHead(200, pageHeaders(nonce));
      // Read per load, so that a rebuilt renderer is picked up without restarting the server.
      return void res.end(req.method === 'HEAD' ? undefined : renderIndex(fs.readFileSync(indexFile, 'utf8'), nonce));
    }
    return serveStatic(req, res, url.pathname);
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, fail('METHOD_NOT_ALLOWED', 'API calls are POST'));
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return sendJson(res, 403, fail('FORBIDDEN', 'Cross-origin API calls are refused'));
    if (!tokenMatches(headerValue(req.headers[HTTP_TOKEN_HEADER]))) return sendJson(res, 401, fail('UNAUTHORIZED', 'Missing or wrong session token'));
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendJson(res, 415, fail('BAD_REQUEST', 'API calls send application/json'));
    if (!isChannel(channel)) return sendJson(res, 404, fail('UNKNOWN_CHANNEL', `No API channel ${JSON.stringify(channel.slice(0, 100))}`));
    let body: unknown;
    try {
      const text = await readBody(req);
      body = text.length ? JSON.parse(text) : {};
    } catch (err) {
      return sendJson(res, 400, fail('BAD_REQUEST', err instanceof Error ? err.message : 'Unreadable request body'));
    }
    const result = await dispatch(ctx, channel, body);
    if (result.ok && CHANNELS[channel].binary && result.value instanceof Uint8Array) {
      res.writeHead(200, { 'Content-Type': ARROW_CONTENT_TYPE, 'Content-Length': result.value.byteLength, 'Cache-Control': 'no-store' });
      return void res.end(result.value);
    }
    sendJson(res, 200, result);
  }

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return sendText(res, 400, 'Bad path');
    }
    const file = path.resolve(renderDir, `.${rel}`);
    const type = STATIC_TYPES[path.extname(file)];
    if (!file.startsWith(renderDir + path.sep) || !type || !fs.existsSync(file) || !fs.statSync(file).isFile()) return sendText(res, 404, 'Not found');
    const data = fs.readFileSync(file);
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.byteLength, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : data);
  }

  function tokenMatches(given: string | null | undefined): boolean {
    if (typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err) => {
    await closeCase(ctx, store);
    throw err;
  });
  const actualPort = (server.address() as { port: number }).port;
  allowedHosts = new Set([`127.0.0.1:${actualPort}`, `localhost:${actualPort}`]);

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    token,
    port: actualPort,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await closeCase(ctx, store);
      })();
      return closing;
    },
  };
}

async function closeCase(ctx: ApiContext, store: CaseStore): Promise<void> {
  await ctx.close();
  await store.close();
}

function fail(code: string, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('Request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.byteLength, 'Cache-Control': 'no-store' });
  res.end(data);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}
