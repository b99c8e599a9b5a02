-- @id: CS-H-036
-- @title: Load balancer data volume per client
-- @description: Clients that received the most bytes from the load balancers (sent_bytes, plus NLB connections), with request counts, the paths that sent the most, and the largest single response. Scrapers and bulk exports show as a few clients with most of the volume; a small response that matters (1.7 KB of instance credentials through an SSRF) will not, so read this beside the attack patterns hunt. Most bytes first.
-- @author: Cloudsift
-- @attack: T1530, T1041, T1213
-- @tags: elb, web, volume, exfiltration
-- @param top integer = 50  -- clients to return
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only requests at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only requests before this time
-- @param max_list integer = 5  -- paths listed per row
-- @param max_refs integer = 10  -- evidence references kept per row (largest responses)
WITH traffic AS (
  SELECT client_ip, lb_type, url, sent_bytes, received_bytes, event_time, source_file_id, record_index
  FROM elb
  WHERE client_ip IS NOT NULL AND sent_bytes IS NOT NULL AND lb_type <> 'alb_connection'
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
),
top_clients AS (
  SELECT client_ip, sum(sent_bytes) AS total
  FROM traffic
  GROUP BY client_ip
  ORDER BY total DESC, client_ip
  LIMIT $top
),
paths AS (
  SELECT t.client_ip, split_part(t.url, '?', 1) AS path, sum(t.sent_bytes) AS bytes
  FROM traffic t JOIN top_clients USING (client_ip)
  WHERE t.url IS NOT NULL
  GROUP BY ALL
),
top_paths AS (
  SELECT client_ip, list(path || ' (' || bytes || ' bytes)' ORDER BY bytes DESC, path)[1:$max_list] AS top_paths
  FROM paths GROUP BY client_ip
)
SELECT
  t.client_ip,
  sum(t.sent_bytes) AS sent_bytes,
  round(sum(t.sent_bytes) / 1048576, 1) AS sent_mib,
  sum(t.received_bytes) AS received_bytes,
  count(*) AS requests,
  max(t.sent_bytes) AS largest_response,
  any_value(p.top_paths) AS top_paths,
  list(DISTINCT t.lb_type ORDER BY t.lb_type) FILTER (WHERE t.lb_type IS NOT NULL) AS lb_types,
  iso(min(t.event_time)) AS first_seen,
  iso(max(t.event_time)) AS last_seen,
  max_by({'tbl': 'elb', 'source_file_id': t.source_file_id, 'record_index': t.record_index},
         (t.sent_bytes, t.source_file_id, t.record_index), $max_refs) AS evidence
FROM traffic t
JOIN top_clients USING (client_ip)
LEFT JOIN top_paths p USING (client_ip)
GROUP BY t.client_ip
ORDER BY sent_bytes DESC, t.client_ip
