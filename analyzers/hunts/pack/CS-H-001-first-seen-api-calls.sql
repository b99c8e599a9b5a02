-- @id: CS-H-001
-- @title: First-seen API calls per principal
-- @description: API calls (service and event name) a principal makes for the first time after a baseline: the first baseline_days days of CloudTrail in the case. Role sessions count as their role, so a stolen instance role that starts calling IAM stands out; principals that did not exist during the baseline are flagged as new. One row per new call, earliest first.
-- @author: Cloudsift
-- @attack: T1087, T1526, T1580, T1098
-- @tags: cloudtrail, baseline, discovery
-- @param baseline_days integer = 7  -- days from the first CloudTrail event that count as normal activity
-- @param include_failed boolean = true  -- count failed calls (AccessDenied probing is part of the story)
-- @param max_refs integer = 20  -- evidence references kept per row
WITH ct AS (
  SELECT
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
    event_source, event_name, event_time, source_ip, user_agent, access_key_id, error_code,
    source_file_id, record_index
  FROM cloudtrail
  WHERE event_name IS NOT NULL AND ($include_failed OR error_code IS NULL)
),
bounds AS (
  SELECT min(event_time) + to_days($baseline_days) AS baseline_end FROM cloudtrail
),
baseline_principals AS (
  SELECT DISTINCT principal FROM ct, bounds WHERE event_time < baseline_end AND principal IS NOT NULL
),
firsts AS (
  SELECT principal, event_source, event_name
  FROM ct
  GROUP BY ALL
  HAVING min(event_time) >= (SELECT baseline_end FROM bounds)
),
calls AS (
  SELECT
    ct.principal, ct.event_source, ct.event_name,
    arg_min({'t': ct.event_time, 'ip': ct.source_ip, 'ua': ct.user_agent, 'key': ct.access_key_id,
             'f': ct.source_file_id, 'r': ct.record_index},
            (ct.event_time, ct.source_file_id, ct.record_index)) AS first_call,
    max(ct.event_time) AS last_time,
    count(*) AS events,
    count(*) FILTER (WHERE ct.error_code IS NOT NULL) AS failed,
    count(DISTINCT ct.source_ip) AS distinct_source_ips,
    min_by({'tbl': 'cloudtrail', 'source_file_id': ct.source_file_id, 'record_index': ct.record_index},
           (ct.event_time, ct.source_file_id, ct.record_index), $max_refs) AS evidence
  FROM ct
  JOIN firsts USING (principal, event_source, event_name)
  GROUP BY ALL
)
SELECT
  principal,
  event_source,
  event_name,
  iso(first_call.t) AS first_seen,
  first_call.ip AS first_source_ip,
  first_call.ua AS first_user_agent,
  first_call.key AS first_access_key_id,
  iso(last_time) AS last_seen,
  events,
  failed,
  distinct_source_ips,
  principal NOT IN (SELECT principal FROM baseline_principals) AS new_principal,
  first_call.f AS source_file_id,
  first_call.r AS record_index,
  evidence
FROM calls
ORDER BY first_call.t, principal, event_source, event_name
