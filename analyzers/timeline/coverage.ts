import type { CaseStore } from '../store/caseStore';
import { ensureEventsTable, EVENTS_TABLE } from './eventsTable';

export interface CoverageSeries {
  source: string;
  account: string;
  region: string;
  first: string;
  last: string;
  events: number;
  /** Buckets that hold at least one record, out of the buckets between first and last. */
  bucketsWithData: number;
  bucketsSpanned: number;
}

export interface CoverageGap {
  source: string;
  account: string;
  region: string;
  /** The first moment with no records, and the moment records resume (ISO 8601). */
  from: string;
  to: string;
  minutes: number;
  /** CloudTrail events that explain or bracket the gap (StopLogging, StartLogging, DeleteTrail, ...). */
  explanations: { time: string; event: string; actor: string | null; source_file_id: number; record_index: number }[];
}

export interface Coverage {
  bucketMinutes: number;
  series: CoverageSeries[];
  gaps: CoverageGap[];
}

/**
 * Which periods have logs, per source, account and region, and where the
 * gaps are. Account and region come from the record, or from the AWSLogs/
 * <account>/<service>/<region>/ path of its file when the format lacks them
 * (default VPC flow records carry no region).
 */
export async function coverage(store: CaseStore, opts: { bucketMinutes?: number; minGapBuckets?: number } = {}): Promise<Coverage> {
  await ensureEventsTable(store);
  const m = opts.bucketMinutes ?? 60;
  const minGap = opts.minGapBuckets ?? 2;
  const keyed = `
    SELECT e.source, e.time,
      coalesce(e.account, regexp_extract(s.path, 'AWSLogs/([0-9]{12})/', 1), '-') AS account,
      coalesce(e.region, nullif(regexp_extract(s.path, 'AWSLogs/[0-9]{12}/[^/]+/([a-z]{2}(-[a-z]+)+-[0-9])/', 1), ''), '-') AS region
    FROM ${EVENTS_TABLE} e JOIN sources s USING (source_file_id)`;
  const buckets = `
    SELECT source, account, region, time_bucket(to_minutes($m::BIGINT), time) AS t, count(*) AS n
    FROM (${keyed}) GROUP BY ALL`;
  const series = await store.all<Record<string, unknown>>(
    `SELECT source, account, region, iso(min(t)) AS first, iso(max(t) + to_minutes($m::BIGINT)) AS last, sum(n) AS events,
            count(*) AS with_data, (epoch(max(t)) - epoch(min(t))) // ($m * 60) + 1 AS spanned
     FROM (${buckets}) GROUP BY ALL ORDER BY source, account, region`,
    { m },
  );
  const gaps = await store.all<Record<string, unknown>>(
    `SELECT source, account, region, iso(prev + to_minutes($m::BIGINT)) AS gap_from, iso(t) AS gap_to,
            (epoch(t) - epoch(prev + to_minutes($m::BIGINT))) / 60 AS minutes
     FROM (SELECT *, lag(t) OVER (PARTITION BY source, account, region ORDER BY t) AS prev FROM (${buckets}))
     WHERE prev IS NOT NULL AND epoch(t) - epoch(prev) > $m * 60 * $gap
     ORDER BY gap_from`,
    { m, gap: minGap },
  );
  const controls = await store.all<Record<string, unknown>>(
    `SELECT iso(event_time) AS time, event_time AS ts, event_name AS event, user_arn AS actor, source_file_id, record_index,
            recipient_account_id AS account, aws_region AS region
     FROM cloudtrail
     WHERE event_name IN ('StopLogging', 'StartLogging', 'DeleteTrail', 'CreateTrail', 'UpdateTrail', 'PutEventSelectors',
                          'DeleteFlowLogs', 'CreateFlowLogs', 'DeleteBucketLogging', 'PutBucketLogging', 'DeleteLoadBalancer',
                          'ModifyLoadBalancerAttributes')
     ORDER BY event_time`,
  );
  return {
    bucketMinutes: m,
    series: series.map((r) => ({
      source: String(r.source),
      account: String(r.account),
      region: String(r.region),
      first: String(r.first),
      last: String(r.last),
      events: Number(r.events),
      bucketsWithData: Number(r.with_data),
      bucketsSpanned: Number(r.spanned),
    })),
    gaps: gaps.map((g) => {
      const from = Date.parse(String(g.gap_from));
      const to = Date.parse(String(g.gap_to));
      const slack = m * 60_000;
      return {
        source: String(g.source),
        account: String(g.account),
        region: String(g.region),
        from: String(g.gap_from),
        to: String(g.gap_to),
        minutes: Number(g.minutes),
        explanations: controls
          .filter((c) => {
            const t = Date.parse(String(c.time));
            return t >= from - slack && t <= to + slack;
          })
          .map((c) => ({ time: String(c.time), event: String(c.event), actor: (c.actor as string | null) ?? null, source_file_id: Number(c.source_file_id), record_index: Number(c.record_index) })),
      };
    }),
  };
}
