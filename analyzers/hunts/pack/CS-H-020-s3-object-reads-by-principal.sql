-- @id: CS-H-020
-- @title: S3 object reads per principal (CloudTrail data events)
-- @description: GetObject and similar S3 data events per principal and bucket: calls, distinct objects, bytes sent out (additionalEventData.bytesTransferredOut) and addresses. Needs a trail with S3 data events; the S3 server access log hunts answer the same question from the bucket side. Most bytes first.
-- @author: Cloudsift
-- @attack: T1530, T1619
-- @tags: cloudtrail, s3, data-events, exfiltration, volume
-- @param event_names varchar[] = ["GetObject", "CopyObject", "SelectObjectContent"]  -- S3 data events that read object content
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only reads at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only reads before this time
-- @param max_refs integer = 20  -- evidence references kept per row
WITH reads AS (
  SELECT
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
    request_parameters ->> 'bucketName' AS bucket,
    request_parameters ->> 'key' AS object_key,
    TRY_CAST(additional_event_data ->> 'bytesTransferredOut' AS DOUBLE) AS bytes_out,
    event_time, source_ip, error_code, source_file_id, record_index
  FROM cloudtrail
  WHERE event_source = 's3.amazonaws.com'
    AND list_contains($event_names, event_name)
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
)
SELECT
  principal,
  bucket,
  count(*) AS calls,
  count(*) FILTER (WHERE error_code IS NOT NULL) AS failed,
  count(DISTINCT object_key) AS distinct_objects,
  coalesce(sum(bytes_out), 0)::BIGINT AS bytes_out,
  round(coalesce(sum(bytes_out), 0) / 1048576, 1) AS mib_out,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM reads
GROUP BY principal, bucket
ORDER BY bytes_out DESC, calls DESC, principal, bucket
