-- @id: CS-H-039
-- @title: S3 objects read by anonymous requesters
-- @description: Objects that S3 served to requests without credentials (requester "-" in the server access log), per bucket and object: who fetched them (address and user agent), how often, how many bytes, and when. After a bucket policy or ACL made a bucket public, this is the list of what left. Failed anonymous attempts are kept when include_denied is set. Earliest first.
-- @author: Cloudsift
-- @attack: T1530, T1567
-- @tags: s3, anonymous, exposure, exfiltration
-- @param operations varchar[] = ["REST.GET.OBJECT", "REST.HEAD.OBJECT", "WEBSITE.GET.OBJECT", "REST.COPY.OBJECT_GET"]  -- operations that read an object
-- @param include_denied boolean = false  -- also list anonymous reads that failed (403, 404)
-- @param max_refs integer = 10  -- evidence references kept per row
SELECT
  bucket,
  key,
  count(*) AS requests,
  count(*) FILTER (WHERE http_status BETWEEN 200 AND 299) AS served,
  coalesce(sum(bytes_sent), 0) AS bytes_sent,
  max(object_size) AS object_size,
  list(DISTINCT remote_ip ORDER BY remote_ip) FILTER (WHERE remote_ip IS NOT NULL) AS remote_ips,
  list(DISTINCT user_agent ORDER BY user_agent) FILTER (WHERE user_agent IS NOT NULL) AS user_agents,
  list(DISTINCT http_status ORDER BY http_status) FILTER (WHERE http_status IS NOT NULL) AS statuses,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 's3_access', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM s3_access
WHERE requester IS NULL
  AND list_contains($operations, operation)
  AND (http_status BETWEEN 200 AND 299 OR $include_denied)
GROUP BY bucket, key
ORDER BY min(event_time), bucket, key
