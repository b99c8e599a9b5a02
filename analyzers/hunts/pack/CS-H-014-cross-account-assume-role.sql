-- @id: CS-H-014
-- @title: Cross-account role assumptions
-- @description: AssumeRole calls that cross an account boundary, both ways: principals of the logged account assuming roles in other accounts (outbound: where could an intruder go next?), and principals of other accounts assuming roles here (inbound: who from outside holds a way in?). Per direction, caller and role, with accounts, addresses, session names and counts. Unknown outside accounts deserve a look.
-- @author: Cloudsift
-- @attack: T1199, T1078.004, T1550.001
-- @tags: cloudtrail, sts, cross-account, lateral-movement
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only assumptions at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only assumptions before this time
-- @param max_refs integer = 20  -- evidence references kept per row
WITH assumes AS (
  SELECT
    coalesce(user_arn, principal_id, user_type) AS caller,
    user_type AS caller_type,
    account_id AS caller_account,
    recipient_account_id AS logged_account,
    request_parameters ->> 'roleArn' AS role_arn,
    request_parameters ->> 'roleSessionName' AS session_name,
    event_time, source_ip, error_code, source_file_id, record_index
  FROM cloudtrail
  WHERE event_source = 'sts.amazonaws.com' AND event_name = 'AssumeRole' AND account_id IS NOT NULL
),
crossing AS (
  SELECT *,
    split_part(role_arn, ':', 5) AS role_account,
    CASE WHEN caller_account <> coalesce(logged_account, caller_account) THEN 'inbound' ELSE 'outbound' END AS direction
  FROM assumes
  WHERE event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
    AND (caller_account <> coalesce(logged_account, caller_account)
         OR split_part(role_arn, ':', 5) <> caller_account)
)
SELECT
  direction,
  caller_account,
  caller,
  any_value(caller_type) AS caller_type,
  role_account,
  role_arn,
  count(*) AS assumptions,
  count(*) FILTER (WHERE error_code IS NOT NULL) AS failed,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  list(DISTINCT session_name ORDER BY session_name) FILTER (WHERE session_name IS NOT NULL) AS session_names,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM crossing
GROUP BY direction, caller_account, caller, role_account, role_arn
ORDER BY direction, min(event_time), caller, role_arn
