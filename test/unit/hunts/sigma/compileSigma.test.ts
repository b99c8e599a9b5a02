import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSigma, type SigmaCompileResult } from '../../../../analyzers/hunts/sigma/compileSigma';
import { parseHunt } from '../../../../analyzers/hunts/huntFile';
import { runHuntSandboxed } from '../../../../analyzers/hunts/runHunt';
import { CaseStore } from '../../../../analyzers/store/caseStore';
import { boundValues, matchedLabels, openFixtureCase, rule } from './sigmaFixture';

let store: CaseStore;
let casePath: string;
before(async () => {
  ({ store, casePath } = await openFixtureCase());
});
after(async () => {
  await store.close();
});

async function matches(detection: string): Promise<string[]> {
  return (await matchedLabels(store, compileSigma(rule(detection)))).sort();
}

function compiled(detection: string): SigmaCompileResult {
  return compileSigma(rule(detection));
}

describe('SigmaHQ-style CloudTrail rules', () => {
  test('AWS CloudTrail Important Change: eventSource and an eventName list', async () => {
    const yaml = `title: AWS CloudTrail Important Change
id: 4db60cc0-36fb-42b7-9b58-a5b53019fb74
status: test
description: Detects disabling, deleting and updating of a Trail
references:
    - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
author: vitaliy0x1
date: 2020-01-21
modified: 2022-10-09
tags:
    - attack.defense-evasion
    - attack.t1562.001
logsource:
    product: aws
    service: cloudtrail
detection:
    selection_source:
        eventSource: cloudtrail.amazonaws.com
        eventName:
            - StopLogging
            - UpdateTrail
            - DeleteTrail
    condition: selection_source
falsepositives:
    - Valid change in a Trail
level: medium
`;
    const r = compileSigma(yaml, 'rules/aws_cloudtrail_disable_logging.yml');
    assert.deepEqual((await matchedLabels(store, r)).sort(), ['deletetrail', 'stoplogging']);
    assert.equal(r.hunt.id, '4db60cc0-36fb-42b7-9b58-a5b53019fb74');
    assert.equal(r.hunt.title, 'AWS CloudTrail Important Change');
    assert.equal(r.hunt.author, 'vitaliy0x1');
    assert.deepEqual(r.hunt.attack, ['T1562.001']);
    assert.deepEqual(r.hunt.tags, ['sigma', 'attack.defense-evasion']);
    assert.equal(r.hunt.meta.level, 'medium');
    assert.equal(r.hunt.meta.status, 'test');
    assert.equal(r.hunt.meta.falsepositives, 'Valid change in a Trail');
    assert.equal(r.hunt.meta.sigma_id, '4db60cc0-36fb-42b7-9b58-a5b53019fb74');
    assert.equal(r.hunt.meta.sigma_source, 'rules/aws_cloudtrail_disable_logging.yml');
    assert.match(r.sqlText, /^-- @level: medium$/m);
    assert.match(r.sqlText, /^-- @falsepositives: Valid change in a Trail$/m);
    assert.match(r.sqlText, /^-- @param sigma_2 varchar\[\] = \["StopLogging","UpdateTrail","DeleteTrail"\]/m);
  });

  test('AWS EC2 Disable EBS Encryption', async () => {
    assert.deepEqual(await matches(`
      selection:
          eventSource: ec2.amazonaws.com
          eventName: DisableEbsEncryptionByDefault
      condition: selection`), ['disableebs']);
  });

  test('AWS Root Credentials: Root identity, not a service event', async () => {
    assert.deepEqual(await matches(`
      selection_usertype:
          userIdentity.type: Root
      selection_eventtype:
          eventType: AwsServiceEvent
      condition: selection_usertype and not selection_eventtype`), ['consolelogin', 'describetrails']);
  });

  test('AWS STS AssumeRole Misuse: userIdentity.type and a sessionContext field from the JSON', async () => {
    assert.deepEqual(await matches(`
      selection:
          userIdentity.type: AssumedRole
          userIdentity.sessionContext.sessionIssuer.type: Role
      condition: selection`), ['deletetrail', 'putbucketlogging']);
    assert.deepEqual(await matches(`
      selection:
          userIdentity.sessionContext.attributes.mfaAuthenticated: 'false'
          userIdentity.sessionContext.sessionIssuer.userName: deployer
      condition: selection`), ['deletetrail', 'putbucketlogging']);
  });

  test('AWS S3 Data Management Tampering: eventName list and requestParameters', async () => {
    assert.deepEqual(await matches(`
      selection:
          eventSource: s3.amazonaws.com
          eventName:
              - PutBucketLogging
              - PutBucketWebsite
              - PutEncryptionConfiguration
              - PutLifecycleConfiguration
          requestParameters.bucketName: Evidence-Bucket
      condition: selection`), ['putbucketlogging']);
  });

  test('a field inside an EC2 items array or the resources array matches when one element does', async () => {
    assert.deepEqual(await matches(`
      selection:
          requestParameters.ipPermissions.items.ipRanges.items.cidrIp: 0.0.0.0/0
      condition: selection`), ['sgingress']);
    assert.deepEqual(await matches(`
      selection:
          resources.ARN|endswith: ':::evidence-bucket'
      condition: selection`), ['putbucketlogging']);
  });
});

