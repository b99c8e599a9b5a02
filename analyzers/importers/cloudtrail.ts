import { STAGE_JSON } from './jsonStage';

/**
 * CloudTrail records are parsed once each by json_transform into a struct of
 * the fields investigators filter on; nested parts stay JSON. Schema
 * auto-detection is not used: it samples the first files and drops keys it
 * did not see there.
 *
 * Fallbacks cover re-exports seen in the wild: Logstash renames eventTime to
 * @timestamp; the Datadog forwarder moves sourceIPAddress, userAgent and
 * requestID under network/http.
 */
const SPEC = JSON.stringify({
  eventVersion: 'VARCHAR',
  eventTime: 'VARCHAR',
  '@timestamp': 'VARCHAR',
  eventSource: 'VARCHAR',
  eventName: 'VARCHAR',
  eventType: 'VARCHAR',
  eventCategory: 'VARCHAR',
  awsRegion: 'VARCHAR',
  recipientAccountId: 'VARCHAR',
  sourceIPAddress: 'VARCHAR',
  userAgent: 'VARCHAR',
  userIdentity: 'JSON',
  errorCode: 'VARCHAR',
  errorMessage: 'VARCHAR',
  readOnly: 'VARCHAR',
  managementEvent: 'VARCHAR',
  requestID: 'VARCHAR',
  eventID: 'VARCHAR',
  sharedEventID: 'VARCHAR',
  vpcEndpointId: 'VARCHAR',
  tlsDetails: { tlsVersion: 'VARCHAR', cipherSuite: 'VARCHAR' },
  resources: 'JSON',
  requestParameters: 'JSON',
  responseElements: 'JSON',
  additionalEventData: 'JSON',
  serviceEventDetails: 'JSON',
  insightDetails: 'JSON',
  network: { client: { ip: 'VARCHAR' } },
  http: { useragent: 'VARCHAR', request_id: 'VARCHAR' },
});

const IDENTITY_SPEC = JSON.stringify({
  type: 'VARCHAR',
  arn: 'VARCHAR',
  userName: 'VARCHAR',
  principalId: 'VARCHAR',
  accountId: 'VARCHAR',
  accessKeyId: 'VARCHAR',
  invokedBy: 'VARCHAR',
  sessionContext: {
    sessionIssuer: { arn: 'VARCHAR', userName: 'VARCHAR' },
    attributes: { mfaAuthenticated: 'VARCHAR', creationDate: 'VARCHAR' },
  },
});

/** JSON `null` and absent members both mean "no value". */
const jsonOrNull = (e: string) => `CASE WHEN ${e} IS NULL OR ${e}::VARCHAR = 'null' THEN NULL ELSE ${e} END`;

const boolOf = (e: string) => `CASE lower(${e}) WHEN 'true' THEN true WHEN 'false' THEN false ELSE NULL END`;

/** Rows of the stage that are valid CloudTrail records, parsed. */
const PARSED = `
  SELECT s.source_file_id, s.record_index, s.raw, s.envelope_time,
         json_transform(s.raw, '${SPEC}') AS j
  FROM (SELECT source_file_id, record_index, envelope_time, try(decode(raw)) AS raw FROM ${STAGE_JSON} WHERE target = 'cloudtrail') s
  WHERE s.raw IS NOT NULL AND json_valid(s.raw) AND try(json_type(s.raw)) = 'OBJECT'`;

const EVENT_TIME = `coalesce(j.eventTime, j."@timestamp")`;

export const CLOUDTRAIL_INSERT = `
INSERT INTO cloudtrail (
  source_file_id, record_index, event_time, event_version, event_source, event_name, event_type,
  event_category, aws_region, recipient_account_id, source_ip, user_agent, user_type, user_arn,
  user_name, principal_id, account_id, access_key_id, session_issuer_arn, session_issuer_name,
  session_name, session_creation_date, mfa_authenticated, invoked_by, error_code, error_message,
  read_only, management_event, request_id, event_id, shared_event_id, vpc_endpoint_id, tls_version,
  cipher_suite, console_login_result, user_identity, resources, request_parameters,
  response_elements, additional_event_data, service_event_details, insight_details, raw)
SELECT
  source_file_id, record_index,
  coalesce(TRY_CAST(${EVENT_TIME} AS TIMESTAMPTZ), to_timestamp(envelope_time / 1000.0)),
  j.eventVersion, j.eventSource, j.eventName, j.eventType,
  coalesce(j.eventCategory, CASE WHEN j.insightDetails IS NOT NULL THEN 'Insight' END),
  j.awsRegion, j.recipientAccountId,
  coalesce(j.sourceIPAddress, j.network.client.ip),
  coalesce(j.userAgent, j.http.useragent),
  u.type, nullif(u.arn, ''), u.userName, u.principalId, u.accountId, nullif(u.accessKeyId, ''),
  u.sessionContext.sessionIssuer.arn, u.sessionContext.sessionIssuer.userName,
  CASE WHEN u.type = 'AssumedRole' THEN nullif(split_part(u.arn, '/', 3), '') END,
  TRY_CAST(u.sessionContext.attributes.creationDate AS TIMESTAMPTZ),
  ${boolOf('u.sessionContext.attributes.mfaAuthenticated')},
  u.invokedBy, j.errorCode, j.errorMessage,
  ${boolOf('j.readOnly')}, ${boolOf('j.managementEvent')},
  coalesce(j.requestID, j.http.request_id), j.eventID, j.sharedEventID, j.vpcEndpointId,
  j.tlsDetails.tlsVersion, j.tlsDetails.cipherSuite,
  CASE WHEN j.eventName = 'ConsoleLogin' THEN j.responseElements->>'ConsoleLogin' END,
  ${jsonOrNull('j.userIdentity')}, ${jsonOrNull('j.resources')}, ${jsonOrNull('j.requestParameters')},
  ${jsonOrNull('j.responseElements')}, ${jsonOrNull('j.additionalEventData')},
  ${jsonOrNull('j.serviceEventDetails')}, ${jsonOrNull('j.insightDetails')},
  raw
FROM (
  SELECT p.*, json_transform(p.j.userIdentity, '${IDENTITY_SPEC}') AS u FROM (${PARSED}) p
)
WHERE ${EVENT_TIME} IS NULL OR TRY_CAST(${EVENT_TIME} AS TIMESTAMPTZ) IS NOT NULL`;

/** Staged CloudTrail rows the insert above leaves out, with the reason. try() because the JSON functions throw on invalid JSON. */
export const CLOUDTRAIL_REJECTS = `
SELECT source_file_id, record_index, raw,
  CASE WHEN raw IS NULL THEN 'invalid UTF-8'
       WHEN NOT json_valid(raw) THEN 'invalid JSON'
       WHEN try(json_type(raw)) <> 'OBJECT' THEN 'record is not a JSON object'
       ELSE 'eventTime is not a timestamp: ' || try(coalesce(raw->>'eventTime', raw->>'@timestamp')) END AS reason
FROM (SELECT source_file_id, record_index, try(decode(raw)) AS raw FROM ${STAGE_JSON} WHERE target = 'cloudtrail')
WHERE raw IS NULL OR NOT json_valid(raw) OR try(json_type(raw)) <> 'OBJECT'
   OR (try(coalesce(raw->>'eventTime', raw->>'@timestamp')) IS NOT NULL
       AND TRY_CAST(try(coalesce(raw->>'eventTime', raw->>'@timestamp')) AS TIMESTAMPTZ) IS NULL)`;

