-- @id: CS-H-007
-- @title: Sessions used from more than one address
-- @description: Temporary credentials (ASIA keys: role, console and federated sessions) whose calls come from more than one literal IP address. A session belongs to one machine or browser; a second address, especially one that appears hours after the session began, is how stolen instance or CI credentials look. Each address is listed with its first use and call count; switches counts how often consecutive calls changed address.
-- @author: Cloudsift
-- @attack: T1550.001, T1552.005
-- @tags: cloudtrail, sessions, credentials
-- @param min_ips integer = 2  -- at least this many distinct source addresses in one session
-- @param max_refs integer = 20  -- evidence references kept per row
WITH uses AS (
  SELECT access_key_id, user_arn, session_issuer_arn, event_time, source_ip, user_agent, source_file_id, record_index
  FROM cloudtrail
  WHERE starts_with(access_key_id, 'ASIA')
    AND (regexp_full_match(source_ip, '[0-9]{1,3}(\.[0-9]{1,3}){3}')
         OR regexp_full_match(source_ip, '[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*'))
),
multi AS (
  SELECT access_key_id FROM uses GROUP BY access_key_id HAVING count(DISTINCT source_ip) >= $min_ips
),
ordered AS (
  SELECT u.*, lag(u.source_ip) OVER (PARTITION BY u.access_key_id ORDER BY u.event_time, u.source_file_id, u.record_index) AS previous_ip
  FROM uses u JOIN multi USING (access_key_id)
),
per_ip AS (
  SELECT access_key_id, source_ip, min(event_time) AS first_time, count(*) AS n,
         min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
                (event_time, source_file_id, record_index)) AS first_ref
  FROM ordered
  GROUP BY ALL
),
ip_lists AS (
  SELECT access_key_id,
         list(source_ip || ' (first ' || iso(first_time) || ', ' || n || ' calls)' ORDER BY first_time, source_ip) AS addresses,
         list(first_ref ORDER BY first_time, source_ip) AS first_use_by_address
  FROM per_ip
  GROUP BY access_key_id
)
SELECT
  o.access_key_id,
  list(DISTINCT o.user_arn ORDER BY o.user_arn) FILTER (WHERE o.user_arn IS NOT NULL) AS session_arns,
  any_value(o.session_issuer_arn) AS role_arn,
  count(DISTINCT o.source_ip) AS distinct_ips,
  count(*) FILTER (WHERE o.previous_ip IS NOT NULL AND o.previous_ip <> o.source_ip) AS switches,
  any_value(l.addresses) AS addresses,
  list(DISTINCT o.user_agent ORDER BY o.user_agent) FILTER (WHERE o.user_agent IS NOT NULL) AS user_agents,
  count(*) AS events,
  iso(min(o.event_time)) AS first_seen,
  iso(max(o.event_time)) AS last_seen,
  any_value(l.first_use_by_address) AS first_use_by_address,
  min_by({'tbl': 'cloudtrail', 'source_file_id': o.source_file_id, 'record_index': o.record_index},
         (o.event_time, o.source_file_id, o.record_index), $max_refs) AS evidence
FROM ordered o
JOIN ip_lists l USING (access_key_id)
GROUP BY o.access_key_id
ORDER BY distinct_ips DESC, min(o.event_time), o.access_key_id
