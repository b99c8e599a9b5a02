-- @id: CS-H-006
-- @title: Console sign-ins by principal, with MFA and addresses
-- @description: ConsoleLogin events per principal: successes, failures, successful sign-ins without MFA, and the addresses and browsers used. A backdoor user signing in without MFA, a root sign-in, or a burst of failures from a new address all show here. Principals with a sign-in without MFA come first.
-- @author: Cloudsift
-- @attack: T1078.004, T1110
-- @tags: cloudtrail, console, mfa, authentication
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only sign-ins at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only sign-ins before this time
-- @param max_refs integer = 50  -- evidence references kept per row
WITH logins AS (
  SELECT
    coalesce(user_arn, user_name, principal_id, user_type) AS principal,
    user_type, event_time, source_ip, user_agent, source_file_id, record_index,
    coalesce(console_login_result, CASE WHEN error_message IS NOT NULL OR error_code IS NOT NULL THEN 'Failure' END) AS result,
    additional_event_data ->> 'MFAUsed' AS mfa_used
  FROM cloudtrail
  WHERE event_name = 'ConsoleLogin'
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
)
SELECT
  principal,
  any_value(user_type) AS user_type,
  count(*) AS sign_ins,
  count(*) FILTER (WHERE result = 'Success') AS successes,
  count(*) FILTER (WHERE result IS DISTINCT FROM 'Success') AS failures,
  count(*) FILTER (WHERE result = 'Success' AND mfa_used IS DISTINCT FROM 'Yes') AS successes_without_mfa,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  list(DISTINCT user_agent ORDER BY user_agent) FILTER (WHERE user_agent IS NOT NULL) AS user_agents,
  iso(min(event_time)) AS first_sign_in,
  iso(max(event_time)) AS last_sign_in,
  iso(max(event_time) FILTER (WHERE result = 'Success' AND mfa_used IS DISTINCT FROM 'Yes')) AS last_sign_in_without_mfa,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM logins
GROUP BY principal
ORDER BY successes_without_mfa > 0 DESC, failures DESC, principal
