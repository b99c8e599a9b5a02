-- @id: CS-H-022
-- @title: Resources opened to the public or other accounts
-- @description: Calls that can expose data beyond the account: bucket policies and ACLs, removed public access blocks, shared EBS and RDS snapshots and AMIs, public Lambda and ECR permissions, KMS key policies. public_principal marks a policy or permission granting to "*" or AllUsers/AuthenticatedUsers; shared_with lists account ids a snapshot or image was shared with. In time order.
-- @author: Cloudsift
-- @attack: T1537, T1530, T1562.007
-- @tags: cloudtrail, s3, exposure, exfiltration
-- @param event_names varchar[] = ["PutBucketPolicy", "PutBucketAcl", "PutObjectAcl", "DeleteBucketPublicAccessBlock", "PutBucketPublicAccessBlock", "DeletePublicAccessBlock", "PutAccountPublicAccessBlock", "ModifySnapshotAttribute", "ModifyImageAttribute", "ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute", "AddPermission", "SetRepositoryPolicy", "PutKeyPolicy", "PutResourcePolicy", "CreateAccessPoint", "PutAccessPointPolicy"]  -- calls that change who can reach a resource
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only calls at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only calls before this time
WITH changes AS (
  SELECT event_time, event_source, event_name, user_type, session_issuer_arn, user_arn, principal_id, invoked_by,
         error_code, source_ip, user_agent, aws_region, resources, request_parameters AS rp, source_file_id, record_index
  FROM cloudtrail
  WHERE list_contains($event_names, event_name)
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
)
SELECT
  iso(event_time) AS event_time,
  event_source,
  event_name,
  CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
       ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
  user_arn AS caller_arn,
  coalesce(rp ->> 'bucketName', rp ->> 'snapshotId', rp ->> 'imageId', rp ->> 'dBSnapshotIdentifier',
           rp ->> 'dBClusterSnapshotIdentifier', rp ->> 'functionName', rp ->> 'repositoryName', rp ->> 'keyId',
           rp ->> 'resourceArn', rp ->> 'name', json_extract_string(resources, '$[0].ARN')) AS target,
  regexp_matches(coalesce(rp::VARCHAR, ''),
    '"Principal"\s*:\s*"\*"|"Principal"\s*:\s*\{\s*"AWS"\s*:\s*"\*"|"AWS"\s*:\s*\[[^\]]*"\*"|AllUsers|AuthenticatedUsers|"group"\s*:\s*"all"|"principal"\s*:\s*"\*"|"valuesToAdd"\s*:\s*\[[^\]]*"all"') AS public_principal,
  coalesce(list_sort(list_distinct(json_extract_string(rp, '$.createVolumePermission.add.items[*].userId')
                || json_extract_string(rp, '$.launchPermission.add.items[*].userId')
                || json_extract_string(rp, '$.valuesToAdd[*]'))), []) AS shared_with,
  error_code,
  source_ip,
  user_agent,
  aws_region,
  rp AS request_parameters,
  source_file_id,
  record_index
FROM changes
ORDER BY changes.event_time, source_file_id, record_index
