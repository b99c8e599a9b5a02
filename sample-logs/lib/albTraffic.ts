/**
 * Requests to the shop's load balancer: shoppers browsing, uptime monitors,
 * crawlers, and the background noise of internet scanners probing for
 * WordPress and .env files (which is not the incident, and a good test of
 * a detector that fires on any 404).
 */
import type { Rng } from './rng';
import { connTraceId, traceId, type AlbRequest } from './albLog';
import { BINGBOT_IPS, GOOGLEBOT_IPS, ephemeralPort, publicClientIp } from './addresses';
import { HOUR, MINUTE } from './timefmt';
import { ALB, WEB_INSTANCES, type AlbNode, type Instance } from './world';

export interface AlbEntry {
  node: AlbNode;
  req: AlbRequest;
}

export interface Hit {
  /** When the request arrived, epoch ms. */
  time: number;
  clientIp: string;
  clientPort: number;
  method: string;
  /** Path and query as sent. */
  path: string;
  userAgent: string;
  status: number;
  target: Instance | null;
  /** Defaults to status; null when no target answered. */
  targetStatus?: number | null;
  sentBytes?: number;
  receivedBytes?: number;
  scheme?: 'https' | 'http';
  h2?: boolean;
  targetSeconds?: number;
  actions?: string;
  redirectUrl?: string;
  errorReason?: string;
  classification?: string;
  classificationReason?: string;
  matchedRulePriority?: string;
}

const TLS13 = { cipher: 'TLS_AES_128_GCM_SHA256', protocol: 'TLSv1.3' };
const TLS12 = { cipher: 'ECDHE-RSA-AES128-GCM-SHA256', protocol: 'TLSv1.2' };

export function albRequest(rng: Rng, hit: Hit): AlbRequest {
  const scheme = hit.scheme ?? 'https';
  const port = scheme === 'https' ? 443 : 80;
  const tls = scheme === 'http' ? null : hit.h2 || rng.chance(0.7) ? TLS13 : TLS12;
  const requestSeconds = rng.float(0, 0.002);
  const targetSeconds = hit.target ? (hit.targetSeconds ?? rng.logNormal(0.018, 0.8)) : -1;
  const responseSeconds = hit.target ? rng.float(0, 0.001) : -1;
  const totalMs = Math.round((requestSeconds + Math.max(targetSeconds, 0) + Math.max(responseSeconds, 0)) * 1000);
  const targetStatus = hit.targetStatus === undefined ? (hit.target ? hit.status : null) : hit.targetStatus;
  return {
    type: scheme === 'http' ? 'http' : hit.h2 ? 'h2' : 'https',
    time: hit.time + totalMs,
    micros: rng.int(0, 999),
    elb: ALB.resource,
    clientIp: hit.clientIp,
    clientPort: hit.clientPort,
    target: hit.target ? { ip: hit.target.privateIp, port: ALB.targetPort } : null,
    requestProcessingTime: requestSeconds,
    targetProcessingTime: targetSeconds,
    responseProcessingTime: responseSeconds,
    elbStatus: hit.status,
    targetStatus,
    receivedBytes: hit.receivedBytes ?? rng.int(180, 900) + hit.path.length + hit.userAgent.length,
    sentBytes: hit.sentBytes ?? rng.int(300, 2000),
    method: hit.method,
    url: `${scheme}://${ALB.domain}:${port}${hit.path}`,
    httpVersion: hit.h2 ? 'HTTP/2.0' : 'HTTP/1.1',
    userAgent: hit.userAgent,
    sslCipher: tls ? tls.cipher : '-',
    sslProtocol: tls ? tls.protocol : '-',
    targetGroupArn: hit.target ? ALB.targetGroupArn : '-',
    traceId: traceId(rng, hit.time),
    domain: scheme === 'https' ? ALB.domain : '-',
    certArn: scheme === 'https' ? ALB.certArn : '-',
    matchedRulePriority: hit.matchedRulePriority ?? (hit.target ? '10' : '0'),
    requestCreationTime: hit.time,
    actions: hit.actions ?? (hit.target ? 'forward' : 'fixed-response'),
    redirectUrl: hit.redirectUrl ?? '-',
    errorReason: hit.errorReason ?? '-',
    classification: hit.classification ?? '-',
    classificationReason: hit.classificationReason ?? '-',
    connTraceId: connTraceId(rng),
  };
}

export const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.119 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80',
];

const PRODUCTS = [
  'trail-runner-2', 'merino-crew-sock', 'waxed-canvas-tote', 'insulated-bottle-750', 'packable-rain-shell',
  'wool-beanie', 'camp-mug-enamel', 'headlamp-400', 'down-vest', 'leather-card-wallet', 'rolltop-daypack',
];

interface Page {
  method: string;
  path: (rng: Rng) => string;
  status: (rng: Rng) => number;
  bytes: [number, number];
}