describe('values', () => {
  test('equality is case-insensitive', async () => {
    assert.deepEqual(await matches(`
      selection:
          eventName: stoplogging
      condition: selection`), ['stoplogging']);
  });

  test('* and ? wildcards; % and _ in a value are literal', async () => {
    assert.deepEqual(await matches(`
      selection:
          requestParameters.bucketName: 'Public_Data%*'
      condition: selection`), ['getobject']);
    assert.deepEqual(await matches(`
      selection:
          requestParameters.bucketName: 'public?data%bucket'
      condition: selection`), ['getobject', 'getobject2']);
    assert.deepEqual(await matches(`
      selection:
          requestParameters.bucketName: 'Public_Data?Bucket'
      condition: selection`), ['getobject']);
    assert.deepEqual(await matches(`
      selection:
          eventName: '*Trail*'
      condition: selection`), ['deletetrail', 'describetrails']);
  });

  test('an escaped wildcard is a literal character; other backslashes are themselves', async () => {
    assert.deepEqual(await matches(`
      selection:
          requestParameters.key: 'what\\?\\*.txt'
      condition: selection`), ['getobject2']);
    assert.deepEqual(await matches(`
      selection:
          eventName: 'Stop\\*'
      condition: selection`), []);
    assert.deepEqual(await matches(`
      selection:
          requestParameters.path: 'C:\\Temp\\\\*'
      condition: selection`), ['getobject2']);
  });

  test('numbers compare as numbers; booleans as booleans', async () => {
    assert.deepEqual(await matches(`
      selection:
          additionalEventData.bytesTransferredOut: 1048576
      condition: selection`), ['getobject']);
    assert.deepEqual(await matches(`
      selection:
          eventSource: cloudtrail.amazonaws.com
          readOnly: true
      condition: selection`), ['describetrails']);
  });

  test('a JSON key that is not a plain name', async () => {
    assert.deepEqual(await matches(`
      selection:
          additionalEventData.x-amz-id-2: ABC
      condition: selection`), ['getobject']);
  });

  test('null matches a missing field', async () => {
    assert.deepEqual(await matches(`
      selection:
          eventSource: cloudtrail.amazonaws.com
          errorCode: null
      condition: selection`), ['describetrails', 'stoplogging']);
  });

  test('a list is any of its values, null included', async () => {
    assert.deepEqual(await matches(`
      selection:
          eventSource: cloudtrail.amazonaws.com
          errorCode:
              - AccessDenied
              - null
      condition: selection`), ['deletetrail', 'describetrails', 'stoplogging']);
  });

  test('keywords search the record text', async () => {
    assert.deepEqual(await matches(`
      keywords:
          - 'evidence-bucket'
          - 'I-0ABC'
      condition: keywords`), ['assumerole', 'putbucketlogging']);
    const r = compiled(`
      keywords:
          - 'evidence-bucket'
      condition: keywords`);
    assert.ok(r.warnings.some((w) => /JSON text/.test(w)));
  });

  test('a value holding "--" survives the hunt header', async () => {
    const r = compiled(`
      selection:
          userAgent|contains: ' --endpoint-url '
      condition: selection`);
    assert.deepEqual(await matchedLabels(store, r), ['getobject']);
    assert.equal(parseHunt(r.sqlText).params[0].default, ' --endpoint-url ');
    assert.match(r.sqlText, /@param sigma_1 varchar = ' --endpoint-url '/);
  });
});

