-- @id: CS-H-013
-- @title: Role assumptions: who assumed which role, from where
-- @description: STS AssumeRole, AssumeRoleWithSAML and AssumeRoleWithWebIdentity per caller and target role: how often, from which addresses, with which session names, and whether it failed. A caller that is itself a role session is a chain; caller_assumed_by names who assumed the caller's role, so two hops read in one row. Roles assumed from another account are marked cross_account. AWS services assuming service roles are left out unless include_services is set.
-- @author: Cloudsift
-- @attack: T1550.001, T1078.004, T1098.003
-- @tags: cloudtrail, sts, roles, lateral-movement
-- @param include_services boolean = false  -- keep assumptions made by AWS services (EC2 instance profiles, Lambda, ...)
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only assumptions at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only assumptions before this time
-- @param max_refs integer = 20  -- evidence references kept per row
WITH assumes AS (
  SELECT
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS caller,
    user_type AS caller_type,
    coalesce(account_id, recipient_account_id) AS caller_account,
    event_name, event_time, source_ip, user_agent, error_code, source_file_id, record_index,
    request_parameters ->> 'roleArn' AS role_arn,
    request_parameters ->> 'roleSessionName' AS session_name,
    response_elements -> 'credentials' ->> 'accessKeyId' AS issued_key
  FROM cloudtrail
  WHERE event_source = 'sts.amazonaws.com'
    AND event_name IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity')
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
    AND ($include_services OR user_type IS DISTINCT FROM 'AWSService')
),
pairs AS (
  SELECT
    caller,
    any_value(caller_type) AS caller_type,
    role_arn,
    list(DISTINCT event_name ORDER BY event_name) FILTER (WHERE event_name IS NOT NULL) AS event_names,
    count(*) AS assumptions,
    count(*) FILTER (WHERE error_code IS NOT NULL) AS failed,
    list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
    list(DISTINCT session_name ORDER BY session_name) FILTER (WHERE session_name IS NOT NULL) AS session_names,
    list(DISTINCT user_agent ORDER BY user_agent) FILTER (WHERE user_agent IS NOT NULL) AS user_agents,
    count(DISTINCT issued_key) AS credentials_issued,
    bool_or(split_part(role_arn, ':', 5) <> caller_account) AS cross_account,
    min(event_time) AS first_time,
    max(event_time) AS last_time,
    min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
           (event_time, source_file_id, record_index), $max_refs) AS evidence
  FROM assumes
  GROUP BY caller, role_arn
)
SELECT
  p.caller,
  p.caller_type,
  p.role_arn,
  p.caller_type = 'AssumedRole' AS chained,
  (SELECT list(DISTINCT q.caller ORDER BY q.caller) FILTER (WHERE q.caller IS NOT NULL) FROM pairs q WHERE q.role_arn = p.caller) AS caller_assumed_by,
  p.cross_account,
  p.event_names,
  p.assumptions,
  p.failed,
  p.source_ips,
  p.session_names,
  p.user_agents,
  p.credentials_issued,
  iso(p.first_time) AS first_seen,
  iso(p.last_time) AS last_seen,
  p.evidence
FROM pairs p
ORDER BY p.first_time, p.caller, p.role_arn
