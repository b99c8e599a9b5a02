-- @id: CS-H-018
-- @title: Instance-role credentials used from elsewhere
-- @description: Calls made with an EC2 instance's role credentials (session named after the instance, i-...) from a public address the instance itself does not use. Without AWS's IP ranges offline, an instance's own addresses are learnt from the logs: an address its sessions use across at least home_min_sessions credential rotations, or the address of the first call of each session. Anything else that is not in trusted_cidrs is listed: SSRF and IMDS credential theft look exactly like this (GuardDuty's InstanceCredentialExfiltration).
-- @author: Cloudsift
-- @attack: T1552.005, T1078.004
-- @tags: cloudtrail, ec2, credentials, exfiltration
-- @param trusted_cidrs varchar[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]  -- IPv4 ranges that are yours (VPC, NAT, offices); IPv6 addresses match exactly
-- @param home_min_sessions integer = 2  -- an address used by this many of an instance's sessions is the instance's own
-- @param max_refs integer = 20  -- evidence references kept per row
WITH calls AS (
  SELECT session_name AS instance_id, session_issuer_arn AS role_arn, access_key_id, source_ip, event_time,
         event_name, user_agent, error_code, source_file_id, record_index
  FROM cloudtrail
  WHERE user_type = 'AssumedRole'
    AND regexp_full_match(session_name, 'i-[0-9a-f]{8,17}')
    AND (regexp_full_match(source_ip, '[0-9]{1,3}(\.[0-9]{1,3}){3}')
         OR regexp_full_match(source_ip, '[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*'))
),
session_first AS (
  SELECT access_key_id, arg_min(source_ip, (event_time, source_file_id, record_index)) AS first_ip
  FROM calls GROUP BY access_key_id
),
home AS (
  SELECT instance_id, source_ip FROM calls GROUP BY ALL HAVING count(DISTINCT access_key_id) >= $home_min_sessions
  UNION
  SELECT DISTINCT c.instance_id, s.first_ip FROM calls c JOIN session_first s USING (access_key_id)
),
addresses AS (
  SELECT DISTINCT source_ip,
    CASE WHEN regexp_full_match(source_ip, '[0-9]{1,3}(\.[0-9]{1,3}){3}')
         THEN TRY_CAST(split_part(source_ip, '.', 1) AS BIGINT) * 16777216 + TRY_CAST(split_part(source_ip, '.', 2) AS BIGINT) * 65536
            + TRY_CAST(split_part(source_ip, '.', 3) AS BIGINT) * 256 + TRY_CAST(split_part(source_ip, '.', 4) AS BIGINT) END AS ip_int
  FROM calls
),
cidrs AS (
  SELECT cidr,
    TRY_CAST(split_part(split_part(cidr, '/', 1), '.', 1) AS BIGINT) * 16777216 + TRY_CAST(split_part(split_part(cidr, '/', 1), '.', 2) AS BIGINT) * 65536
      + TRY_CAST(split_part(split_part(cidr, '/', 1), '.', 3) AS BIGINT) * 256 + TRY_CAST(split_part(split_part(cidr, '/', 1), '.', 4) AS BIGINT) AS net_int,
    coalesce(TRY_CAST(nullif(split_part(cidr, '/', 2), '') AS INTEGER), 32) AS prefix
  FROM (SELECT unnest($trusted_cidrs) AS cidr)
),
trusted AS (
  SELECT DISTINCT a.source_ip
  FROM addresses a JOIN cidrs c
    ON (a.ip_int IS NOT NULL AND c.net_int IS NOT NULL AND c.prefix BETWEEN 0 AND 32
        AND a.ip_int // (1::BIGINT << (32 - c.prefix)) = c.net_int // (1::BIGINT << (32 - c.prefix)))
    OR lower(a.source_ip) = lower(c.cidr)
),
foreign_calls AS (
  SELECT c.*
  FROM calls c
  WHERE NOT EXISTS (SELECT 1 FROM home h WHERE h.instance_id = c.instance_id AND h.source_ip = c.source_ip)
    AND c.source_ip NOT IN (SELECT source_ip FROM trusted)
)
SELECT
  f.instance_id,
  f.role_arn,
  f.access_key_id,
  f.source_ip,
  count(*) AS calls,
  count(*) FILTER (WHERE f.error_code IS NOT NULL) AS failed,
  list(DISTINCT f.event_name ORDER BY f.event_name) FILTER (WHERE f.event_name IS NOT NULL) AS event_names,
  list(DISTINCT f.user_agent ORDER BY f.user_agent) FILTER (WHERE f.user_agent IS NOT NULL) AS user_agents,
  iso(min(f.event_time)) AS first_seen,
  iso(max(f.event_time)) AS last_seen,
  (SELECT list(DISTINCT h.source_ip ORDER BY h.source_ip) FILTER (WHERE h.source_ip IS NOT NULL) FROM home h WHERE h.instance_id = f.instance_id) AS instance_addresses,
  min_by({'tbl': 'cloudtrail', 'source_file_id': f.source_file_id, 'record_index': f.record_index},
         (f.event_time, f.source_file_id, f.record_index), $max_refs) AS evidence
FROM foreign_calls f
GROUP BY f.instance_id, f.role_arn, f.access_key_id, f.source_ip
ORDER BY min(f.event_time), f.instance_id, f.source_ip