describe('modifiers', () => {
  test('contains', async () => {
    assert.deepEqual(await matches(`
      selection:
          userAgent|contains: PYTHON/3.11
      condition: selection`), ['deletetrail', 'disableebs', 'stoplogging']);
  });

  test('startswith', async () => {
    assert.deepEqual(await matches(`
      selection:
          userIdentity.accessKeyId|startswith: AKIA
          eventSource: iam.amazonaws.com
      condition: selection`), ['createaccesskey']);
  });

  test('endswith', async () => {
    assert.deepEqual(await matches(`
      selection:
          userIdentity.arn|endswith: ':root'
      condition: selection`), ['consolelogin', 'describetrails', 'rootservice']);
  });

  test('all: every value must match', async () => {
    assert.deepEqual(await matches(`
      selection:
          userAgent|contains|all:
              - aws-cli
              - Windows
      condition: selection`), ['disableebs']);
    assert.deepEqual(await matches(`
      selection:
          userAgent|contains:
              - aws-cli
              - Windows
      condition: selection`), ['disableebs', 'getobject', 'stoplogging']);
  });

  test('re, and re with the i flag', async () => {
    assert.deepEqual(await matches(`
      selection:
          userAgent|re: '^Boto3/1\\.3\\d'
      condition: selection`), ['deletetrail']);
    assert.deepEqual(await matches(`
      selection:
          userAgent|re: '^boto3/'
      condition: selection`), []);
    assert.deepEqual(await matches(`
      selection:
          userAgent|re|i: '^boto3/'
      condition: selection`), ['deletetrail']);
    assert.deepEqual(await matches(`
      selection:
          userIdentity.arn|re: '.+:assumed-role/Deploy.+'
      condition: selection`), ['deletetrail', 'putbucketlogging']);
  });

  test('cidr: IPv4 networks; names and IPv6 addresses never match', async () => {
    assert.deepEqual(await matches(`
      selection:
          sourceIPAddress|cidr: 10.0.0.0/8
      condition: selection`), ['createaccesskey', 'deletetrail', 'disableebs', 'putbucketlogging']);
    assert.deepEqual(await matches(`
      selection:
          sourceIPAddress|cidr:
              - 10.200.0.0/16
              - 192.168.0.0/16
              - 203.0.113.99
      condition: selection`), ['createaccesskey', 'disableebs', 'getobject', 'getobject2', 'sgingress']);
  });

  test('windash: a switch written with -, / or a dash character', async () => {
    assert.deepEqual(await matches(`
      selection:
          userAgent|windash|contains: ' -s3-upload'
      condition: selection`), ['consolelogin', 'getobject2']);
  });

  test('exists', async () => {
    assert.deepEqual(await matches(`
      selection:
          errorCode|exists: true
      condition: selection`), ['deletetrail']);
    assert.deepEqual(await matches(`
      selection:
          eventSource: cloudtrail.amazonaws.com
          errorCode|exists: false
      condition: selection`), ['describetrails', 'stoplogging']);
  });

  test('cased', async () => {
    assert.deepEqual(await matches(`
      selection:
          eventName|cased: stoplogging
      condition: selection`), []);
    assert.deepEqual(await matches(`
      selection:
          eventName|cased: StopLogging
      condition: selection`), ['stoplogging']);
  });

  test('gt, gte, lt, lte on numbers', async () => {
    const m = (op: string, n: number) =>
      matches(`
      selection:
          additionalEventData.bytesTransferredOut|${op}: ${n}
      condition: selection`);
    assert.deepEqual(await m('gt', 512), ['getobject']);
    assert.deepEqual(await m('gte', 512), ['getobject', 'getobject2']);
    assert.deepEqual(await m('lt', 1048576), ['getobject2']);
    assert.deepEqual(await m('lte', 1048576), ['getobject', 'getobject2']);
  });

  test('neq', async () => {
    assert.deepEqual(await matches(`
      selection:
          userIdentity.type: IAMUser
          eventSource|neq: s3.amazonaws.com
      condition: selection`), ['createaccesskey', 'disableebs', 'sgingress', 'stoplogging']);
  });

  test('fieldref compares two fields of the same record', async () => {
    assert.deepEqual(await matches(`
      selection:
          requestParameters.userName|fieldref: userIdentity.userName
      condition: selection`), ['createaccesskey']);
  });

  test('hour of eventTime', async () => {
    assert.deepEqual(await matches(`
      selection:
          eventTime|hour: 3
      condition: selection`), ['assumerole']);
  });
});

