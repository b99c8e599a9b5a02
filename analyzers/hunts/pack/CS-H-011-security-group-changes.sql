-- @id: CS-H-011
-- @title: Who touched security groups
-- @description: Security group creations, deletions and rule changes in time order: who, from where, which group, and the address ranges and ports of the rules. opens_to_world marks rules from 0.0.0.0/0 or ::/0, the usual way an intruder opens SSH or RDP to itself.
-- @author: Cloudsift
-- @attack: T1562.007, T1098
-- @tags: cloudtrail, ec2, network, defense-evasion
-- @param event_names varchar[] = ["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup", "ModifySecurityGroupRules", "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress", "ModifyInstanceAttribute", "ModifyNetworkInterfaceAttribute"]  -- calls that change security groups or attach them
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only changes at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only changes before this time
WITH changes AS (
  SELECT event_time, event_name, user_type, session_issuer_arn, user_arn, principal_id, invoked_by, error_code,
         source_ip, user_agent, aws_region, response_elements, request_parameters AS rp, source_file_id, record_index
  FROM cloudtrail
  WHERE event_source = 'ec2.amazonaws.com'
    AND list_contains($event_names, event_name)
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
    AND (event_name NOT IN ('ModifyInstanceAttribute', 'ModifyNetworkInterfaceAttribute')
         OR json_exists(request_parameters, '$.groupSet'))
)
SELECT
  iso(event_time) AS event_time,
  event_name,
  CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
       ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
  user_arn AS caller_arn,
  coalesce(rp ->> 'groupId', rp ->> 'groupName', rp ->> 'instanceId', rp ->> 'networkInterfaceId',
           response_elements ->> 'groupId') AS target,
  coalesce(list_sort(list_distinct(json_extract_string(rp, '$..cidrIp') || json_extract_string(rp, '$..cidrIpv6')
                || json_extract_string(rp, '$..CidrIpv4') || json_extract_string(rp, '$..CidrIpv6'))), []) AS cidrs,
  coalesce(list_sort(list_distinct(list_transform(json_extract_string(rp, '$..fromPort') || json_extract_string(rp, '$..FromPort'),
                                                  lambda x: TRY_CAST(x AS INTEGER)))), []) AS from_ports,
  coalesce(list_sort(list_distinct(list_transform(json_extract_string(rp, '$..toPort') || json_extract_string(rp, '$..ToPort'),
                                                  lambda x: TRY_CAST(x AS INTEGER)))), []) AS to_ports,
  contains(rp::VARCHAR, '"0.0.0.0/0"') OR contains(rp::VARCHAR, '"::/0"') AS opens_to_world,
  error_code,
  source_ip,
  user_agent,
  aws_region,
  rp AS request_parameters,
  source_file_id,
  record_index
FROM changes
ORDER BY changes.event_time, source_file_id, record_index
