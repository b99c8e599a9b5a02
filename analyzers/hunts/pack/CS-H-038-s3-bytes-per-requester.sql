-- @id: CS-H-038
-- @title: S3 data volume per requester (server access logs)
-- @description: Bytes S3 sent per requester, address and bucket in the server access logs, with GET counts, distinct objects, errors and the active period. An aws s3 sync of a whole bucket by a new user or from a new address is the classic exfiltration; anonymous requesters (no credentials) show as "(anonymous)". Most bytes first.
-- @author: Cloudsift
-- @attack: T1530, T1567.002, T1619
-- @tags: s3, volume, exfiltration
-- @param min_bytes bigint = 1  -- leave out rows that sent less than this
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only requests at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only requests before this time
-- @param max_refs integer = 10  -- evidence references kept per row (largest responses)
SELECT
  coalesce(requester, '(anonymous)') AS requester,
  remote_ip,
  bucket,
  coalesce(sum(bytes_sent), 0) AS bytes_sent,
  round(coalesce(sum(bytes_sent), 0) / 1048576, 1) AS mib_sent,
  count(*) AS requests,
  count(*) FILTER (WHERE operation = 'REST.GET.OBJECT') AS object_gets,
  count(DISTINCT key) FILTER (WHERE operation = 'REST.GET.OBJECT') AS distinct_objects,
  count(*) FILTER (WHERE http_status >= 400) AS errors,
  list(DISTINCT user_agent ORDER BY user_agent) FILTER (WHERE user_agent IS NOT NULL) AS user_agents,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  max_by({'tbl': 's3_access', 'source_file_id': source_file_id, 'record_index': record_index},
         (coalesce(bytes_sent, 0), source_file_id, record_index), $max_refs) AS evidence
FROM s3_access
WHERE event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
GROUP BY ALL
HAVING coalesce(sum(bytes_sent), 0) >= $min_bytes
ORDER BY bytes_sent DESC, requester, remote_ip, bucket
