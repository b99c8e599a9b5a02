-- @id: CS-H-033
-- @title: Remote administration ports reached from public addresses
-- @description: Flows from public addresses to remote administration and database ports (SSH, RDP, WinRM, Telnet, VNC, SMB, databases) of your interfaces, per source, destination and port, with accepted and rejected records and bytes each way. Rejected knocking is background noise; an accepted session from an address that also appears in CloudTrail is an intruder at the console of a server. Accepted first, then by records.
-- @author: Cloudsift
-- @attack: T1021.004, T1021.001, T1133, T1110
-- @tags: vpc, network, remote-access
-- @param ports varchar[] = ["22", "23", "3389", "5900", "5985", "5986", "445", "1433", "3306", "5432", "6379", "9200", "27017"]  -- destination ports that count as administration or data ports
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only flows starting at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only flows starting before this time
-- @param max_refs integer = 10  -- evidence references kept per row
WITH inbound AS (
  SELECT srcaddr, dstaddr, dstport, action, bytes, packets, start_time, end_time, event_time, interface_id,
         source_file_id, record_index
  FROM vpc_flow
  WHERE list_contains(list_transform($ports, lambda p: TRY_CAST(p AS INTEGER)), dstport)
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
    AND regexp_full_match(srcaddr, '[0-9]{1,3}(\.[0-9]{1,3}){3}')
    AND NOT regexp_matches(srcaddr, '^(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.)')
),
replies AS (
  SELECT r.srcaddr AS server, r.dstaddr AS client, r.srcport AS port, sum(r.bytes) AS bytes
  FROM vpc_flow r
  WHERE list_contains(list_transform($ports, lambda p: TRY_CAST(p AS INTEGER)), r.srcport) AND r.action = 'ACCEPT'
    AND r.event_time >= $since::TIMESTAMPTZ AND r.event_time < $until::TIMESTAMPTZ
    AND r.dstaddr IN (SELECT DISTINCT srcaddr FROM inbound)
  GROUP BY ALL
)
SELECT
  i.srcaddr,
  i.dstaddr,
  i.dstport,
  count(*) FILTER (WHERE i.action = 'ACCEPT') AS accepted,
  count(*) FILTER (WHERE i.action = 'REJECT') AS rejected,
  sum(i.bytes) AS bytes_in,
  any_value(r.bytes) AS bytes_out,
  list(DISTINCT i.interface_id ORDER BY i.interface_id) FILTER (WHERE i.interface_id IS NOT NULL) AS interfaces,
  iso(min(i.start_time)) AS first_seen,
  iso(max(i.end_time)) AS last_seen,
  iso(min(i.start_time) FILTER (WHERE i.action = 'ACCEPT')) AS first_accepted,
  min_by({'tbl': 'vpc_flow', 'source_file_id': i.source_file_id, 'record_index': i.record_index},
         (i.action <> 'ACCEPT', i.event_time, i.source_file_id, i.record_index), $max_refs) AS evidence
FROM inbound i
LEFT JOIN replies r ON r.server = i.dstaddr AND r.client = i.srcaddr AND r.port = i.dstport
GROUP BY i.srcaddr, i.dstaddr, i.dstport
ORDER BY accepted > 0 DESC, accepted + rejected DESC, i.srcaddr, i.dstaddr, i.dstport
