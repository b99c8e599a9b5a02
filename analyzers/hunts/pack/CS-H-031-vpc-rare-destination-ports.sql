-- @id: CS-H-031
-- @title: Rare destination ports in VPC flow logs
-- @description: Destination ports that few source addresses used, in accepted traffic: a reverse shell to 4444, a miner's stratum port, SSH to an odd port, a database reached from somewhere new. Only the server side of a conversation counts (destination port below the source port and at most max_port), so the ephemeral ports of replies do not drown the list. One row per port and protocol, rarest first.
-- @author: Cloudsift
-- @attack: T1571, T1095, T1021
-- @tags: vpc, network, rare, command-and-control
-- @param max_sources integer = 2  -- used by at most this many source addresses
-- @param max_port integer = 49151  -- ignore the dynamic range above this
-- @param actions varchar[] = ["ACCEPT"]  -- flow actions counted
-- @param max_refs integer = 10  -- evidence references kept per row
WITH served AS (
  SELECT dstport, protocol, srcaddr, dstaddr, bytes, start_time, end_time, event_time, interface_id, source_file_id, record_index
  FROM vpc_flow
  WHERE dstport IS NOT NULL AND srcport IS NOT NULL AND dstport < srcport AND dstport <= $max_port
    AND list_contains($actions, action)
),
rare AS (
  SELECT dstport, protocol FROM served GROUP BY ALL HAVING count(DISTINCT srcaddr) <= $max_sources
)
SELECT
  s.dstport,
  s.protocol,
  count(DISTINCT s.srcaddr) AS sources,
  count(DISTINCT s.dstaddr) AS destinations,
  count(*) AS flow_records,
  sum(s.bytes) AS bytes,
  list(DISTINCT s.srcaddr || ' -> ' || s.dstaddr ORDER BY s.srcaddr || ' -> ' || s.dstaddr) FILTER (WHERE s.srcaddr || ' -> ' || s.dstaddr IS NOT NULL) AS pairs,
  list(DISTINCT s.interface_id ORDER BY s.interface_id) FILTER (WHERE s.interface_id IS NOT NULL) AS interfaces,
  iso(min(s.start_time)) AS first_seen,
  iso(max(s.end_time)) AS last_seen,
  min_by({'tbl': 'vpc_flow', 'source_file_id': s.source_file_id, 'record_index': s.record_index},
         (s.event_time, s.source_file_id, s.record_index), $max_refs) AS evidence
FROM served s
JOIN rare USING (dstport, protocol)
GROUP BY s.dstport, s.protocol
ORDER BY sources, flow_records, s.dstport, s.protocol
