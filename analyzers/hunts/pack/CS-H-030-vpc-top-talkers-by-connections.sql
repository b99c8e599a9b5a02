-- @id: CS-H-030
-- @title: VPC flow top talkers by connections
-- @description: Source addresses with the most flow records, with how many destinations and destination ports they reached and how much of it was rejected. Many ports on few hosts is a port scan, one port on many hosts is a sweep, a high reject share is knocking on closed doors. Top sources first.
-- @author: Cloudsift
-- @attack: T1046, T1595.001
-- @tags: vpc, network, scanning
-- @param top integer = 50  -- rows to return
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only flows starting at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only flows starting before this time
-- @param max_list integer = 25  -- ports and destinations listed per row (lowest first)
-- @param max_refs integer = 10  -- evidence references kept per row (the first record to each destination and port, earliest first)
WITH top_sources AS (
  SELECT srcaddr, count(*) AS n
  FROM vpc_flow
  WHERE srcaddr IS NOT NULL AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
  GROUP BY srcaddr
  ORDER BY n DESC, srcaddr
  LIMIT $top
),
-- Reduced to one row per source, destination and port first: distinct counts and lists over
-- millions of records cost far more than over their distinct conversations.
conversations AS (
  SELECT srcaddr, dstaddr, dstport,
         count(*) AS records,
         count(*) FILTER (WHERE action = 'REJECT') AS rejected,
         sum(bytes) AS bytes,
         min(start_time) AS first_time,
         max(end_time) AS last_time,
         arg_min({'tbl': 'vpc_flow', 'source_file_id': source_file_id, 'record_index': record_index},
                 (event_time, source_file_id, record_index)) AS first_ref
  FROM vpc_flow
  WHERE srcaddr IN (SELECT srcaddr FROM top_sources)
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
  GROUP BY ALL
)
SELECT
  srcaddr,
  sum(records) AS flow_records,
  count(DISTINCT dstaddr) AS destinations,
  count(DISTINCT dstport) AS destination_ports,
  sum(rejected) AS rejected,
  round(100.0 * sum(rejected) / sum(records), 1) AS rejected_pct,
  sum(bytes) AS bytes,
  list(DISTINCT dstport ORDER BY dstport) FILTER (WHERE dstport IS NOT NULL)[1:$max_list] AS lowest_destination_ports,
  list(DISTINCT dstaddr ORDER BY dstaddr) FILTER (WHERE dstaddr IS NOT NULL)[1:$max_list] AS some_destinations,
  iso(min(first_time)) AS first_seen,
  iso(max(last_time)) AS last_seen,
  list(first_ref ORDER BY first_time, dstaddr, dstport)[1:$max_refs] AS evidence
FROM conversations
GROUP BY srcaddr
ORDER BY flow_records DESC, srcaddr
