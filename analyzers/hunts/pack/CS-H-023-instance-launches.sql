-- @id: CS-H-023
-- @title: EC2 instance launches by principal, region and type
-- @description: RunInstances calls per principal, region and instance type, with how many instances were asked for, how many calls failed (VcpuLimitExceeded, Unsupported and InsufficientInstanceCapacity are what a miner hitting quotas looks like), the images and key pairs used, and the instance ids launched. GPU and large types in an unused region are resource hijacking.
-- @author: Cloudsift
-- @attack: T1496, T1578.002, T1535
-- @tags: cloudtrail, ec2, resource-hijacking
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only launches at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only launches before this time
-- @param max_refs integer = 20  -- evidence references kept per row
WITH launches AS (
  SELECT
    CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
         ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
    aws_region, event_time, source_ip, error_code, source_file_id, record_index,
    coalesce(request_parameters ->> 'instanceType',
             json_extract_string(request_parameters, '$.launchTemplate.launchTemplateName'),
             json_extract_string(request_parameters, '$.launchTemplate.launchTemplateId')) AS instance_type,
    TRY_CAST(coalesce(request_parameters -> 'instancesSet' -> 'items' -> 0 ->> 'maxCount',
                      request_parameters ->> 'maxCount') AS INTEGER) AS requested,
    coalesce(json_extract_string(request_parameters, '$.instancesSet.items[0].imageId'), request_parameters ->> 'imageId') AS image_id,
    coalesce(json_extract_string(request_parameters, '$.instancesSet.items[0].keyName'), request_parameters ->> 'keyName') AS key_name,
    json_extract_string(response_elements, '$.instancesSet.items[*].instanceId') AS instance_ids
  FROM cloudtrail
  WHERE event_source = 'ec2.amazonaws.com' AND event_name = 'RunInstances'
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
)
SELECT
  principal,
  aws_region,
  instance_type,
  count(*) AS calls,
  count(*) FILTER (WHERE error_code IS NOT NULL) AS failed,
  list(DISTINCT error_code ORDER BY error_code) FILTER (WHERE error_code IS NOT NULL) AS error_codes,
  sum(requested) AS instances_requested,
  flatten(list(instance_ids)) AS instances_launched,
  list(DISTINCT image_id ORDER BY image_id) FILTER (WHERE image_id IS NOT NULL) AS images,
  list(DISTINCT key_name ORDER BY key_name) FILTER (WHERE key_name IS NOT NULL) AS key_pairs,
  list(DISTINCT source_ip ORDER BY source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 'cloudtrail', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM launches
GROUP BY principal, aws_region, instance_type
ORDER BY min(event_time), principal, aws_region, instance_type
