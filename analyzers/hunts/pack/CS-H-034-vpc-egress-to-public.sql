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
WITH flows AS (
  -- Totals per conversation first; the address tests then run on thousands of conversations, not millions of records.
  SELECT srcaddr, dstaddr, least(srcport, dstport) AS service_port,
         CASE WHEN srcport < dstport THEN 'server' ELSE 'client' END AS local_role,
         protocol, sum(bytes) AS bytes
  FROM vpc_flow
  WHERE action = 'ACCEPT' AND bytes > 0
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
  GROUP BY ALL
),
egress AS (
  SELECT srcaddr, dstaddr, service_port, local_role, protocol, sum(bytes) AS bytes
  FROM flows
  WHERE regexp_matches(srcaddr, '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.)')
    AND regexp_full_match(dstaddr, '[0-9]{1,3}(\.[0-9]{1,3}){3}')
    AND NOT regexp_matches(dstaddr, '^(10\.|127\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.|22[4-9]\.|23[0-9]\.|255\.)')
  GROUP BY ALL
  HAVING sum(bytes) >= $min_mib * 1048576
),
details AS (
  SELECT v.srcaddr, v.dstaddr, least(v.srcport, v.dstport) AS service_port,
         CASE WHEN v.srcport < v.dstport THEN 'server' ELSE 'client' END AS local_role, v.protocol,
         sum(v.packets) AS packets, count(*) AS flow_records,
         list(DISTINCT v.interface_id ORDER BY v.interface_id) FILTER (WHERE v.interface_id IS NOT NULL) AS interfaces,
         min(v.start_time) AS first_time, max(v.end_time) AS last_time,
         max_by({'tbl': 'vpc_flow', 'source_file_id': v.source_file_id, 'record_index': v.record_index},
                (v.bytes, v.source_file_id, v.record_index), $max_refs) AS evidence
  FROM vpc_flow v
  SEMI JOIN egress e ON e.srcaddr = v.srcaddr AND e.dstaddr = v.dstaddr
  WHERE v.action = 'ACCEPT' AND v.bytes > 0
    AND v.event_time >= $since::TIMESTAMPTZ AND v.event_time < $until::TIMESTAMPTZ
  GROUP BY ALL
)
SELECT
  e.srcaddr AS local_addr,
  e.dstaddr AS remote_addr,
  e.service_port,
  e.local_role,
  e.protocol,
  e.bytes,
  round(e.bytes / 1048576, 1) AS mib,
  d.packets,
  d.flow_records,
  d.interfaces,
  iso(d.first_time) AS first_seen,
  iso(d.last_time) AS last_seen,
  d.evidence
FROM egress e
JOIN details d ON d.srcaddr = e.srcaddr AND d.dstaddr = e.dstaddr AND d.service_port IS NOT DISTINCT FROM e.service_port
  AND d.local_role = e.local_role AND d.protocol IS NOT DISTINCT FROM e.protocol
ORDER BY e.bytes DESC, local_addr, remote_addr, e.service_port
