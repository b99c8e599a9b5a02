-- @id: CS-H-029
-- @title: VPC flow top talkers by bytes
-- @description: The address pairs that moved the most data in VPC flow logs, per source, destination, destination port and protocol: bytes, packets, flow records, the interfaces that logged them, and the active period. Large transfers to one outside address from a server port (22, 443, 5432) are exfiltration; the same pair seen on several interfaces is one conversation logged twice. Accepted traffic only unless include_rejected is set.
-- @author: Cloudsift
-- @attack: T1041, T1048, T1030
-- @tags: vpc, network, volume, exfiltration
-- @param top integer = 50  -- rows to return
-- @param include_rejected boolean = false  -- count REJECT records too
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only flows starting at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only flows starting before this time
-- @param max_refs integer = 10  -- evidence references kept per row (the largest flows)
WITH pairs AS (
  SELECT srcaddr, dstaddr, dstport, protocol,
         sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS records,
         min(start_time) AS first_time, max(end_time) AS last_time
  FROM vpc_flow
  WHERE bytes IS NOT NULL AND (action = 'ACCEPT' OR $include_rejected)
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
  GROUP BY ALL
  ORDER BY bytes DESC, srcaddr, dstaddr, dstport, protocol
  LIMIT $top
),
-- Lists and evidence are gathered for the top pairs only: kept for every pair they cost more than the whole scan.
details AS (
  SELECT v.srcaddr, v.dstaddr, v.dstport, v.protocol,
         list(DISTINCT v.interface_id ORDER BY v.interface_id) FILTER (WHERE v.interface_id IS NOT NULL) AS interfaces,
         list(DISTINCT v.action ORDER BY v.action) FILTER (WHERE v.action IS NOT NULL) AS actions,
         max_by({'tbl': 'vpc_flow', 'source_file_id': v.source_file_id, 'record_index': v.record_index},
                (v.bytes, v.source_file_id, v.record_index), $max_refs) AS evidence
  FROM vpc_flow v
  SEMI JOIN pairs p ON p.srcaddr = v.srcaddr AND p.dstaddr = v.dstaddr
    AND p.dstport IS NOT DISTINCT FROM v.dstport AND p.protocol IS NOT DISTINCT FROM v.protocol
  WHERE v.bytes IS NOT NULL AND (v.action = 'ACCEPT' OR $include_rejected)
    AND v.event_time >= $since::TIMESTAMPTZ AND v.event_time < $until::TIMESTAMPTZ
  GROUP BY ALL
)
SELECT
  p.srcaddr,
  p.dstaddr,
  p.dstport,
  p.protocol,
  p.bytes,
  round(p.bytes / 1048576, 1) AS mib,
  p.packets,
  p.records AS flow_records,
  d.interfaces,
  d.actions,
  iso(p.first_time) AS first_seen,
  iso(p.last_time) AS last_seen,
  d.evidence
FROM pairs p
LEFT JOIN details d ON d.srcaddr = p.srcaddr AND d.dstaddr = p.dstaddr
  AND d.dstport IS NOT DISTINCT FROM p.dstport AND d.protocol IS NOT DISTINCT FROM p.protocol
ORDER BY p.bytes DESC, p.srcaddr, p.dstaddr, p.dstport, p.protocol
