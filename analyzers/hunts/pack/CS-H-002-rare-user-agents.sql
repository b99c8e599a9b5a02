-- @id: CS-H-002
-- @title: Rare user agents in CloudTrail
-- @description: User agents seen with few principals and few calls: attack tools (sqlmap, pacu, Kali's boto builds), hand-typed curl, or agent strings carrying payloads. AWS services calling on a principal's behalf are left out by pattern. One row per agent, rarest first.
-- @author: Cloudsift
-- @attack: T1078.004, T1059.009
-- @tags: cloudtrail, rare, tooling
-- @param max_principals integer = 3  -- seen with at most this many principals (an intruder's few identities share one tool)
-- @param max_events integer = 100  -- and at most this many calls
-- @param ignore_patterns varchar[] = ["%.amazonaws.com", "AWS Internal", "aws-internal%"]  -- LIKE patterns of agents that are not interesting
-- @param max_refs integer = 20  -- evidence references kept per row
WITH ct AS (
  SELECT
    user_agent,
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
    event_time, event_name, source_ip, error_code, source_file_id, record_index
  FROM cloudtrail
  WHERE user_agent IS NOT NULL
),
rare AS (
  SELECT user_agent, count(DISTINCT principal) AS principals
  FROM ct
  GROUP BY user_agent
  HAVING count(*) <= $max_events AND count(DISTINCT principal) <= $max_principals
)
SELECT
  ct.user_agent,
  count(*) AS events,
  any_value(rare.principals) AS principals,
  list(DISTINCT ct.principal ORDER BY ct.principal) FILTER (WHERE ct.principal IS NOT NULL) AS principal_list,
  list(DISTINCT ct.source_ip ORDER BY ct.source_ip) FILTER (WHERE ct.source_ip IS NOT NULL) AS source_ips,
  list(DISTINCT ct.event_name ORDER BY ct.event_name) FILTER (WHERE ct.event_name IS NOT NULL) AS event_names,
  count(*) FILTER (WHERE ct.error_code IS NOT NULL) AS failed,
  iso(min(ct.event_time)) AS first_seen,
  iso(max(ct.event_time)) AS last_seen,
  min_by({'tbl': 'cloudtrail', 'source_file_id': ct.source_file_id, 'record_index': ct.record_index},
         (ct.event_time, ct.source_file_id, ct.record_index), $max_refs) AS evidence
FROM ct
JOIN rare USING (user_agent)
WHERE len(list_filter($ignore_patterns, lambda p: ct.user_agent LIKE p)) = 0
GROUP BY ct.user_agent
ORDER BY count(*), min(ct.event_time), ct.user_agent
