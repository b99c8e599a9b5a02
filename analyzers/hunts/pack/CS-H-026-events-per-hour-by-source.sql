-- @id: CS-H-026
-- @title: Event volume per hour and source
-- @description: Records per hour in each log source (CloudTrail, VPC flow, load balancers by type, S3 access), with failures where the source has them (CloudTrail error codes, VPC REJECTs, HTTP status 400 and above), ready to chart. Spikes show scans and exfiltration; flat zeros between busy hours show logging that stopped. Hours with no record in a source are listed with zero between that source's first and last hour.
-- @author: Cloudsift
-- @attack: T1562.008
-- @tags: overview, chart, volume, cross-source
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only hours at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only hours before this time
WITH counts AS (
  -- Hours as integers (epoch hours): far cheaper than date_trunc on TIMESTAMPTZ over millions of rows.
  SELECT 'cloudtrail' AS source, epoch_us(event_time) // 3600000000 AS h, count(*) AS records,
         count(*) FILTER (WHERE error_code IS NOT NULL) AS failures
  FROM cloudtrail WHERE event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ GROUP BY 1, 2
  UNION ALL
  SELECT 'vpc_flow', epoch_us(event_time) // 3600000000, count(*), count(*) FILTER (WHERE action = 'REJECT')
  FROM vpc_flow WHERE event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ GROUP BY 1, 2
  UNION ALL
  SELECT 'elb/' || coalesce(lb_type, 'unknown'), epoch_us(event_time) // 3600000000, count(*), count(*) FILTER (WHERE elb_status_code >= 400)
  FROM elb WHERE event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ GROUP BY 1, 2
  UNION ALL
  SELECT 's3_access', epoch_us(event_time) // 3600000000, count(*), count(*) FILTER (WHERE http_status >= 400)
  FROM s3_access WHERE event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ GROUP BY 1, 2
),
hours AS (
  SELECT source, unnest(range(min(h), max(h) + 1)) AS h FROM counts GROUP BY source
)
SELECT
  iso(to_timestamp(h.h * 3600)) AS hour,
  h.source,
  coalesce(c.records, 0) AS records,
  coalesce(c.failures, 0) AS failures
FROM hours h
LEFT JOIN counts c ON c.source = h.source AND c.h = h.h
ORDER BY h.h, h.source
