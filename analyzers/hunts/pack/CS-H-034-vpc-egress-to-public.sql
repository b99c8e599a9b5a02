-- @id: CS-H-034
-- @title: Data sent from private to public addresses
-- @description: Bytes sent by private (VPC) addresses to public addresses, per pair and service port, at least min_mib in total. service_port is the lower of the two ports, and local_role says whether the private side was the server (data flowing out of its SSH or web port to a client: someone pulling files) or the client (an upload, a backup, or a tunnel). Largest first.
-- @author: Cloudsift
-- @attack: T1041, T1048, T1567
-- @tags: vpc, network, exfiltration, volume
-- @param min_mib double = 10  -- at least this many MiB sent per row
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only flows starting at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only flows starting before this time
-- @param max_refs integer = 10  -- evidence references kept per row (largest flows)
WITH egress AS (
  SELECT srcaddr, dstaddr, srcport, dstport, protocol, bytes, packets, start_time, end_time, event_time, interface_id,
         source_file_id, record_index
  FROM vpc_flow
  WHERE action = 'ACCEPT' AND bytes > 0
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
    AND regexp_matches(srcaddr, '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.)')
    AND regexp_full_match(dstaddr, '[0-9]{1,3}(\.[0-9]{1,3}){3}')
    AND NOT regexp_matches(dstaddr, '^(10\.|127\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.|22[4-9]\.|23[0-9]\.|255\.)')
)
SELECT
  srcaddr AS local_addr,
  dstaddr AS remote_addr,
  least(srcport, dstport) AS service_port,
  CASE WHEN srcport < dstport THEN 'server' ELSE 'client' END AS local_role,
  protocol,
  sum(bytes) AS bytes,
  round(sum(bytes) / 1048576, 1) AS mib,
  sum(packets) AS packets,
  count(*) AS flow_records,
  list(DISTINCT interface_id ORDER BY interface_id) FILTER (WHERE interface_id IS NOT NULL) AS interfaces,
  iso(min(start_time)) AS first_seen,
  iso(max(end_time)) AS last_seen,
  max_by({'tbl': 'vpc_flow', 'source_file_id': source_file_id, 'record_index': record_index},
         (bytes, source_file_id, record_index), $max_refs) AS evidence
FROM egress
GROUP BY ALL
HAVING sum(bytes) >= $min_mib * 1048576
ORDER BY bytes DESC, local_addr, remote_addr, service_port
