-- @id: CS-H-035
-- @title: Load balancer clients by requests and error rate
-- @description: Clients of the load balancers with the most requests: 4xx and 5xx counts and share, distinct paths, user agents, bytes received and sent, and the active period. Scanners have many distinct paths and a high 404 share; injection tools cause 500s; a client with few requests and large sent_bytes downloaded something big. Most requests first.
-- @author: Cloudsift
-- @attack: T1595.002, T1190, T1595.003
-- @tags: elb, web, scanning, volume
-- @param top integer = 50  -- clients to return
-- @param min_requests integer = 1  -- leave out clients with fewer requests
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only requests at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only requests before this time
-- @param max_list integer = 10  -- user agents listed per row
-- @param max_refs integer = 10  -- evidence references kept per row
WITH requests AS (
  SELECT client_ip, lb_type, elb, elb_status_code, url, user_agent, received_bytes, sent_bytes, event_time,
         source_file_id, record_index
  FROM elb
  WHERE client_ip IS NOT NULL AND lb_type IN ('alb', 'clb')
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
),
top_clients AS (
  SELECT client_ip, count(*) AS n
  FROM requests
  GROUP BY client_ip
  HAVING count(*) >= $min_requests
  ORDER BY n DESC, client_ip
  LIMIT $top
)
SELECT
  r.client_ip,
  count(*) AS requests,
  count(*) FILTER (WHERE r.elb_status_code BETWEEN 400 AND 499) AS status_4xx,
  count(*) FILTER (WHERE r.elb_status_code >= 500) AS status_5xx,
  round(100.0 * count(*) FILTER (WHERE r.elb_status_code >= 400) / count(*), 1) AS error_pct,
  count(DISTINCT split_part(r.url, '?', 1)) AS distinct_paths,
  count(DISTINCT r.user_agent) AS distinct_user_agents,
  list(DISTINCT r.user_agent ORDER BY r.user_agent) FILTER (WHERE r.user_agent IS NOT NULL)[1:$max_list] AS user_agents,
  sum(r.received_bytes) AS received_bytes,
  sum(r.sent_bytes) AS sent_bytes,
  list(DISTINCT r.elb ORDER BY r.elb) FILTER (WHERE r.elb IS NOT NULL) AS load_balancers,
  iso(min(r.event_time)) AS first_seen,
  iso(max(r.event_time)) AS last_seen,
  min_by({'tbl': 'elb', 'source_file_id': r.source_file_id, 'record_index': r.record_index},
         (r.event_time, r.source_file_id, r.record_index), $max_refs) AS evidence
FROM requests r
JOIN top_clients USING (client_ip)
GROUP BY r.client_ip
ORDER BY requests DESC, r.client_ip
