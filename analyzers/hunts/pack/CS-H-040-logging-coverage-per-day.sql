-- @id: CS-H-040
-- @title: Log coverage per day and source
-- @description: For each log source and day between its first and last record: records, the files they came from, and the hours of the day with no record at all. Busy sources (CloudTrail, flow logs, load balancers) deliver every few minutes, so an empty hour in the middle of activity is a stopped trail, a deleted flow log, or files that never made it into the export; CloudTrail digests are hourly, so a missing digest hour is a hole in the signed chain. Answers "is the evidence complete?" before anyone relies on an absence.
-- @author: Cloudsift
-- @attack: T1562.008, T1070
-- @tags: case, coverage, logging, gaps
-- @param min_missing_hours integer = 0  -- only days with at least this many empty hours
WITH per_file_hour AS (
  -- Hours as integers (epoch hours): far cheaper than date_trunc on TIMESTAMPTZ over millions of rows.
  SELECT 'cloudtrail' AS source, epoch_us(event_time) // 3600000000 AS h, source_file_id, count(*) AS n
  FROM cloudtrail WHERE event_time IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 'cloudtrail digests', epoch_us(digest_end_time) // 3600000000, source_file_id, count(*)
  FROM digests WHERE digest_end_time IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 'vpc_flow', epoch_us(event_time) // 3600000000, source_file_id, count(*)
  FROM vpc_flow WHERE event_time IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 'elb/' || coalesce(lb_type, 'unknown'), epoch_us(event_time) // 3600000000, source_file_id, count(*)
  FROM elb WHERE event_time IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 's3_access', epoch_us(event_time) // 3600000000, source_file_id, count(*)
  FROM s3_access WHERE event_time IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 'other/' || coalesce(kind, 'unknown'), epoch_us(event_time) // 3600000000, source_file_id, count(*)
  FROM other_records WHERE event_time IS NOT NULL GROUP BY ALL
),
hourly AS (
  SELECT source, h, sum(n) AS records FROM per_file_hour GROUP BY source, h
),
files AS (
  SELECT source, h // 24 AS d, count(DISTINCT source_file_id) AS files FROM per_file_hour GROUP BY source, h // 24
),
all_hours AS (
  SELECT source, unnest(range(min(h), max(h) + 1)) AS h FROM hourly GROUP BY source
),
daily AS (
  SELECT
    a.source,
    a.h // 24 AS d,
    coalesce(sum(c.records), 0) AS records,
    count(*) AS hours_covered,
    count(c.records) AS hours_with_records,
    list(lpad(CAST(a.h % 24 AS VARCHAR), 2, '0') || ':00' ORDER BY a.h) FILTER (WHERE c.records IS NULL) AS empty_hours
  FROM all_hours a
  LEFT JOIN hourly c ON c.source = a.source AND c.h = a.h
  GROUP BY a.source, a.h // 24
)
SELECT
  strftime(to_timestamp(d.d * 86400), '%Y-%m-%d') AS day,
  d.source,
  d.records,
  coalesce(f.files, 0) AS files,
  d.hours_covered,
  d.hours_with_records,
  d.hours_covered - d.hours_with_records AS empty_hour_count,
  coalesce(d.empty_hours, []) AS empty_hours
FROM daily d
LEFT JOIN files f ON f.source = d.source AND f.d = d.d
WHERE d.hours_covered - d.hours_with_records >= $min_missing_hours
ORDER BY d.d, d.source
