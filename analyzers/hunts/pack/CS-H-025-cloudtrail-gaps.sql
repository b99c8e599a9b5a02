-- @id: CS-H-025
-- @title: Gaps in CloudTrail
-- @description: Stretches of at least min_gap_minutes with no CloudTrail event for an account (or an account and region), with the last event before the gap and the first after it. A StopLogging before and a StartLogging after is an intruder working in the dark; a gap with neither is missing log files (see the coverage hunt). Quiet accounts have natural gaps at night; raise the threshold for them. Longest first.
-- @author: Cloudsift
-- @attack: T1562.008
-- @tags: cloudtrail, logging, gaps, coverage
-- @param min_gap_minutes integer = 60  -- report silences at least this long
-- @param per_region boolean = false  -- look for gaps in each region apart (quiet regions will show many)
WITH minutes AS (
  -- Events are first reduced to one row per minute that has any: the gaps between those are the gaps between events,
  -- and sorting thousands of minutes is much cheaper than sorting millions of events.
  SELECT
    coalesce(recipient_account_id, account_id) AS account,
    CASE WHEN $per_region THEN aws_region ELSE '(all regions)' END AS region,
    epoch_us(event_time) // 60000000 AS m,
    arg_min({'t': event_time, 'name': event_name, 'by': user_arn, 'f': source_file_id, 'r': record_index},
            (event_time, source_file_id, record_index)) AS first_event,
    arg_max({'t': event_time, 'name': event_name, 'by': user_arn, 'f': source_file_id, 'r': record_index},
            (event_time, source_file_id, record_index)) AS last_event
  FROM cloudtrail
  WHERE event_time IS NOT NULL
  GROUP BY ALL
),
ordered AS (
  SELECT account, region, first_event AS after_gap,
         lag(last_event) OVER (PARTITION BY account, region ORDER BY m) AS before_gap
  FROM minutes
)
SELECT
  account,
  region,
  iso(before_gap.t) AS gap_start,
  iso(after_gap.t) AS gap_end,
  round((epoch(after_gap.t) - epoch(before_gap.t)) / 60, 1) AS gap_minutes,
  before_gap.name AS last_event_before,
  before_gap.by AS last_event_by,
  after_gap.name AS first_event_after,
  after_gap.by AS first_event_by,
  [{'tbl': 'cloudtrail', 'source_file_id': before_gap.f, 'record_index': before_gap.r},
   {'tbl': 'cloudtrail', 'source_file_id': after_gap.f, 'record_index': after_gap.r}] AS evidence
FROM ordered
WHERE before_gap IS NOT NULL AND epoch(after_gap.t) - epoch(before_gap.t) >= $min_gap_minutes * 60
ORDER BY gap_minutes DESC, before_gap.t
