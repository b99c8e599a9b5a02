-- @id: CS-H-024
-- @title: Principals at a glance
-- @description: Every principal in CloudTrail with its volume, active period, number of addresses, regions, services and access keys, its share of failed and of write calls, and whether it signed in to the console. The first table to read in a new case: who is here, and who looks unlike the rest. Role sessions count as their role. Most calls first.
-- @author: Cloudsift
-- @attack: T1078.004
-- @tags: cloudtrail, overview, principals
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only calls at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only calls before this time
-- @param min_events integer = 1  -- leave out principals with fewer calls
SELECT
  CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
       ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
  any_value(user_type) AS user_type,
  count(*) AS events,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  count(DISTINCT source_ip) AS distinct_source_ips,
  count(DISTINCT aws_region) AS regions,
  count(DISTINCT event_source) AS services,
  count(DISTINCT event_name) AS distinct_calls,
  count(DISTINCT access_key_id) AS access_keys,
  count(DISTINCT user_arn) AS sessions_or_arns,
  round(100.0 * count(*) FILTER (WHERE error_code IS NOT NULL) / count(*), 1) AS failed_pct,
  round(100.0 * count(*) FILTER (WHERE read_only = false) / count(*), 1) AS write_pct,
  count(*) FILTER (WHERE event_name = 'ConsoleLogin') AS console_sign_ins,
  arg_min(source_file_id, (event_time, source_file_id, record_index)) AS source_file_id,
  arg_min(record_index, (event_time, source_file_id, record_index)) AS record_index
FROM cloudtrail
WHERE event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
GROUP BY ALL
HAVING count(*) >= $min_events
ORDER BY events DESC, principal
