-- @id: CS-H-019
-- @title: Logging and detection tampering
-- @description: Calls that stop, delete or blind the account's logging and detection: CloudTrail StopLogging, DeleteTrail, UpdateTrail and event selector changes, GuardDuty detectors and filters, AWS Config recorders, VPC flow logs, CloudWatch log groups, Security Hub and Access Analyzer. Each in time order with who, from where and on what. A StopLogging is usually followed by a gap: see the CloudTrail gaps hunt.
-- @author: Cloudsift
-- @attack: T1562.008, T1562.001, T1070
-- @tags: cloudtrail, defense-evasion, logging
-- @param event_names varchar[] = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors", "DeleteEventDataStore", "StopEventDataStoreIngestion", "DeleteDetector", "UpdateDetector", "DeleteMembers", "DisassociateFromMasterAccount", "DisassociateFromAdministratorAccount", "CreateFilter", "UpdateFilter", "DeleteIPSet", "DeletePublishingDestination", "StopConfigurationRecorder", "DeleteConfigurationRecorder", "DeleteDeliveryChannel", "DeleteConfigRule", "DeleteFlowLogs", "DeleteLogGroup", "DeleteLogStream", "PutRetentionPolicy", "DisableSecurityHub", "BatchDisableStandards", "DeleteAnalyzer", "DisableOrganizationAdminAccount"]  -- calls that weaken logging or detection
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only calls at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only calls before this time
SELECT
  iso(event_time) AS event_time,
  event_source,
  event_name,
  CASE WHEN user_type = 'AssumedRole' THEN coalesce(session_issuer_arn, user_arn)
       ELSE coalesce(user_arn, principal_id, invoked_by, user_type) END AS principal,
  user_arn AS caller_arn,
  coalesce(request_parameters ->> 'name', request_parameters ->> 'trailName', request_parameters ->> 'detectorId',
           request_parameters ->> 'configurationRecorderName', request_parameters ->> 'logGroupName',
           request_parameters ->> 'analyzerName', request_parameters ->> 'eventDataStore',
           CASE WHEN json_exists(request_parameters, '$.DeleteFlowLogsRequest') THEN (request_parameters -> 'DeleteFlowLogsRequest')::VARCHAR END,
           json_extract_string(resources, '$[0].ARN')) AS target,
  error_code,
  source_ip,
  user_agent,
  aws_region,
  request_parameters,
  source_file_id,
  record_index
FROM cloudtrail
WHERE list_contains($event_names, event_name)
  AND cloudtrail.event_time >= $since::TIMESTAMPTZ AND cloudtrail.event_time < $until::TIMESTAMPTZ
  AND (event_name NOT IN ('CreateFilter', 'UpdateFilter', 'DeleteMembers', 'UpdateDetector') OR event_source = 'guardduty.amazonaws.com')
  AND (event_name <> 'PutRetentionPolicy' OR event_source = 'logs.amazonaws.com')
ORDER BY cloudtrail.event_time, source_file_id, record_index
