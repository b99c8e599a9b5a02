-- @id: CS-H-015
-- @title: Root user activity
-- @description: Every call made as the account root user, in time order: sign-ins, console browsing, API calls with root access keys, and failures. Root should almost never be used; any root access key, or a root sign-in from an unfamiliar address or without MFA, is a finding. Calls AWS makes for root on its own (invoked_by set) are kept and marked.
-- @author: Cloudsift
-- @attack: T1078.004
-- @tags: cloudtrail, root, privileged
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only calls at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only calls before this time
SELECT
  iso(event_time) AS event_time,
  event_source,
  event_name,
  coalesce(recipient_account_id, account_id) AS account,
  source_ip,
  user_agent,
  access_key_id,
  CASE WHEN event_name = 'ConsoleLogin' THEN additional_event_data ->> 'MFAUsed' END AS mfa_used,
  mfa_authenticated AS session_mfa,
  coalesce(console_login_result, error_code) AS result,
  error_message,
  invoked_by,
  aws_region,
  source_file_id,
  record_index
FROM cloudtrail
WHERE user_type = 'Root'
  AND cloudtrail.event_time >= $since::TIMESTAMPTZ AND cloudtrail.event_time < $until::TIMESTAMPTZ
ORDER BY cloudtrail.event_time, source_file_id, record_index
