-- @id: CS-H-016
-- @title: New access keys and their first use
-- @description: Every CreateAccessKey in the case, with who created the key for whom and from where, then the key's first use: when, how long after creation, from which address and user agent, and how much it was used (calls AWS services made on the key's behalf, such as the KMS decrypts behind GetSecretValue, are not counted). A key created by a role session or from an unfamiliar address and used minutes later from elsewhere is persistence.
-- @author: Cloudsift
-- @attack: T1098.001, T1136.003
-- @tags: cloudtrail, iam, credentials, persistence
-- @param max_refs integer = 20  -- evidence references of the key's use kept per row
WITH created AS (
  SELECT
    event_time AS created_time,
    response_elements -> 'accessKey' ->> 'accessKeyId' AS new_key,
    coalesce(response_elements -> 'accessKey' ->> 'userName', request_parameters ->> 'userName', user_name) AS key_user,
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS created_by,
    source_ip AS created_from,
    user_agent AS created_with,
    source_file_id, record_index
  FROM cloudtrail
  WHERE event_source = 'iam.amazonaws.com' AND event_name = 'CreateAccessKey' AND error_code IS NULL
),
uses AS (
  SELECT c.access_key_id, c.event_time, c.source_ip, c.user_agent, c.event_name, c.source_file_id, c.record_index
  FROM cloudtrail c
  WHERE c.access_key_id IN (SELECT new_key FROM created WHERE new_key IS NOT NULL)
    AND c.invoked_by IS NULL
),
use_summary AS (
  SELECT
    access_key_id,
    arg_min({'t': event_time, 'ip': source_ip, 'ua': user_agent, 'call': event_name},
            (event_time, source_file_id, record_index)) AS first_use,
    max(event_time) AS last_time,
    count(*) AS uses,
    count(DISTINCT source_ip) AS distinct_ips,
    list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
    min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
           (event_time, source_file_id, record_index), $max_refs) AS use_evidence
  FROM uses
  GROUP BY access_key_id
)
SELECT
  created.new_key AS access_key_id,
  created.key_user AS user_name,
  iso(created.created_time) AS created,
  created.created_by,
  created.created_from,
  created.created_with,
  iso(u.first_use.t) AS first_used,
  round((epoch(u.first_use.t) - epoch(created.created_time)) / 60, 1) AS minutes_to_first_use,
  u.first_use.ip AS first_use_ip,
  u.first_use.ua AS first_use_user_agent,
  u.first_use.call AS first_call,
  iso(u.last_time) AS last_used,
  coalesce(u.uses, 0) AS uses,
  u.distinct_ips,
  u.source_ips,
  created.source_file_id,
  created.record_index,
  u.use_evidence
FROM created
LEFT JOIN use_summary u ON u.access_key_id = created.new_key
ORDER BY created.created_time, created.source_file_id, created.record_index