describe('conditions', () => {
  const searches = `
      sel_trail:
          eventSource: cloudtrail.amazonaws.com
      sel_s3:
          eventSource: s3.amazonaws.com
      filter_error:
          errorCode: AccessDenied
      filter_ro:
          readOnly: true
      _helper:
          eventName: AssumeRole`;
  const cond = (c: string) => matches(`${searches}\n      condition: ${c}`);

  test('or', async () => {
    assert.deepEqual(await cond('sel_trail or sel_s3'), ['deletetrail', 'describetrails', 'getobject', 'getobject2', 'putbucketlogging', 'stoplogging']);
  });

  test('and', async () => {
    assert.deepEqual(await cond('sel_s3 and filter_ro'), ['getobject', 'getobject2']);
  });

  test('not keeps records where the filtered field is missing', async () => {
    assert.deepEqual(await cond('sel_trail and not filter_error'), ['describetrails', 'stoplogging']);
  });

  test('not binds tighter than and, and tighter than or', async () => {
    assert.deepEqual(await cond('sel_s3 or sel_trail and not filter_ro'), ['deletetrail', 'getobject', 'getobject2', 'putbucketlogging', 'stoplogging']);
    assert.deepEqual(await cond('not sel_trail and filter_ro and not sel_s3'), ['assumerole', 'rootservice']);
  });

  test('parentheses', async () => {
    assert.deepEqual(await cond('(sel_s3 or sel_trail) and not filter_ro'), ['deletetrail', 'putbucketlogging', 'stoplogging']);
    assert.deepEqual(await cond('not (sel_trail or sel_s3 or filter_ro)'), ['consolelogin', 'createaccesskey', 'disableebs', 'sgingress']);
  });

  test('1 of selection*', async () => {
    assert.deepEqual(await cond('1 of sel_* and not filter_ro'), ['deletetrail', 'putbucketlogging', 'stoplogging']);
  });

  test('all of filter_*', async () => {
    assert.deepEqual(await cond('all of filter_*'), []);
    assert.deepEqual(await cond('all of sel_t* and all of filter_r*'), ['describetrails']);
  });

  test('1 of them and all of them leave out identifiers starting with _', async () => {
    assert.deepEqual(await cond('1 of them'), await cond('sel_trail or sel_s3 or filter_error or filter_ro'));
    assert.deepEqual(await cond('all of them'), []);
    assert.deepEqual(
      await matches(`
      sel_a:
          eventSource: sts.amazonaws.com
      sel_b:
          readOnly: true
      _never:
          eventName: Nothing
      condition: all of them`),
      ['assumerole'],
    );
  });

  test('a list of conditions is any of them', async () => {
    assert.deepEqual(
      await matches(`
      sel_a:
          eventName: StopLogging
      sel_b:
          eventName: ConsoleLogin
      condition:
          - sel_a
          - sel_b`),
      ['consolelogin', 'stoplogging'],
    );
  });

  test('a search that is a list of maps is any of them', async () => {
    assert.deepEqual(
      await matches(`
      filter_main_generic:
          - eventSource: ssm.amazonaws.com
          - eventName: AssumeRole
          - sourceIPAddress: 'AWS Internal'
      selection:
          userIdentity.arn|re: '.+:assumed-role/.+'
      condition: selection or filter_main_generic`),
      ['assumerole', 'deletetrail', 'putbucketlogging'],
    );
  });

  test('an unused search identifier is a warning', () => {
    const r = compiled(`${searches}\n      condition: sel_trail`);
    assert.ok(r.warnings.includes("search 'sel_s3' is not used by the condition"));
  });
});

