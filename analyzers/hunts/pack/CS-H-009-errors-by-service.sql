-- @id: CS-H-009
-- @title: Errors by service and error code
-- @description: CloudTrail errors per service and error code, with the number of principals and addresses behind them. Shows at a glance whether failures are one misconfigured job or many principals hitting a wall, and which services an intruder tried. Most errors first.
-- @author: Cloudsift
-- @attack: T1526, T1580
-- @tags: cloudtrail, errors, overview
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only calls at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only calls before this time
-- @param max_refs integer = 10  -- evidence references kept per row
SELECT
  event_source,
  error_code,
  count(*) AS errors,
  count(DISTINCT CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
                      ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END) AS principals,
  count(DISTINCT source_ip) AS source_ips,
  list(DISTINCT event_name ORDER BY event_name) FILTER (WHERE event_name IS NOT NULL) AS event_names,
  arg_min(error_message, (event_time, source_file_id, record_index)) AS example_message,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM cloudtrail
WHERE error_code IS NOT NULL
  AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
GROUP BY event_source, error_code
ORDER BY errors DESC, event_source, error_code
