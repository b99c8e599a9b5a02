import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSigma } from '../../../../analyzers/hunts/sigma/compileSigma';
import { rule } from './sigmaFixture';

const sqlFor = (field: string) =>
  compileSigma(
    rule(`
      selection:
          ${field}: x
      condition: selection`),
  ).hunt.sql.split('\nWHERE ')[1];

test('top-level and userIdentity fields read their typed columns', () => {
  const typed: [string, string][] = [
    ['eventSource', 'event_source'],
    ['eventName', 'event_name'],
    ['eventType', 'event_type'],
    ['awsRegion', 'aws_region'],
    ['sourceIPAddress', 'source_ip'],
    ['userAgent', 'user_agent'],
    ['errorCode', 'error_code'],
    ['errorMessage', 'error_message'],
    ['recipientAccountId', 'recipient_account_id'],
    ['readOnly', 'read_only'],
    ['userIdentity.type', 'user_type'],
    ['userIdentity.arn', 'user_arn'],
    ['userIdentity.userName', 'user_name'],
    ['userIdentity.principalId', 'principal_id'],
    ['userIdentity.accountId', 'account_id'],
    ['userIdentity.accessKeyId', 'access_key_id'],
    ['userIdentity.sessionContext.sessionIssuer.arn', 'session_issuer_arn'],
  ];
  for (const [field, column] of typed) {
    const where = sqlFor(field);
    assert.match(where, new RegExp(`"${column}"`), field);
    assert.doesNotMatch(where, /json_extract/, field);
  }
});

test('other fields are read from the record JSON, odd keys quoted', () => {
  assert.match(sqlFor('requestParameters.bucketName'), /json_extract_string\("raw", '\$\.requestParameters\.bucketName'\)/);
  assert.match(sqlFor('userIdentity.sessionContext.attributes.creationDate'), /'\$\.userIdentity\.sessionContext\.attributes\.creationDate'/);
  assert.match(sqlFor('additionalEventData.x-amz-id-2'), /'\$\.additionalEventData\."x-amz-id-2"'/);
  assert.match(sqlFor('tlsDetails.clientProvidedHostHeader'), /'\$\.tlsDetails\.clientProvidedHostHeader'/);
  assert.match(sqlFor("requestParameters.it's"), /'\$\.requestParameters\."it''s"'/);
  assert.match(sqlFor('responseElements.instancesSet.items.instanceId'), /'\$\.responseElements\.instancesSet\.items\[\*\]\.instanceId'/);
});

test('a field outside CloudTrail records is read as written, with a warning', () => {
  const r = compileSigma(
    rule(`
      selection:
          constructor: x
      condition: selection`),
  );
  assert.match(r.hunt.sql, /'\$\.constructor'/);
  assert.deepEqual(r.warnings, ["field 'constructor' is not a CloudTrail record field; it is read from the record JSON as written"]);
});