describe('the hunt', () => {
  test('every value is a bound parameter: none appears in the SQL', () => {
    const values = ['cloudtrail.amazonaws.com', 'StopLogging', 'Evidence-Bucket', '10.0.0.0/8', 'Boto3/1', 'AccessDenied', 'deploy-session', 'xyzzy-keyword', '987654321'];
    const r = compiled(`
      selection:
          eventSource: cloudtrail.amazonaws.com
          eventName|startswith: StopLogging
          requestParameters.bucketName|contains: Evidence-Bucket
          sourceIPAddress|cidr: 10.0.0.0/8
          userAgent|re: 'Boto3/1'
          errorCode|neq: AccessDenied
          userIdentity.arn|windash|endswith: deploy-session
          additionalEventData.bytesTransferredOut|gt: 987654321
      keywords:
          - xyzzy-keyword
      condition: selection or keywords`);
    for (const v of values) assert.ok(!r.hunt.sql.includes(v), `'${v}' appears in the SQL`);
    for (const v of values.slice(0, 8)) assert.ok(r.hunt.params.some((p) => String(p.default).includes(v)), `'${v}' is a parameter`);
    assert.ok(r.hunt.params.every((p) => r.hunt.sql.includes(`$${p.name}`)));
  });

  test('the hunt file reads back as the same hunt', () => {
    const r = compiled(`
      selection:
          eventName:
              - "quoted 'value'"
              - '"double"'
              - 'null'
              - ''
              - '  padded  '
          userAgent|contains: "a -- b"
      condition: selection`);
    const back = parseHunt(r.sqlText);
    assert.deepEqual(back.params, r.hunt.params);
    assert.equal(back.sql, r.hunt.sql);
    assert.deepEqual(back.meta, r.hunt.meta);
  });

  test('returns the events in time order with their provenance columns', async () => {
    const r = compiled(`
      selection:
          readOnly: true
      condition: selection`);
    const rows = (await store.conn.runAndReadAll(r.hunt.sql, boundValues(r))).getRowObjectsJson();
    assert.deepEqual(Object.keys(rows[0]), ['event_time', 'event_source', 'event_name', 'user_arn', 'source_ip', 'user_agent', 'error_code', 'aws_region', 'source_file_id', 'record_index']);
    assert.equal(rows[0].event_name, 'AssumeRole');
    assert.equal(rows[0].event_time, '2024-03-01T03:15:00Z');
    const times = rows.map((row) => String(row.event_time));
    assert.deepEqual(times, [...times].sort());
  });

  test('runs in the hunt sandbox as the CLI runs it', async () => {
    const r = compileSigma(rule(`
      selection:
          eventSource: ec2.amazonaws.com
          requestParameters.ipPermissions.items.ipRanges.items.cidrIp|contains: 0.0.0.0
      condition: selection`));
    await store.close();
    try {
      const result = await runHuntSandboxed(casePath, parseHunt(r.sqlText), {});
      assert.equal(result.rowCount, 1);
      assert.equal(result.rows[0][result.columns.indexOf('event_name')], 'AuthorizeSecurityGroupIngress');
    } finally {
      store = await CaseStore.open(casePath, { threads: 1 });
    }
  });
});
