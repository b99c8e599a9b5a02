-- @id: CS-H-028
-- @title: Public addresses seen in several log sources
-- @description: Public IP addresses that appear in at least min_sources of CloudTrail (as the caller), VPC flow logs (either end), load balancer logs (as the client) and S3 access logs (as the requester's address), with counts and first and last time in each. An address that scans the website, calls AWS APIs and downloads from a bucket is the intruder's; this is where one source's lead is followed into the others. Private, loopback and link-local addresses are left out, and by default so are addresses that never touched an AWS API or bucket: every web client shows in both load balancer and flow logs. Addresses in most sources first.
-- @author: Cloudsift
-- @attack: T1190, T1078.004, T1041
-- @tags: cross-source, pivot, network
-- @param min_sources integer = 2  -- seen in at least this many sources
-- @param require_api_source boolean = true  -- only addresses that also appear in CloudTrail or S3 access logs (every web client is in both the load balancer and the flow logs)
-- @param max_refs integer = 10  -- evidence references kept per source
WITH seen AS (
  SELECT DISTINCT 'cloudtrail' AS src, source_ip AS ip FROM cloudtrail WHERE source_ip IS NOT NULL
  UNION ALL
  SELECT DISTINCT 'vpc_flow', srcaddr FROM vpc_flow WHERE srcaddr IS NOT NULL
  UNION ALL
  SELECT DISTINCT 'vpc_flow', dstaddr FROM vpc_flow WHERE dstaddr IS NOT NULL
  UNION ALL
  SELECT DISTINCT 'elb', client_ip FROM elb WHERE client_ip IS NOT NULL
  UNION ALL
  SELECT DISTINCT 's3_access', remote_ip FROM s3_access WHERE remote_ip IS NOT NULL
),
multi AS (
  SELECT ip
  FROM seen
  WHERE (regexp_full_match(ip, '[0-9]{1,3}(\.[0-9]{1,3}){3}')
         AND NOT regexp_matches(ip, '^(10\.|127\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.)'))
     OR (contains(ip, ':') AND regexp_full_match(ip, '[0-9A-Fa-f:.]+')
         AND NOT regexp_matches(lower(ip), '^(::1$|f[cd]|fe[89ab])'))
  GROUP BY ip
  HAVING count(DISTINCT src) >= $min_sources
     AND (NOT $require_api_source OR bool_or(src IN ('cloudtrail', 's3_access')))
),
hits AS (
  SELECT 'cloudtrail' AS src, source_ip AS ip, count(*) AS n, min(event_time) AS first_time, max(event_time) AS last_time,
         min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index}, (event_time, source_file_id, record_index), $max_refs) AS refs
  FROM cloudtrail WHERE source_ip IN (SELECT ip FROM multi) GROUP BY source_ip
  UNION ALL
  SELECT 'vpc_flow', ip, count(*), min(event_time), max(event_time),
         min_by({'tbl': 'vpc_flow', 'source_file_id': source_file_id, 'record_index': record_index}, (event_time, source_file_id, record_index), $max_refs)
  FROM (SELECT srcaddr AS ip, event_time, source_file_id, record_index FROM vpc_flow WHERE srcaddr IN (SELECT ip FROM multi)
        UNION ALL
        SELECT dstaddr, event_time, source_file_id, record_index FROM vpc_flow WHERE dstaddr IN (SELECT ip FROM multi))
  GROUP BY ip
  UNION ALL
  SELECT 'elb', client_ip, count(*), min(event_time), max(event_time),
         min_by({'tbl': 'elb', 'source_file_id': source_file_id, 'record_index': record_index}, (event_time, source_file_id, record_index), $max_refs)
  FROM elb WHERE client_ip IN (SELECT ip FROM multi) GROUP BY client_ip
  UNION ALL
  SELECT 's3_access', remote_ip, count(*), min(event_time), max(event_time),
         min_by({'tbl': 's3_access', 'source_file_id': source_file_id, 'record_index': record_index}, (event_time, source_file_id, record_index), $max_refs)
  FROM s3_access WHERE remote_ip IN (SELECT ip FROM multi) GROUP BY remote_ip
)
SELECT
  ip,
  count(*) AS sources,
  list(src ORDER BY src) AS seen_in,
  sum(n) FILTER (WHERE src = 'cloudtrail') AS cloudtrail_events,
  sum(n) FILTER (WHERE src = 'vpc_flow') AS vpc_flow_records,
  sum(n) FILTER (WHERE src = 'elb') AS elb_requests,
  sum(n) FILTER (WHERE src = 's3_access') AS s3_requests,
  iso(min(first_time)) AS first_seen,
  iso(max(last_time)) AS last_seen,
  list(src || ': ' || iso(first_time) || ' .. ' || iso(last_time) ORDER BY first_time) AS per_source,
  flatten(list(refs ORDER BY src)) AS evidence
FROM hits
GROUP BY ip
ORDER BY sources DESC, min(first_time), ip
