-- @id: CS-H-005
-- @title: Long-lived sessions
-- @description: Temporary credentials (role sessions, console and GetSessionToken sessions) still in use long after they were issued: the time from the session's creation date to its last call exceeds min_hours. Role sessions last one hour by default and twelve at most, and instance-profile credentials rotate every few hours; only GetFederationToken and GetSessionToken credentials live longer (up to 36 hours), which is why intruders mint them. Lower min_hours to see role sessions used unusually long. Longest first.
-- @author: Cloudsift
-- @attack: T1550.001, T1078.004
-- @tags: cloudtrail, sessions, credentials
-- @param min_hours double = 12  -- hours between session creation and last use (12 is the longest a role session can last)
-- @param max_refs integer = 20  -- evidence references kept per row
WITH sessions AS (
  SELECT access_key_id, min(session_creation_date) AS created
  FROM cloudtrail
  WHERE access_key_id IS NOT NULL AND session_creation_date IS NOT NULL
  GROUP BY access_key_id
  HAVING epoch(max(event_time)) - epoch(min(session_creation_date)) >= $min_hours * 3600
)
SELECT
  c.access_key_id,
  any_value(c.user_type) AS user_type,
  list(DISTINCT c.user_arn ORDER BY c.user_arn) FILTER (WHERE c.user_arn IS NOT NULL) AS session_arns,
  any_value(c.session_issuer_arn) AS role_arn,
  iso(s.created) AS session_created,
  iso(min(c.event_time)) AS first_used,
  iso(max(c.event_time)) AS last_used,
  round((epoch(max(c.event_time)) - epoch(s.created)) / 3600, 2) AS hours_in_use,
  count(*) AS events,
  count(DISTINCT c.source_ip) AS distinct_ips,
  list(DISTINCT c.source_ip ORDER BY c.source_ip) FILTER (WHERE c.source_ip IS NOT NULL) AS source_ips,
  bool_or(c.mfa_authenticated) AS mfa_authenticated,
  max_by({'tbl': 'cloudtrail', 'source_file_id': c.source_file_id, 'record_index': c.record_index},
         (c.event_time, c.source_file_id, c.record_index), $max_refs) AS evidence
FROM cloudtrail c
JOIN sessions s USING (access_key_id)
GROUP BY c.access_key_id, s.created
ORDER BY hours_in_use DESC, c.access_key_id
