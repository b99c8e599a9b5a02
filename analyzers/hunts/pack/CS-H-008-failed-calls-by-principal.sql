-- @id: CS-H-008
-- @title: Failed calls per principal and error code
-- @description: CloudTrail calls that returned an error, per principal and error code: how many, which API calls, from which addresses, and when. A principal collecting AccessDenied and UnauthorizedOperation across many services is probing what its stolen credentials allow. Most failures first.
-- @author: Cloudsift
-- @attack: T1580, T1526, T1087.004
-- @tags: cloudtrail, errors, discovery
-- @param min_failures integer = 1  -- at least this many failed calls with the code
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only calls at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only calls before this time
-- @param max_refs integer = 20  -- evidence references kept per row
SELECT
  CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
       ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
  error_code,
  count(*) AS failures,
  count(DISTINCT event_source) AS services,
  count(DISTINCT event_name) AS distinct_calls,
  list(DISTINCT event_name ORDER BY event_name) FILTER (WHERE event_name IS NOT NULL) AS event_names,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  list(DISTINCT access_key_id ORDER BY access_key_id) FILTER (WHERE access_key_id IS NOT NULL) AS access_key_ids,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM cloudtrail
WHERE error_code IS NOT NULL
  AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
GROUP BY ALL
HAVING count(*) >= $min_failures
ORDER BY failures DESC, principal, error_code
