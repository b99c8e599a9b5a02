-- @id: CS-H-025
-- @title: Gaps in CloudTrail
-- @description: Stretches of at least min_gap_minutes with no CloudTrail event for an account (or an account and region), with the last event before the gap and the first after it. A StopLogging before and a StartLogging after is an intruder working in the dark; a gap with neither is missing log files (see the coverage hunt). Quiet accounts have natural gaps at night; raise the threshold for them. Longest first.
-- @author: Cloudsift
-- @attack: T1562.008
-- @tags: cloudtrail, logging, gaps, coverage
-- @param min_gap_minutes integer = 60  -- report silences at least this long
-- @param per_region boolean = false  -- look for gaps in each region apart (quiet regions will show many)
WITH ordered AS (
  SELECT
    coalesce(recipient_account_id, account_id) AS account,
    CASE WHEN $per_region THEN aws_region ELSE '(all regions)' END AS region,
    event_time, event_name, user_arn, source_file_id, record_index,
    lag(event_time) OVER w AS prev_time,
    lag(event_name) OVER w AS prev_event,
    lag(user_arn) OVER w AS prev_user,
    lag(source_file_id) OVER w AS prev_file,
    lag(record_index) OVER w AS prev_index
  FROM cloudtrail
  WHERE event_time IS NOT NULL
  WINDOW w AS (PARTITION BY coalesce(recipient_account_id, account_id), CASE WHEN $per_region THEN aws_region ELSE '(all regions)' END
               ORDER BY event_time, source_file_id, record_index)
)
SELECT
  account,
  region,
  iso(prev_time) AS gap_start,
  iso(event_time) AS gap_end,
  round((epoch(event_time) - epoch(prev_time)) / 60, 1) AS gap_minutes,
  prev_event AS last_event_before,
  prev_user AS last_event_by,
  event_name AS first_event_after,
  user_arn AS first_event_by,
  [{'tbl': 'cloudtrail', 'source_file_id': prev_file, 'record_index': prev_index},
   {'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index}] AS evidence
FROM ordered
WHERE prev_time IS NOT NULL AND epoch(event_time) - epoch(prev_time) >= $min_gap_minutes * 60
ORDER BY gap_minutes DESC, ordered.prev_time