const PAGES: Page[] = [
  { method: 'GET', path: () => '/', status: () => 200, bytes: [9000, 16000] },
  { method: 'GET', path: (r) => `/products?page=${r.int(1, 6)}`, status: () => 200, bytes: [12000, 30000] },
  { method: 'GET', path: (r) => `/products/${r.pick(PRODUCTS)}`, status: (r) => (r.chance(0.02) ? 404 : 200), bytes: [8000, 20000] },
  { method: 'GET', path: () => '/static/js/app.3f9c1e.js', status: (r) => (r.chance(0.5) ? 304 : 200), bytes: [300, 180000] },
  { method: 'GET', path: () => '/static/css/main.8a2d4b.css', status: (r) => (r.chance(0.5) ? 304 : 200), bytes: [300, 42000] },
  { method: 'GET', path: (r) => `/static/img/${r.pick(PRODUCTS)}.webp`, status: (r) => (r.chance(0.4) ? 304 : 200), bytes: [300, 90000] },
  { method: 'GET', path: (r) => `/api/v1/products?page=${r.int(1, 6)}&sort=${r.pick(['popular', 'new', 'price'])}`, status: () => 200, bytes: [2000, 9000] },
  { method: 'GET', path: (r) => `/api/v1/products/${r.int(1000, 1999)}`, status: (r) => (r.chance(0.03) ? 404 : 200), bytes: [900, 3000] },
  {
    method: 'GET',
    path: (r) => `/api/v1/preview?url=https://cdn.acme.example/img/${r.pick(PRODUCTS)}.webp`,
    status: () => 200,
    bytes: [4000, 60000],
  },
  { method: 'GET', path: () => '/api/v1/cart', status: () => 200, bytes: [300, 2000] },
  { method: 'POST', path: () => '/api/v1/cart', status: (r) => (r.chance(0.03) ? 400 : 200), bytes: [300, 900] },
  { method: 'GET', path: () => '/login', status: () => 200, bytes: [5000, 7000] },
  { method: 'POST', path: () => '/api/v1/login', status: (r) => (r.chance(0.12) ? 401 : 200), bytes: [200, 600] },
  { method: 'GET', path: () => '/account/orders', status: (r) => (r.chance(0.2) ? 302 : 200), bytes: [4000, 12000] },
  { method: 'POST', path: () => '/api/v1/checkout', status: (r) => (r.chance(0.04) ? 402 : 201), bytes: [400, 1200] },
];

/** DNS spreads clients over both load balancer nodes. */
export function entry(rng: Rng, hit: Hit, node: AlbNode = rng.pick(ALB.nodes)): AlbEntry {
  return { node, req: albRequest(rng, hit) };
}

/** One shopper: a few pages with their assets over some minutes, over one keep-alive connection. */
export function shopperSession(rng: Rng, start: number): AlbEntry[] {
  const ip = publicClientIp(rng);
  const ua = rng.pick(BROWSERS);
  const node = rng.chance(0.5) ? ALB.nodes[0] : ALB.nodes[1];
  const port = ephemeralPort(rng);
  const out: AlbEntry[] = [];
  if (rng.chance(0.1)) {
    out.push({
      node,
      req: albRequest(rng, {
        time: start - 400,
        clientIp: ip,
        clientPort: ephemeralPort(rng),
        method: 'GET',
        path: '/',
        userAgent: ua,
        status: 301,
        target: null,
        scheme: 'http',
        actions: 'redirect',
        redirectUrl: `https://${ALB.domain}:443/`,
        sentBytes: 158,
      }),
    });
  }
  let t = start;
  const n = rng.int(3, 14);
  for (let i = 0; i < n; i++) {
    const page = i === 0 ? PAGES[0] : rng.pick(PAGES);
    const status = page.status(rng);
    out.push({
      node,
      req: albRequest(rng, {
        time: t,
        clientIp: ip,
        clientPort: port,
        method: page.method,
        path: page.path(rng),
        userAgent: ua,
        status,
        target: rng.pick(WEB_INSTANCES),
        sentBytes: status === 304 ? rng.int(180, 320) : rng.int(page.bytes[0], page.bytes[1]),
        h2: true,
      }),
    });
    t += rng.int(200, 45_000);
  }
  return out;
}

export function monitorCheck(rng: Rng, t: number, monitor: 'uptimerobot' | 'pingdom'): AlbEntry {
  const ua =
    monitor === 'uptimerobot'
      ? 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)'
      : 'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)';
  const ips = monitor === 'uptimerobot' ? ['216.144.250.150', '69.162.124.235'] : ['178.255.152.2', '185.180.12.65'];
  return entry(rng, {
    time: t,
    clientIp: rng.pick(ips),
    clientPort: ephemeralPort(rng),
    method: monitor === 'uptimerobot' ? 'HEAD' : 'GET',
    path: '/health',
    userAgent: ua,
    status: 200,
    target: rng.pick(WEB_INSTANCES),
    sentBytes: rng.int(180, 260),
    targetSeconds: rng.logNormal(0.004, 0.4),
  });
}

