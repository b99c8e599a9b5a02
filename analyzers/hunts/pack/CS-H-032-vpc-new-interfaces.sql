-- @id: CS-H-032
-- @title: Network interfaces and instances first seen after the baseline
-- @description: Interfaces (and, in version 3+ flow logs, instances) whose first flow record comes after the baseline: the first baseline_days days of VPC flow logs in the case. New interfaces are new instances, Lambda functions in a VPC, load balancer nodes or endpoints; one nobody launched, or one talking to the internet from its first minute, is an intruder's machine. With the addresses it used and its first peers. Earliest first.
-- @author: Cloudsift
-- @attack: T1578.002, T1496
-- @tags: vpc, baseline, inventory
-- @param baseline_days integer = 7  -- days from the first flow record that count as the known estate
-- @param max_list integer = 10  -- sources and destinations listed per row
-- @param max_refs integer = 10  -- evidence references kept per row
WITH bounds AS (
  SELECT min(event_time) + to_days($baseline_days) AS baseline_end FROM vpc_flow
),
new_interfaces AS (
  SELECT interface_id
  FROM vpc_flow
  WHERE interface_id IS NOT NULL
  GROUP BY interface_id
  HAVING min(event_time) >= (SELECT baseline_end FROM bounds)
),
flows AS (
  SELECT v.interface_id, v.instance_id, v.account_id, v.vpc_id, v.subnet_id, v.event_time, v.bytes, v.srcaddr, v.dstaddr,
         v.dstport, v.action, v.source_file_id, v.record_index
  FROM vpc_flow v JOIN new_interfaces USING (interface_id)
)
SELECT
  interface_id,
  list(DISTINCT instance_id ORDER BY instance_id) FILTER (WHERE instance_id IS NOT NULL) AS instances,
  list(DISTINCT account_id ORDER BY account_id) FILTER (WHERE account_id IS NOT NULL) AS accounts,
  list(DISTINCT vpc_id ORDER BY vpc_id) FILTER (WHERE vpc_id IS NOT NULL) AS vpcs,
  list(DISTINCT subnet_id ORDER BY subnet_id) FILTER (WHERE subnet_id IS NOT NULL) AS subnets,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  count(*) AS flow_records,
  sum(bytes) AS bytes,
  list(DISTINCT srcaddr ORDER BY srcaddr) FILTER (WHERE srcaddr IS NOT NULL)[1:$max_list] AS some_sources,
  list(DISTINCT dstaddr || ':' || dstport ORDER BY dstaddr || ':' || dstport) FILTER (WHERE dstaddr || ':' || dstport IS NOT NULL)[1:$max_list] AS some_destinations,
  count(*) FILTER (WHERE action = 'REJECT') AS rejected,
  min_by({'tbl': 'vpc_flow', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM flows
GROUP BY interface_id
ORDER BY min(event_time), interface_id
