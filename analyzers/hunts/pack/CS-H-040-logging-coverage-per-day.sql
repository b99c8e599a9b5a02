-- @id: CS-H-040
-- @title: Log coverage per day and source
-- @description: For each log source and day between its first and last record: records, the files they came from, and the hours of the day with no record at all. Busy sources (CloudTrail, flow logs, load balancers) deliver every few minutes, so an empty hour in the middle of activity is a stopped trail, a deleted flow log, or files that never made it into the export; CloudTrail digests are hourly, so a missing digest hour is a hole in the signed chain. Answers "is the evidence complete?" before anyone relies on an absence.
-- @author: Cloudsift
-- @attack: T1562.008, T1070
-- @tags: case, coverage, logging, gaps
-- @param min_missing_hours integer = 0  -- only days with at least this many empty hours
WITH hourly AS (
  SELECT 'cloudtrail' AS source, date_trunc('hour', event_time) AS hour, count(*) AS records
  FROM cloudtrail WHERE event_time IS NOT NULL GROUP BY 1, 2
  UNION ALL
  SELECT 'cloudtrail digests', date_trunc('hour', digest_end_time), count(*)
  FROM digests WHERE digest_end_time IS NOT NULL GROUP BY 1, 2
  UNION ALL
  SELECT 'vpc_flow', date_trunc('hour', event_time), count(*)
  FROM vpc_flow WHERE event_time IS NOT NULL GROUP BY 1, 2
  UNION ALL
  SELECT 'elb/' || coalesce(lb_type, 'unknown'), date_trunc('hour', event_time), count(*)
  FROM elb WHERE event_time IS NOT NULL GROUP BY 1, 2
  UNION ALL
  SELECT 's3_access', date_trunc('hour', event_time), count(*)
  FROM s3_access WHERE event_time IS NOT NULL GROUP BY 1, 2
  UNION ALL
  SELECT 'other/' || coalesce(kind, 'unknown'), date_trunc('hour', event_time), count(*)
  FROM other_records WHERE event_time IS NOT NULL GROUP BY 1, 2
),
spans AS (
  SELECT source, min(hour) AS first_hour, max(hour) AS last_hour FROM hourly GROUP BY source
),
all_hours AS (
  SELECT source, unnest(generate_series(first_hour, last_hour, INTERVAL 1 HOUR)) AS hour FROM spans
),
per_hour AS (
  SELECT a.source, a.hour, coalesce(h.records, 0) AS records
  FROM all_hours a LEFT JOIN hourly h ON h.source = a.source AND h.hour = a.hour
),
daily AS (
  SELECT
    source,
    date_trunc('day', hour) AS day,
    sum(records) AS records,
    count(*) AS hours_covered,
    count(*) FILTER (WHERE records > 0) AS hours_with_records,
    list(strftime(hour, '%H:00') ORDER BY hour) FILTER (WHERE records = 0) AS empty_hours
  FROM per_hour
  GROUP BY source, date_trunc('day', hour)
),
files AS (
  SELECT s.source, s.day, count(DISTINCT s.source_file_id) AS files
  FROM (
    SELECT 'cloudtrail' AS source, date_trunc('day', event_time) AS day, source_file_id FROM cloudtrail
    UNION ALL SELECT 'cloudtrail digests', date_trunc('day', digest_end_time), source_file_id FROM digests
    UNION ALL SELECT 'vpc_flow', date_trunc('day', event_time), source_file_id FROM vpc_flow
    UNION ALL SELECT 'elb/' || coalesce(lb_type, 'unknown'), date_trunc('day', event_time), source_file_id FROM elb
    UNION ALL SELECT 's3_access', date_trunc('day', event_time), source_file_id FROM s3_access
    UNION ALL SELECT 'other/' || coalesce(kind, 'unknown'), date_trunc('day', event_time), source_file_id FROM other_records
  ) s
  GROUP BY s.source, s.day
)
SELECT
  strftime(d.day, '%Y-%m-%d') AS day,
  d.source,
  d.records,
  coalesce(f.files, 0) AS files,
  d.hours_covered,
  d.hours_with_records,
  d.hours_covered - d.hours_with_records AS empty_hour_count,
  coalesce(d.empty_hours, []) AS empty_hours
FROM daily d
LEFT JOIN files f ON f.source = d.source AND f.day = d.day
WHERE d.hours_covered - d.hours_with_records >= $min_missing_hours
ORDER BY d.day, d.source
