import { CLOUDTRAIL_COLUMNS, quoteIdent, type ColumnType } from '../../store/schema';
import { SigmaRuleError } from './errors';

/**
 * Where a Sigma field's value is read from. Fields the importer keeps as
 * typed columns are read there (fast, and the same value: each column is the
 * record's field as given); every other field is read from the record JSON.
 */
export interface FieldTarget {
  field: string;
  /** JSON path of the field in the record, for existence checks. */
  jsonPath: string;
  /** SQL giving the value as text; a VARCHAR[] when `many`. */
  text: string;
  /** SQL giving the value in its own type (a typed column), else the text. */
  native: string;
  type: ColumnType;
  /**
   * The path crosses a JSON array (CloudTrail's EC2 `items` lists, the
   * top-level `resources`): the value is every element's, and the field
   * matches when one of them does.
   */
  many: boolean;
}

const TYPED: Record<string, string> = {
  eventVersion: 'event_version',
  eventSource: 'event_source',
  eventName: 'event_name',
  eventType: 'event_type',
  eventCategory: 'event_category',
  awsRegion: 'aws_region',
  recipientAccountId: 'recipient_account_id',
  sourceIPAddress: 'source_ip',
  userAgent: 'user_agent',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  readOnly: 'read_only',
  managementEvent: 'management_event',
  requestID: 'request_id',
  eventID: 'event_id',
  sharedEventID: 'shared_event_id',
  vpcEndpointId: 'vpc_endpoint_id',
  'tlsDetails.tlsVersion': 'tls_version',
  'tlsDetails.cipherSuite': 'cipher_suite',
  'userIdentity.type': 'user_type',
  'userIdentity.arn': 'user_arn',
  'userIdentity.userName': 'user_name',
  'userIdentity.principalId': 'principal_id',
  'userIdentity.accountId': 'account_id',
  'userIdentity.accessKeyId': 'access_key_id',
  'userIdentity.invokedBy': 'invoked_by',
  'userIdentity.sessionContext.sessionIssuer.arn': 'session_issuer_arn',
  'userIdentity.sessionContext.sessionIssuer.userName': 'session_issuer_name',
  'userIdentity.sessionContext.attributes.mfaAuthenticated': 'mfa_authenticated',
};

/** Top-level keys of CloudTrail records; a field outside them is probably a typo or another log's name. */
const RECORD_KEYS = new Set([
  'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
  'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID',
  'readOnly', 'resources', 'eventType', 'apiVersion', 'managementEvent', 'recipientAccountId', 'serviceEventDetails',
  'sharedEventID', 'vpcEndpointId', 'vpcEndpointAccountId', 'eventCategory', 'tlsDetails', 'sessionCredentialFromConsole',
  'edgeDeviceDetails', 'insightDetails', 'addendum',
]);

export function fieldTarget(field: string, warn: (w: string) => void): FieldTarget {
  const segments = field.split('.');
  if (segments.some((s) => s === '') || /[\u0000-\u001f\u007f]/.test(field)) {
    throw new SigmaRuleError(`'${field}' is not a field name`);
  }
  const jsonPath = `$${segments.map(pathSegment).join('')}`;
  if (Object.hasOwn(TYPED, field)) {
    const column = TYPED[field];
    const def = CLOUDTRAIL_COLUMNS.find((c) => c.name === column);
    if (!def) throw new Error(`field map names ${column}, which is not a cloudtrail column`);
    const ident = quoteIdent(column);
    return { field, jsonPath, text: def.type === 'VARCHAR' ? ident : `CAST(${ident} AS VARCHAR)`, native: ident, type: def.type, many: false };
  }
  if (!RECORD_KEYS.has(segments[0])) warn(`field '${field}' is not a CloudTrail record field; it is read from the record JSON as written`);
  const arrayPath = `$${segments.map((s, i) => pathSegment(s) + (isArraySegment(segments, i) ? '[*]' : '')).join('')}`;
  const many = arrayPath !== jsonPath;
  const text = `json_extract_string(${quoteIdent('raw')}, ${sqlLiteral(many ? arrayPath : jsonPath)})`;
  return { field, jsonPath, text, native: text, type: 'VARCHAR', many };
}

function isArraySegment(segments: string[], i: number): boolean {
  return (i === 0 && segments[0] === 'resources') || (i > 0 && segments[i] === 'items');
}

/** One JSON path step; keys that are not plain names are quoted, as DuckDB's JSON paths allow. */
function pathSegment(key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `.${key}`;
  return `."${key.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A SQL string literal for a JSON path: paths are built from field names, which are not bound values. */
export function sqlLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
