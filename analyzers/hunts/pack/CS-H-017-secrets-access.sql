-- @id: CS-H-017
-- @title: Secrets read per principal
-- @description: Secrets Manager and SSM Parameter Store reads per principal: how many secrets or parameters, which, how fast, from where, and how many were denied. A principal that lists secrets and then reads every one in a minute or two is harvesting credentials. Most secrets first.
-- @author: Cloudsift
-- @attack: T1555.006, T1552
-- @tags: cloudtrail, secrets, credential-access
-- @param event_names varchar[] = ["GetSecretValue", "BatchGetSecretValue", "ListSecrets", "DescribeSecret", "GetParameter", "GetParameters", "GetParametersByPath"]  -- calls that read or list secrets
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only calls at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only calls before this time
-- @param max_refs integer = 50  -- evidence references kept per row
WITH reads AS (
  SELECT
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
    event_source, event_name, event_time, source_ip, error_code, source_file_id, record_index,
    coalesce(request_parameters ->> 'secretId', request_parameters ->> 'name', request_parameters ->> 'path',
             CASE WHEN json_exists(request_parameters, '$.names') THEN (request_parameters -> 'names')::VARCHAR END,
             CASE WHEN json_exists(request_parameters, '$.secretIdList') THEN (request_parameters -> 'secretIdList')::VARCHAR END) AS secret
  FROM cloudtrail
  WHERE event_source IN ('secretsmanager.amazonaws.com', 'ssm.amazonaws.com')
    AND list_contains($event_names, event_name)
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
)
SELECT
  principal,
  event_source,
  count(*) AS calls,
  count(*) FILTER (WHERE error_code IS NOT NULL) AS denied,
  count(DISTINCT secret) FILTER (WHERE event_name NOT IN ('ListSecrets', 'DescribeSecret')) AS secrets_read,
  list(DISTINCT secret ORDER BY secret) FILTER (WHERE secret IS NOT NULL AND event_name NOT IN ('ListSecrets', 'DescribeSecret')) AS secrets,
  list(DISTINCT event_name ORDER BY event_name) FILTER (WHERE event_name IS NOT NULL) AS event_names,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  round(epoch(max(event_time)) - epoch(min(event_time))) AS seconds_span,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM reads
GROUP BY principal, event_source
ORDER BY secrets_read DESC, calls DESC, principal
