-- @id: CS-H-003
-- @title: Regions first used after the baseline
-- @description: AWS regions of each account that see their first CloudTrail event after the baseline (the first baseline_days days of CloudTrail in the case). Attackers launch miners and hide resources in regions nobody watches. Global-service events (IAM, STS, sign-in, billing) are logged in us-east-1 and say nothing about a region's use, so they are left out. One row per account and region, earliest first.
-- @author: Cloudsift
-- @attack: T1535, T1496
-- @tags: cloudtrail, baseline, regions
-- @param baseline_days integer = 7  -- days from the first CloudTrail event that count as normal activity
-- @param global_sources varchar[] = ["iam.amazonaws.com", "sts.amazonaws.com", "signin.amazonaws.com", "organizations.amazonaws.com", "health.amazonaws.com", "ce.amazonaws.com", "billingconsole.amazonaws.com", "support.amazonaws.com", "route53.amazonaws.com", "cloudfront.amazonaws.com"]  -- services whose events say nothing about the region they are logged in
-- @param max_refs integer = 20  -- evidence references kept per row
WITH ct AS (
  SELECT coalesce(recipient_account_id, account_id) AS account, aws_region, event_time, event_source, event_name,
         CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
              ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
         source_ip, error_code, source_file_id, record_index
  FROM cloudtrail
  WHERE aws_region IS NOT NULL AND NOT list_contains($global_sources, event_source)
),
bounds AS (
  SELECT min(event_time) + to_days($baseline_days) AS baseline_end FROM cloudtrail
),
new_regions AS (
  SELECT account, aws_region
  FROM ct
  GROUP BY ALL
  HAVING min(event_time) >= (SELECT baseline_end FROM bounds)
)
SELECT
  account,
  aws_region,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  count(*) AS events,
  count(*) FILTER (WHERE error_code IS NOT NULL) AS failed,
  list(DISTINCT principal ORDER BY principal) FILTER (WHERE principal IS NOT NULL) AS principals,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  list(DISTINCT event_name ORDER BY event_name) FILTER (WHERE event_name IS NOT NULL) AS event_names,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM ct
JOIN new_regions USING (account, aws_region)
GROUP BY account, aws_region
ORDER BY min(event_time), account, aws_region