export function crawlerHit(rng: Rng, t: number): AlbEntry {
  const google = rng.chance(0.7);
  const path = rng.pick(['/robots.txt', '/sitemap.xml', ...PRODUCTS.map((p) => `/products/${p}`)]);
  return entry(rng, {
    time: t,
    clientIp: rng.pick(google ? GOOGLEBOT_IPS : BINGBOT_IPS),
    clientPort: ephemeralPort(rng),
    method: 'GET',
    path,
    userAgent: google
      ? 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
      : 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    status: 200,
    target: rng.pick(WEB_INSTANCES),
    sentBytes: rng.int(600, 20000),
  });
}

const NOISE_PATHS = ['/wp-login.php', '/.env', '/xmlrpc.php', '/.git/HEAD', '/phpmyadmin/index.php', '/actuator/health', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php'];
const NOISE_AGENTS = [
  'Mozilla/5.0 zgrab/0.x',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36',
  'python-requests/2.28.2',
  'Go-http-client/1.1',
];

/** The internet's background scanning: a handful of random 404s a day from random addresses. */
export function internetNoise(rng: Rng, t: number): AlbEntry[] {
  const ip = publicClientIp(rng);
  const ua = rng.pick(NOISE_AGENTS);
  const out: AlbEntry[] = [];
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    out.push(
      entry(rng, {
        time: t + i * rng.int(100, 3000),
        clientIp: ip,
        clientPort: ephemeralPort(rng),
        method: 'GET',
        path: rng.pick(NOISE_PATHS),
        userAgent: ua,
        status: 404,
        target: rng.pick(WEB_INSTANCES),
        sentBytes: rng.int(250, 600),
        scheme: rng.chance(0.3) ? 'http' : 'https',
      }),
    );
  }
  return out;
}

/** Shoppers by hour of day (UTC): the shop sells mostly to the Americas. */
const HOURLY_SESSIONS = [6, 5, 4, 3, 2, 2, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12, 13, 14, 14, 13, 12, 10, 9, 7];

export function benignAlbDay(rng: Rng, dayStart: number): AlbEntry[] {
  const out: AlbEntry[] = [];
  const mon = rng.fork('monitors');
  for (let t = dayStart + mon.int(0, 299) * 1000; t < dayStart + 24 * HOUR; t += 5 * MINUTE) out.push(monitorCheck(mon, t + mon.int(0, 900), 'uptimerobot'));
  for (let t = dayStart + mon.int(0, 599) * 1000; t < dayStart + 24 * HOUR; t += 10 * MINUTE) out.push(monitorCheck(mon, t + mon.int(0, 900), 'pingdom'));
  const shop = rng.fork('shoppers');
  for (let h = 0; h < 24; h++) {
    const n = Math.max(0, HOURLY_SESSIONS[h] + shop.int(-2, 2));
    for (let i = 0; i < n; i++) out.push(...shopperSession(shop, dayStart + h * HOUR + shop.int(0, HOUR - 1)));
  }
  const bots = rng.fork('crawlers');
  const crawls = bots.int(25, 45);
  for (let i = 0; i < crawls; i++) out.push(crawlerHit(bots, dayStart + bots.int(0, 24 * HOUR - 1)));
  const noise = rng.fork('noise');
  const probes = noise.int(4, 9);
  for (let i = 0; i < probes; i++) out.push(...internetNoise(noise, dayStart + noise.int(0, 24 * HOUR - 10_000)));
  return out;
}

/** One benign request of any kind, for the bench. */
export function benignAlbMix(rng: Rng, t: number): AlbEntry {
  switch (rng.weighted([['shopper', 80], ['monitor', 12], ['crawler', 5], ['noise', 3]] as const)) {
    case 'shopper': {
      const page = rng.pick(PAGES);
      const status = page.status(rng);
      return entry(rng, {
        time: t,
        clientIp: publicClientIp(rng),
        clientPort: ephemeralPort(rng),
        method: page.method,
        path: page.path(rng),
        userAgent: rng.pick(BROWSERS),
        status,
        target: rng.pick(WEB_INSTANCES),
        sentBytes: status === 304 ? rng.int(180, 320) : rng.int(page.bytes[0], page.bytes[1]),
        h2: true,
      });
    }
    case 'monitor':
      return monitorCheck(rng, t, rng.chance(0.6) ? 'uptimerobot' : 'pingdom');
    case 'crawler':
      return crawlerHit(rng, t);
    case 'noise':
      return internetNoise(rng, t)[0];
  }
}
