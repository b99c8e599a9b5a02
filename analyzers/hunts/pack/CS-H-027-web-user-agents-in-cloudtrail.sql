-- @id: CS-H-027
-- @title: Load balancer user agents that also call AWS APIs
-- @description: User agents seen both in load balancer logs and in CloudTrail. Browsers and SDKs are shared by everyone and are left out by pattern; what remains ties a web attacker to the API calls made with what they stole (the same curl build, a payload in the agent string, a scanner's name). With the web clients and the API principals and addresses on each side, and whether any address is on both sides.
-- @author: Cloudsift
-- @attack: T1190, T1552.005, T1078.004
-- @tags: cross-source, elb, cloudtrail, user-agent
-- @param ignore_patterns varchar[] = ["Mozilla/5.0 (%", "aws-cli/%", "Boto3/%", "botocore/%", "aws-sdk-%", "AWS Internal", "%.amazonaws.com", "console.amazonaws.com", "Amazon CloudFront", "ELB-HealthChecker/%"]  -- LIKE patterns of agents everybody shares
-- @param max_refs integer = 20  -- evidence references kept per side
WITH candidates AS (
  SELECT user_agent
  FROM (SELECT DISTINCT user_agent FROM cloudtrail WHERE user_agent IS NOT NULL)
  WHERE len(list_filter($ignore_patterns, lambda p: user_agent LIKE p)) = 0
),
web AS (
  SELECT user_agent, count(*) AS requests, list(DISTINCT client_ip ORDER BY client_ip) FILTER (WHERE client_ip IS NOT NULL) AS clients,
         min(event_time) AS first_time, max(event_time) AS last_time,
         min_by({'tbl': 'elb', 'source_file_id': source_file_id, 'record_index': record_index},
                (event_time, source_file_id, record_index), $max_refs) AS refs
  FROM elb
  WHERE user_agent IN (SELECT user_agent FROM candidates)
  GROUP BY user_agent
),
api AS (
  SELECT user_agent, count(*) AS calls,
         list(DISTINCT coalesce(user_arn, principal_id, invoked_by, user_type) ORDER BY coalesce(user_arn, principal_id, invoked_by, user_type)) FILTER (WHERE coalesce(user_arn, principal_id, invoked_by, user_type) IS NOT NULL) AS principals,
         list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
         list(DISTINCT event_name ORDER BY event_name) FILTER (WHERE event_name IS NOT NULL) AS event_names,
         min(event_time) AS first_time, max(event_time) AS last_time,
         min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
                (event_time, source_file_id, record_index), $max_refs) AS refs
  FROM cloudtrail
  WHERE user_agent IN (SELECT user_agent FROM web)
  GROUP BY user_agent
)
SELECT
  web.user_agent,
  web.requests AS web_requests,
  web.clients AS web_clients,
  iso(web.first_time) AS web_first_seen,
  iso(web.last_time) AS web_last_seen,
  api.calls AS api_calls,
  api.principals AS api_principals,
  api.source_ips AS api_source_ips,
  api.event_names AS api_event_names,
  iso(api.first_time) AS api_first_seen,
  iso(api.last_time) AS api_last_seen,
  len(list_intersect(web.clients, api.source_ips)) > 0 AS same_address,
  web.refs || api.refs AS evidence
FROM web
JOIN api USING (user_agent)
ORDER BY least(web.first_time, api.first_time), web.user_agent
