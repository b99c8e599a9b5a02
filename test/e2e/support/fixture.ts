import fs from 'node:fs';
import path from 'node:path';

/**
 * Evidence of our own for the end-to-end suite: one file of each kind, with
 * attacker-controlled fields carrying XSS payloads, and lines that must be
 * rejected. Shapes follow the AWS formats; values are invented.
 */

export const XSS = {
  userAgent: `<script>window.__xss=1;alert('ua')</script>`,
  requestKey: `<img src=x onerror="window.__xss=2;alert('rp')">`,
  url: `https://shop.example.com:443/search?q=<svg/onload=alert('url')>`,
  elbAgent: `Mozilla/5.0 <iframe src=javascript:alert('elb')>`,
  s3Agent: `curl/8.0 <b onmouseover=alert('s3')>bold</b>`,
};

export const BAD_VPC_LINE = '2 123456789012 eni-0bad0bad0bad 10.0.9.9 truncated';
export const BAD_VPC_LINE_NUMBER = 13;
export const FIXTURE_VPC_RECORDS = 20;

const ACCOUNT = '123456789012';
/** The access key on every fixture CloudTrail record: a quick search for it finds exactly those three among any demo data. */
export const FIXTURE_ACCESS_KEY = 'AKIAEXAMPLEALICE';

function cloudtrail(): string {
  const base = {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLEALICE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: FIXTURE_ACCESS_KEY, userName: 'alice' },
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
  };
  const records = [
    { ...base, eventTime: '2024-03-01T12:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userAgent: XSS.userAgent, requestParameters: { bucketName: 'evidence-bucket', key: XSS.requestKey }, responseElements: null, requestID: 'REQ0001', eventID: '00000000-0000-4000-8000-000000000001', readOnly: true, managementEvent: false },
    { ...base, eventTime: '2024-03-01T12:05:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', userAgent: 'aws-cli/2.15.0 Python/3.11', requestParameters: { userName: 'backdoor' }, responseElements: { accessKey: { accessKeyId: 'AKIAEXAMPLENEW', status: 'Active', userName: 'backdoor' } }, requestID: 'REQ0002', eventID: '00000000-0000-4000-8000-000000000002', readOnly: false, managementEvent: true },
    { ...base, eventTime: '2024-03-01T12:07:30Z', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', awsRegion: 'eu-west-1', userAgent: 'Boto3/1.34.0', requestParameters: null, responseElements: null, requestID: 'REQ0003', eventID: '00000000-0000-4000-8000-000000000003', readOnly: true, managementEvent: true },
  ];
  return JSON.stringify({ Records: records });
}

/** The last record line of the fixture's VPC flow file, as the raw pane must show it. */
export const LAST_VPC_LINE = vpcLine(19);

function vpcLine(i: number): string {
  const t = 1709294400 + i * 60;
  return `2 ${ACCOUNT} eni-0a1b2c3d4e5f 10.0.1.${i + 5} 198.51.100.${i + 1} ${40000 + i} 443 6 ${10 + i} ${8400 + i * 10} ${t} ${t + 60} ${i % 5 === 0 ? 'REJECT' : 'ACCEPT'} OK`;
}

function vpc(): string {
  const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  for (let i = 0; i < 20; i++) {
    lines.push(vpcLine(i));
    // Line 13 of the file: a record cut short, which the importer must reject.
    if (i === 10) lines.push(BAD_VPC_LINE);
  }
  return `${lines.join('\n')}\n`;
}

function alb(): string {
  const line = (t: string, ip: string, url: string, agent: string) =>
    `https ${t} app/shop-lb/50dc6c495c0c9188 ${ip}:51234 10.0.1.5:80 0.001 0.002 0.000 200 200 120 512 "GET ${url} HTTP/1.1" "${agent}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/shop/73e2d6bc24d8a067 "Root=1-65e1c400-36d228ad5d99923122bbe354" "shop.example.com" "arn:aws:acm:us-east-1:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012" 0 ${t} "forward" "-" "-" "10.0.1.5:80" "200" "-" "-" TID_0001`;
  return `${[
    line('2024-03-01T12:01:00.123456Z', '203.0.113.10', XSS.url, XSS.elbAgent),
    line('2024-03-01T12:02:00.123456Z', '198.51.100.7', 'https://shop.example.com:443/index.html', 'Mozilla/5.0 (X11; Linux x86_64)'),
  ].join('\n')}\n`;
}

function s3(): string {
  return `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be evidence-bucket [01/Mar/2024:12:03:00 +0000] 203.0.113.10 arn:aws:iam::${ACCOUNT}:user/alice 3E57427F3EXAMPLE REST.GET.OBJECT secret/payroll.csv "GET /evidence-bucket/secret/payroll.csv HTTP/1.1" 200 - 2662992 3462992 70 10 "-" "${XSS.s3Agent}" - HOSTIDEXAMPLE SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader evidence-bucket.s3.us-east-1.amazonaws.com TLSv1.2 - -\n`;
}

/** Writes the evidence tree under dir and returns its root. */
export function writeFixture(dir: string): string {
  const root = path.join(dir, 'evidence');
  const put = (rel: string, body: string) => {
    const f = path.join(root, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, body);
  };
  put(FIXTURE_FILES.cloudtrail, cloudtrail());
  put(FIXTURE_FILES.vpc, vpc());
  put(FIXTURE_FILES.elb, alb());
  put(FIXTURE_FILES.s3, s3());
  put(FIXTURE_FILES.binary, '\u0000\u0001\u0002 not a log at all \u0003');
  return root;
}

/** Paths of the fixture's files relative to its root, by what they hold. */
export const FIXTURE_FILES = {
  cloudtrail: `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2024/03/01/${ACCOUNT}_CloudTrail_us-east-1_20240301T1200Z_abc.json`,
  vpc: `AWSLogs/${ACCOUNT}/vpcflowlogs/us-east-1/2024/03/01/${ACCOUNT}_vpcflowlogs_us-east-1_fl-1_20240301T1200Z_def.log`,
  elb: `AWSLogs/${ACCOUNT}/elasticloadbalancing/us-east-1/2024/03/01/${ACCOUNT}_elasticloadbalancing_us-east-1_app.shop-lb_20240301T1200Z_10.0.1.5_ghi.log`,
  s3: 's3-access/evidence-bucket/2024-03-01-12-03-00-ABCDEF0123456789',
  binary: 'notes/readme.bin',
};
