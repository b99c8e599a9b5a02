/**
 * The fictional AWS estate the sample logs come from ("Acme Shop": one web
 * shop behind an ALB in us-east-1). Identifiers are fixed constants, not
 * random draws, so that the README can name them and tests can look for them.
 * Public addresses of people and attackers come from the documentation
 * ranges (RFC 5737), so no real host is implicated.
 */

export const ACCOUNT = '123456789012';
export const HOME_REGION = 'us-east-1';
/** The region the attacker launches GPU instances in: Acme never uses it. */
export const GPU_REGION = 'ap-southeast-1';

/** Day 1 00:00:00Z of the two days of sample data; the incident is on day 2. */
export const BASE_TIME = Date.UTC(2025, 2, 18, 0, 0, 0);

export const TRAIL = {
  name: 'acme-management-trail',
  arn: `arn:aws:cloudtrail:${HOME_REGION}:${ACCOUNT}:trail/acme-management-trail`,
  bucket: `acme-cloudtrail-${ACCOUNT}`,
  /** Every region the export holds: the home region and the one the attacker used. */
  regions: [HOME_REGION, GPU_REGION],
};

export const ATTACKER_IP = '198.51.100.23';
export const OFFICE_IP = '203.0.113.10';
export const CI_RUNNER_IPS = ['192.0.2.130', '192.0.2.131', '192.0.2.132', '192.0.2.140'];

export interface IamUser {
  name: string;
  userId: string;
  accessKeyId?: string;
  sourceIp: string;
  browser?: string;
  cli?: string;
}

const FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0';
const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36';
const EDGE_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.92';

/** Developers who work in the console with MFA. */
export const DEVELOPERS: IamUser[] = [
  { name: 'alice.nguyen', userId: 'AIDA4RXQ2B7Y5NWDK3H6T', sourceIp: OFFICE_IP, browser: CHROME_MAC },
  { name: 'bob.martins', userId: 'AIDA4RXQ2B7YXK2MLQ7PZ', sourceIp: OFFICE_IP, browser: FIREFOX },
  { name: 'carol.diaz', userId: 'AIDA4RXQ2B7YR5FJTN2VC', sourceIp: '192.0.2.44', browser: EDGE_WIN },
];

/** A developer who uses the CLI with a long-term access key. */
export const CLI_USER: IamUser = {
  name: 'dave.okafor',
  userId: 'AIDA4RXQ2B7YHV6CZ3EWM',
  accessKeyId: 'AKIA4RXQ2B7YOKAFOR26',
  sourceIp: OFFICE_IP,
  cli: 'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off',
};

/** The user the attacker creates for persistence. */
export const BACKDOOR_USER: IamUser = {
  name: 'svc-backup-sync',
  userId: 'AIDA4RXQ2B7YT3QW5JX2N',
  accessKeyId: 'AKIA4RXQ2B7YQ7M3ZC5V',
  sourceIp: ATTACKER_IP,
};

export interface Role {
  name: string;
  roleId: string;
  arn: string;
}

const role = (name: string, roleId: string): Role => ({ name, roleId, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` });

export const WEB_ROLE = role('acme-web-app-role', 'AROA4RXQ2B7YWEBAPP3KM');
export const CI_ROLE = role('acme-github-deploy', 'AROA4RXQ2B7YCIDEPLY5Q');
export const GITHUB_OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

export interface Instance {
  id: string;
  name: string;
  privateIp: string;
  publicIp: string;
  eni: string;
  subnet: string;
  az: string;
  azId: string;
}

/** Two web servers behind the ALB; web-1 is the one whose role credentials are stolen. */
export const WEB_1: Instance = {
  id: 'i-0a3f7c2e9b1d4e856',
  name: 'acme-web-1',
  privateIp: '10.0.1.25',
  publicIp: '3.231.45.18',
  eni: 'eni-0b7e21c4d9a3f5e60',
  subnet: 'subnet-0e1f2a3b4c5d6e7f8',
  az: 'us-east-1a',
  azId: 'use1-az4',
};
export const WEB_2: Instance = {
  id: 'i-05d2b8e6a1c9f7034',
  name: 'acme-web-2',
  privateIp: '10.0.2.31',
  publicIp: '54.163.90.207',
  eni: 'eni-04c9a8d7e6f5b3a21',
  subnet: 'subnet-09a8b7c6d5e4f3a2b',
  az: 'us-east-1b',
  azId: 'use1-az6',
};
export const WEB_INSTANCES = [WEB_1, WEB_2];

export const VPC_ID = 'vpc-0c1d2e3f4a5b6c7d8';
export const WEB_SG = 'sg-0d4c3b2a1f0e9d8c7';
/** The flow log of the whole VPC, default format. */
export const VPC_FLOW_LOG_ID = 'fl-0a1b2c3d4e5f60718';
/** A second flow log on web-1's subnet, custom version 5 field order. */
export const SUBNET_FLOW_LOG_ID = 'fl-0f9e8d7c6b5a40312';

export const RDS = { ip: '10.0.3.40', eni: 'eni-0e3d2c1b0a9f8e7d6', port: 5432 };

export interface AlbNode {
  privateIp: string;
  publicIp: string;
  eni: string;
}

export const ALB = {
  name: 'acme-shop-prod',
  id: '6f1e0c2b9d8a7e35',
  resource: 'app/acme-shop-prod/6f1e0c2b9d8a7e35',
  domain: 'shop.acme.example',
  targetGroupArn: `arn:aws:elasticloadbalancing:${HOME_REGION}:${ACCOUNT}:targetgroup/acme-shop-web/73e2d6bc24d8a067`,
  certArn: `arn:aws:acm:${HOME_REGION}:${ACCOUNT}:certificate/0c8e9f6a-2b4d-4e1f-9a7c-5d3b1e0f2a4c`,
  targetPort: 8080,
  nodes: [
    { privateIp: '10.0.1.140', publicIp: '34.197.61.12', eni: 'eni-0a9b8c7d6e5f4a3b2' },
    { privateIp: '10.0.2.187', publicIp: '52.70.144.93', eni: 'eni-03f2e1d0c9b8a7f6e' },
  ] as AlbNode[],
};

export const BUCKETS = {
  data: 'acme-customer-data',
  artifacts: 'acme-build-artifacts',
  accessLogs: 'acme-s3-access-logs',
};
/** Canonical user id of the account, the bucket owner in S3 server access logs. */
export const CANONICAL_ID = '7b2c9e41d0a35f86e1b4c7d90a2e5f8c3b6d9e0f1a4c7b2d5e8f0a3c6b9d2e5f';

export const SECRETS = [
  'prod/webapp/db',
  'prod/webapp/session-key',
  'prod/stripe/api-key',
  'prod/sendgrid/api-key',
  'prod/jwt-signing-key',
  'prod/redis/auth-token',
  'prod/partner/shipping-api',
  'prod/github/deploy-token',
  'staging/webapp/db',
  'prod/backup/encryption-key',
  'prod/analytics/warehouse',
  'prod/admin/break-glass',
];
export const SECRETS_KMS_KEY = `arn:aws:kms:${HOME_REGION}:${ACCOUNT}:key/5e1f0a9c-3b7d-4c2e-8f6a-1d9b0c4e7a23`;
