import zlib from 'node:zlib';
import { detectVpcLayout, type VpcLayout } from './vpcFlow';
import { looksLikeElbLine } from './elb';
import { looksLikeS3AccessLine } from './s3Access';

/** How many decompressed bytes are looked at to decide a file's format. */
export const SNIFF_BYTES = 256 * 1024;

export type Detected =
  | { family: 'archive'; archive: 'zip' | 'tar' | 'tar.gz' }
  | { family: 'parquet' }
  | { family: 'json' }
  | { family: 'vpcflow'; layout: VpcLayout; headerLine: boolean }
  | { family: 'elb' }
  | { family: 's3access' }
  | { family: 'cloudfront' }
  | { family: 'cwl-export' }
  | { family: 'reject'; reason: string };

export function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The first bytes of a gzip stream's content, even when the stream is truncated. */
export function gunzipPrefix(bytes: Buffer, limit = SNIFF_BYTES): Buffer {
  try {
    const out = zlib.gunzipSync(bytes.subarray(0, Math.min(bytes.length, limit)), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
    return out.subarray(0, limit);
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * Decide a file's format from its content, never its name: exported logs
 * lose their extensions, and a file named .json can hold anything.
 */
export function detectFormat(raw: Buffer, content: Buffer, truncatedPrefix: boolean, vpcLayouts?: string[]): Detected {
  if (raw.length >= 4 && raw[0] === 0x50 && raw[1] === 0x4b && raw[2] === 0x03 && raw[3] === 0x04) return { family: 'archive', archive: 'zip' };
  if (raw.length >= 4 && raw.toString('latin1', 0, 4) === 'PAR1') return { family: 'parquet' };
  if (content.length >= 262 && content.toString('latin1', 257, 262) === 'ustar') {
    return { family: 'archive', archive: isGzip(raw) ? 'tar.gz' : 'tar' };
  }
  if (content.length === 0) return { family: 'reject', reason: isGzip(raw) ? 'gzip stream holds no data (damaged or empty)' : 'empty file' };
  if (content.includes(0)) return { family: 'reject', reason: 'binary file: not a log format Cloudsift reads' };
  let first = 0;
  while (first < content.length && (content[first] === 0x20 || content[first] === 0x0a || content[first] === 0x0d || content[first] === 0x09 || content[first] === 0xef || content[first] === 0xbb || content[first] === 0xbf)) first++;
  if (first >= content.length) return { family: 'reject', reason: 'file holds only whitespace' };
  if (content[first] === 0x7b || content[first] === 0x5b) return { family: 'json' };

  const lines = firstLines(content, truncatedPrefix, 20);
  if (lines.length === 0) return { family: 'reject', reason: 'no complete line in the first 256 KiB' };
  if (lines[0].startsWith('#Version:') || lines[0].startsWith('#Fields:')) return { family: 'cloudfront' };
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \{/.test(lines[0])) return { family: 'cwl-export' };
  const vpc = detectVpcLayout(lines, vpcLayouts);
  if (vpc) {
    if ('error' in vpc) return { family: 'reject', reason: vpc.error };
    return { family: 'vpcflow', layout: vpc.layout, headerLine: vpc.headerLine };
  }
  const elb = lines.filter(looksLikeElbLine).length;
  const s3 = lines.filter(looksLikeS3AccessLine).length;
  if (elb > 0 && elb >= s3) return { family: 'elb' };
  if (s3 > 0) return { family: 's3access' };
  return { family: 'reject', reason: `unrecognised format; first line: ${lines[0].slice(0, 120)}` };
}

function firstLines(content: Buffer, truncated: boolean, max: number): string[] {
  let text = content.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parts = text.split('\n');
  if (truncated && parts.length > 1) parts.pop();
  return parts.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '').slice(0, max);
}
