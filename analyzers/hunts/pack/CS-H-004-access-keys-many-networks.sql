-- @id: CS-H-004
-- @title: Access keys used from many addresses and networks
-- @description: Access keys (long-term AKIA and temporary ASIA) used from several source addresses spread over several networks. Without GeoIP, distinct /16 and /8 prefixes stand in for "several countries' worth": a key used from an office NAT stays in one /16, a leaked key is tried from hosting ranges all over. Only literal IP addresses count (not AWS service names or "AWS Internal"); IPv6 addresses are grouped by /32 and /16 prefix. Most spread first.
-- @author: Cloudsift
-- @attack: T1078.004, T1552.001
-- @tags: cloudtrail, credentials, network
-- @param min_ips integer = 2  -- at least this many distinct source addresses
-- @param min_networks integer = 2  -- and at least this many distinct /16 (IPv4) or /32 (IPv6) networks
-- @param max_refs integer = 20  -- evidence references kept per row
WITH uses AS (
  SELECT
    access_key_id, source_ip, event_time, user_arn, user_name, user_type, error_code,
    CASE WHEN contains(source_ip, ':')
         THEN array_to_string(string_split(source_ip, ':')[1:2], ':') || '::/32'
         ELSE split_part(source_ip, '.', 1) || '.' || split_part(source_ip, '.', 2) || '.0.0/16' END AS net16,
    CASE WHEN contains(source_ip, ':')
         THEN string_split(source_ip, ':')[1] || '::/16'
         ELSE split_part(source_ip, '.', 1) || '.0.0.0/8' END AS net8,
    source_file_id, record_index
  FROM cloudtrail
  WHERE access_key_id IS NOT NULL
    AND (regexp_full_match(source_ip, '[0-9]{1,3}(\.[0-9]{1,3}){3}')
         OR regexp_full_match(source_ip, '[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*'))
),
spread AS (
  SELECT access_key_id
  FROM uses
  GROUP BY access_key_id
  HAVING count(DISTINCT source_ip) >= $min_ips AND count(DISTINCT net16) >= $min_networks
),
per_ip AS (
  SELECT access_key_id, source_ip, count(*) AS n, min(event_time) AS first_time
  FROM uses JOIN spread USING (access_key_id)
  GROUP BY ALL
),
ip_lists AS (
  SELECT access_key_id, list(source_ip || ' (' || n || ')' ORDER BY first_time, source_ip) AS source_ips
  FROM per_ip
  GROUP BY access_key_id
)
SELECT
  access_key_id,
  CASE WHEN starts_with(access_key_id, 'ASIA') THEN 'temporary'
       WHEN starts_with(access_key_id, 'AKIA') THEN 'long-term' ELSE 'other' END AS key_type,
  list(DISTINCT coalesce(user_arn, user_name, user_type) ORDER BY coalesce(user_arn, user_name, user_type)) FILTER (WHERE coalesce(user_arn, user_name, user_type) IS NOT NULL) AS principals,
  count(*) AS events,
  count(*) FILTER (WHERE error_code IS NOT NULL) AS failed,
  count(DISTINCT source_ip) AS distinct_ips,
  count(DISTINCT net16) AS distinct_16_networks,
  count(DISTINCT net8) AS distinct_8_networks,
  any_value(ip_lists.source_ips) AS source_ips,
  list(DISTINCT net16 ORDER BY net16) FILTER (WHERE net16 IS NOT NULL) AS networks,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM uses
JOIN ip_lists USING (access_key_id)
GROUP BY access_key_id
ORDER BY distinct_8_networks DESC, distinct_16_networks DESC, distinct_ips DESC, access_key_id
