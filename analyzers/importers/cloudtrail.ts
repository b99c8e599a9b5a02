/**
 * CloudTrail records are parsed once each by json_transform into a struct of
 * the fields investigators filter on; nested parts (requestParameters, ...)
 * are virtual columns over raw (see schema.ts). Schema
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
  userIdentity: {
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
  },
  errorCode: 'VARCHAR',
  errorMessage: 'VARCHAR',
  readOnly: 'VARCHAR',
  managementEvent: 'VARCHAR',
  requestID: 'VARCHAR',
  eventID: 'VARCHAR',
  sharedEventID: 'VARCHAR',
  vpcEndpointId: 'VARCHAR',
  tlsDetails: { tlsVersion: 'VARCHAR', cipherSuite: 'VARCHAR' },
  responseElements: { ConsoleLogin: 'VARCHAR' },
  insightDetails: { state: 'VARCHAR' },
  network: { client: { ip: 'VARCHAR' } },
  http: { useragent: 'VARCHAR', request_id: 'VARCHAR' },
});

const boolOf = (e: string) => `CASE lower(${e}) WHEN 'true' THEN true WHEN 'false' THEN false ELSE NULL END`;

/**
 * Insert the CloudTrail records of `source`, a relation of (source_file_id,
 * record_index, raw VARCHAR or NULL when not UTF-8, envelope_time), each
 * parsed once by json_transform in the same statement. Records that are not
 * valid JSON (the transform fails, try() makes it NULL) or whose time is not
 * a timestamp are left out; the caller finds them by count. `source` must
 * hold JSON objects only: json_transform reads any other value as an empty
 * object.
 *
 * The volatile term keeps the filter above the projections: pushed down, it
 * would be rewritten over json_transform itself, and every record parsed
 * twice.
 */
export function cloudtrailInsert(source: string): string {
  return `
INSERT INTO cloudtrail (
  source_file_id, record_index, event_time, event_version, event_source, event_name, event_type,
  event_category, aws_region, recipient_account_id, source_ip, user_agent, user_type, user_arn,
  user_name, principal_id, account_id, access_key_id, session_issuer_arn, session_issuer_name,
  session_name, session_creation_date, mfa_authenticated, invoked_by, error_code, error_message,
  read_only, management_event, request_id, event_id, shared_event_id, vpc_endpoint_id, tls_version,
  cipher_suite, console_login_result, raw)
WITH q AS (
  SELECT *, j.userIdentity AS u, coalesce(j.eventTime, j."@timestamp") AS et
  FROM (SELECT source_file_id, record_index, raw, envelope_time, try(json_transform(raw, '${SPEC}')) AS j FROM ${source})
)
SELECT
  source_file_id, record_index,
  coalesce(TRY_CAST(et AS TIMESTAMPTZ), to_timestamp(envelope_time / 1000.0)),
  j.eventVersion, j.eventSource, j.eventName, j.eventType,
  coalesce(j.eventCategory, CASE WHEN j.insightDetails.state IS NOT NULL THEN 'Insight' END),
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
  CASE WHEN j.eventName = 'ConsoleLogin' THEN j.responseElements.ConsoleLogin END,
  raw
FROM q
WHERE (j IS NOT NULL AND (et IS NULL OR TRY_CAST(et AS TIMESTAMPTZ) IS NOT NULL)) OR random() < 0`;
}
