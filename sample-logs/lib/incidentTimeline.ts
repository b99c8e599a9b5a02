/**
 * When each step of the incident happens (UTC, day 2), and who does it. The
 * README's timeline is this table; every source draws its times from here so
 * that the attacker's address and the clock agree across all logs.
 */
import type { RoleSession } from './cloudtrailRecord';
import { instanceSession } from './identities';
import { DAY, HOUR, MINUTE } from './timefmt';
import { BASE_TIME, WEB_1 } from './world';

const DAY2 = BASE_TIME + DAY;
export const at = (h: number, m: number, s = 0): number => DAY2 + h * HOUR + m * MINUTE + s * 1000;

export const INCIDENT = {
  niktoStart: at(8, 57, 3),
  xssProbes: at(9, 3, 40),
  traversal: at(9, 4, 10),
  sqlmapStart: at(9, 5, 0),
  ssrfProbe: at(9, 10, 41),
  /** The SSRF request that returns web-1's instance role credentials. */
  credentialTheft: at(9, 11, 26),
  firstStolenUse: at(9, 16, 5),
  recon: at(9, 18, 0),
  enumerationBurst: at(9, 20, 0),
  createUser: at(9, 27, 14),
  backdoorFirstUse: at(9, 31, 2),
  stopLogging: at(9, 33, 47),
  s3ListBucket: at(9, 38, 20),
  s3ExfilEnd: at(10, 31, 0),
  sshRejected: at(9, 44, 12),
  startLogging: at(10, 52, 30),
  openSsh: at(10, 54, 10),
  gpuLaunch: at(10, 56, 5),
  consoleLogin: at(11, 2, 11),
  secretsBurst: at(11, 8, 0),
  sshSession: at(11, 12, 20),
  sshSessionEnd: at(11, 41, 40),
  publicAccessBlockRemoved: at(11, 31, 5),
  bucketMadePublic: at(11, 31, 40),
  anonymousReads: at(11, 36, 0),
  end: at(11, 48, 30),
};

/** The session the SSRF leaked: web-1's instance profile credentials at that moment. */
export const STOLEN_SESSION: RoleSession = instanceSession(WEB_1, INCIDENT.credentialTheft);

export const ATTACKER_CLI =
  'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#kali.2024 md/prompt#off';
export const ATTACKER_BOTO3 =
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69';
export const ATTACKER_BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0';
export const XSS_SCRIPT = '<script>alert(1)</script>';
export const XSS_IMG = '<img src=x onerror=alert(1)>';
