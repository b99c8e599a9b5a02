/**
 * Packs CloudTrail records into log files the way CloudTrail delivers them:
 * one or more files per region and five-minute delivery window, named for
 * the end of the window, holding a minified {"Records":[...]} document.
 */
import type { Rng } from './rng';
import type { CloudTrailRecord } from './cloudtrailRecord';
import { compactMinute, ymdPath, MINUTE } from './timefmt';

export interface TimedRecord {
  time: number;
  region: string;
  record: CloudTrailRecord;
}

export interface CloudTrailLogFile {
  /** S3 key, which is also the path below the export root. */
  key: string;
  region: string;
  deliveredAt: number;
  oldestEventTime: number;
  newestEventTime: number;
  /** The decompressed file: what digests hash. */
  content: Buffer;
  records: number;
}

export const DELIVERY_WINDOW = 5 * MINUTE;

export function cloudTrailLogKey(rng: Rng, account: string, region: string, deliveredAt: number): string {
  return `AWSLogs/${account}/CloudTrail/${region}/${ymdPath(deliveredAt)}/${account}_CloudTrail_${region}_${compactMinute(deliveredAt)}_${rng.alnum(16)}.json.gz`;
}

export function cloudTrailDocument(records: CloudTrailRecord[]): string {
  return JSON.stringify({ Records: records });
}

/**
 * Several delivery hosts write a busy window, so it arrives as more than one
 * file, and records inside a file are only roughly in time order.
 */
export function packCloudTrailFiles(rng: Rng, account: string, events: TimedRecord[]): CloudTrailLogFile[] {
  const windows = new Map<string, TimedRecord[]>();
  for (const e of events) {
    const deliveredAt = (Math.floor(e.time / DELIVERY_WINDOW) + 1) * DELIVERY_WINDOW;
    const k = `${e.region}|${deliveredAt}`;
    const list = windows.get(k);
    if (list) list.push(e);
    else windows.set(k, [e]);
  }
  const keys = [...windows.keys()].sort((a, b) => {
    const [ra, ta] = a.split('|');
    const [rb, tb] = b.split('|');
    return Number(ta) - Number(tb) || ra.localeCompare(rb);
  });
  const files: CloudTrailLogFile[] = [];
  for (const k of keys) {
    const [region, at] = k.split('|');
    const deliveredAt = Number(at);
    const list = windows.get(k)!.sort((a, b) => a.time - b.time);
    const parts = Math.min(list.length, 1 + Math.floor(list.length / 60) + (rng.chance(0.15) ? 1 : 0), 4);
    const buckets: TimedRecord[][] = Array.from({ length: parts }, () => []);
    for (const e of list) buckets[rng.int(0, parts - 1)].push(e);
    for (const bucket of buckets) {
      if (bucket.length === 0) continue;
      for (let i = 0; i + 1 < bucket.length; i++) {
        if (rng.chance(0.08)) [bucket[i], bucket[i + 1]] = [bucket[i + 1], bucket[i]];
      }
      let oldest = Infinity;
      let newest = -Infinity;
      for (const e of bucket) {
        oldest = Math.min(oldest, e.time);
        newest = Math.max(newest, e.time);
      }
      files.push({
        key: cloudTrailLogKey(rng, account, region, deliveredAt),
        region,
        deliveredAt,
        oldestEventTime: oldest,
        newestEventTime: newest,
        content: Buffer.from(cloudTrailDocument(bucket.map((e) => e.record)), 'utf8'),
        records: bucket.length,
      });
    }
  }
  return files;
}
