-- @id: CS-H-012
-- @title: KMS usage per principal
-- @description: AWS KMS calls per principal and operation: how many, on how many keys, how many failed, from where. Decrypt bursts follow secret theft and data pulls; ScheduleKeyDeletion, DisableKey and PutKeyPolicy are how keys are destroyed or taken over. Calls a service made with the principal's credentials (Secrets Manager, S3, EBS decrypting for it) are counted apart, with via_service naming that service. Most calls first.
-- @author: Cloudsift
-- @attack: T1552, T1485, T1486
-- @tags: cloudtrail, kms, encryption
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only calls at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only calls before this time
-- @param max_refs integer = 20  -- evidence references kept per row
WITH kms AS (
  SELECT
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
    event_name, event_time, error_code, source_ip, source_file_id, record_index,
    coalesce(invoked_by, CASE WHEN source_ip LIKE '%.amazonaws.com' THEN source_ip END) AS via_service,
    coalesce(request_parameters ->> 'keyId', json_extract_string(resources, '$[0].ARN')) AS key_id
  FROM cloudtrail
  WHERE event_source = 'kms.amazonaws.com'
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
)
SELECT
  principal,
  event_name,
  via_service,
  count(*) AS calls,
  count(*) FILTER (WHERE error_code IS NOT NULL) AS failed,
  count(DISTINCT key_id) AS distinct_keys,
  list(DISTINCT key_id ORDER BY key_id) FILTER (WHERE key_id IS NOT NULL) AS keys,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM kms
GROUP BY principal, event_name, via_service
ORDER BY calls DESC, principal, event_name
