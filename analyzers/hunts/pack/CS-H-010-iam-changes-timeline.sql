-- @id: CS-H-010
-- @title: IAM changes timeline
-- @description: Every IAM call that changes something (names starting Create, Attach, Put, Delete, Detach, Update, Add, Remove, ...) in time order, with who made it, from where, the entity it touched and the policy involved. The backbone of a persistence and privilege-escalation timeline: new users, access keys, login profiles, attached AdministratorAccess, inline policies, trust-policy edits. Failed attempts are kept and marked.
-- @author: Cloudsift
-- @attack: T1098, T1136.003, T1098.001, T1484
-- @tags: cloudtrail, iam, persistence, timeline
-- @param name_prefixes varchar[] = ["Create", "Attach", "Put", "Delete", "Detach", "Update", "Add", "Remove", "Upload", "Change", "Deactivate", "Enable", "Set", "Tag", "Untag", "Reset"]  -- event name prefixes that count as changes
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only changes at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only changes before this time
-- @param include_failed boolean = true  -- keep calls that failed
SELECT
  iso(event_time) AS event_time,
  event_name,
  CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
       ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
  user_arn AS caller_arn,
  access_key_id,
  coalesce(request_parameters ->> 'userName', request_parameters ->> 'roleName', request_parameters ->> 'groupName',
           request_parameters ->> 'instanceProfileName', request_parameters ->> 'policyArn',
           request_parameters ->> 'serverCertificateName', request_parameters ->> 'openIDConnectProviderArn',
           request_parameters ->> 'sAMLProviderArn', request_parameters ->> 'serialNumber') AS target,
  coalesce(request_parameters ->> 'policyArn', request_parameters ->> 'policyName') AS policy,
  coalesce(response_elements -> 'accessKey' ->> 'accessKeyId', request_parameters ->> 'accessKeyId') AS affected_access_key_id,
  error_code,
  source_ip,
  user_agent,
  aws_region,
  request_parameters,
  source_file_id,
  record_index
FROM cloudtrail
WHERE event_source = 'iam.amazonaws.com'
  AND cloudtrail.event_time >= $since::TIMESTAMPTZ AND cloudtrail.event_time < $until::TIMESTAMPTZ
  AND len(list_filter($name_prefixes, lambda p: starts_with(event_name, p))) > 0
  AND ($include_failed OR error_code IS NULL)
ORDER BY cloudtrail.event_time, source_file_id, record_index
