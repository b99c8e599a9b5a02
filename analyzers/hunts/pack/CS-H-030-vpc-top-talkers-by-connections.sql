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
-- @param max_refs integer = 10  -- evidence references kept per row
WITH top_sources AS (
  SELECT srcaddr, count(*) AS n
  FROM vpc_flow
  WHERE srcaddr IS NOT NULL AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
  GROUP BY srcaddr
  ORDER BY n DESC, srcaddr
  LIMIT $top
)
SELECT
  v.srcaddr,
  count(*) AS flow_records,
  count(DISTINCT v.dstaddr) AS destinations,
  count(DISTINCT v.dstport) AS destination_ports,
  count(*) FILTER (WHERE v.action = 'REJECT') AS rejected,
  round(100.0 * count(*) FILTER (WHERE v.action = 'REJECT') / count(*), 1) AS rejected_pct,
  sum(v.bytes) AS bytes,
  list(DISTINCT v.dstport ORDER BY v.dstport) FILTER (WHERE v.dstport IS NOT NULL)[1:$max_list] AS lowest_destination_ports,
  list(DISTINCT v.dstaddr ORDER BY v.dstaddr) FILTER (WHERE v.dstaddr IS NOT NULL)[1:$max_list] AS some_destinations,
  iso(min(v.start_time)) AS first_seen,
  iso(max(v.end_time)) AS last_seen,
  min_by({'tbl': 'vpc_flow', 'source_file_id': v.source_file_id, 'record_index': v.record_index},
         (v.event_time, v.source_file_id, v.record_index), $max_refs) AS evidence
FROM vpc_flow v
JOIN top_sources t USING (srcaddr)
WHERE v.event_time >= $since::TIMESTAMPTZ AND v.event_time < $until::TIMESTAMPTZ
GROUP BY v.srcaddr
ORDER BY flow_records DESC, v.srcaddr
