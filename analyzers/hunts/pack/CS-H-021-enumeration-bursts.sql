-- @id: CS-H-021
-- @title: Enumeration bursts
-- @description: Windows of window_minutes in which one principal made many different API calls across several services: the shape of automated reconnaissance (Pacu, ScoutSuite, enumerate-iam, a hand-written boto loop) right after credentials are stolen. Failures are counted, since probing what a key allows fails a lot. One row per principal and window, largest first.
-- @author: Cloudsift
-- @attack: T1580, T1526, T1087.004, T1069.003
-- @tags: cloudtrail, discovery, burst
-- @param window_minutes integer = 5  -- length of the windows calls are counted in
-- @param min_distinct_calls integer = 15  -- at least this many different API calls in a window
-- @param min_services integer = 3  -- across at least this many services
-- @param max_refs integer = 50  -- evidence references kept per row
WITH bucketed AS (
  SELECT
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
    epoch_us(event_time) // (60000000 * $window_minutes) AS w,
    event_source, event_name, event_time, source_ip, user_agent, error_code, source_file_id, record_index
  FROM cloudtrail
  WHERE event_name IS NOT NULL AND user_type IS DISTINCT FROM 'AWSService'
),
bursts AS (
  SELECT principal, w
  FROM bucketed
  GROUP BY principal, w
  HAVING count(DISTINCT event_name) >= $min_distinct_calls AND count(DISTINCT event_source) >= $min_services
)
SELECT
  principal,
  iso(to_timestamp(w * 60 * $window_minutes)) AS window_start,
  iso(min(event_time)) AS first_call,
  iso(max(event_time)) AS last_call,
  count(*) AS calls,
  count(DISTINCT event_name) AS distinct_calls,
  count(DISTINCT event_source) AS services,
  count(*) FILTER (WHERE error_code IS NOT NULL) AS failed,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  list(DISTINCT user_agent ORDER BY user_agent) FILTER (WHERE user_agent IS NOT NULL) AS user_agents,
  list(DISTINCT event_source ORDER BY event_source) FILTER (WHERE event_source IS NOT NULL) AS service_list,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM bucketed
JOIN bursts USING (principal, w)
GROUP BY principal, w
ORDER BY distinct_calls DESC, w, principal
