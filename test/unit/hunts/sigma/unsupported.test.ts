import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { compileSigma, compileSigmaFolder, SigmaRuleError, SigmaUnsupportedError } from '../../../../analyzers/hunts/sigma/compileSigma';
import { tempDir } from '../../../helpers/tempCase';
import { rule } from './sigmaFixture';

function unsupported(yaml: string, construct: string): void {
  assert.throws(
    () => compileSigma(yaml),
    (e: unknown) => {
      assert.ok(e instanceof SigmaUnsupportedError, `expected SigmaUnsupportedError, got ${String(e)}`);
      assert.equal(e.construct, construct);
      assert.ok(e.message.length > 0);
      return true;
    },
  );
}

function invalid(yaml: string, message: RegExp): void {
  assert.throws(() => compileSigma(yaml), (e: unknown) => e instanceof SigmaRuleError && message.test(e.message));
}

const item = (key: string, value: string) => rule(`
  selection:
      ${key}: ${value}
  condition: selection`);

describe('constructs that are reported by name', () => {
  for (const m of ['base64', 'base64offset', 'utf16', 'utf16le', 'utf16be', 'wide', 'expand']) {
    test(`modifier '${m}'`, () => unsupported(item(`userAgent|${m}|contains`, 'curl'), `modifier '${m}'`));
  }

  test('an unknown modifier', () => unsupported(item('eventName|sounds_like', 'x'), "modifier 'sounds_like'"));

  test('an aggregation', () => {
    unsupported(
      rule(`
        selection:
            eventName: 'List*'
        condition: selection | count() by userIdentity.arn > 5`),
      "aggregation '| count() by userIdentity.arn > 5'",
    );
  });

  test('a timeframe', () => {
    unsupported(
      rule(`
        selection:
            eventName: 'List*'
        timeframe: 10m
        condition: selection`),
      'timeframe',
    );
  });

  test('a correlation rule and a file of several documents', () => {
    unsupported(
      `title: Many failed logins
id: 6f1c0a3e-0000-4000-8000-000000000001
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [userIdentity.arn]
    timespan: 5m
    condition: {gte: 10}
`,
      'correlation rule',
    );
    unsupported(`${rule(`
      selection:
          eventName: ConsoleLogin
      condition: selection`)}\n---\n${rule(`
      selection:
          eventName: StopLogging
      condition: selection`)}`, 'multi-document rule');
  });

  test('a logsource other than aws/cloudtrail', () => {
    const ls = (logsource: string) =>
      `title: Windows rule
logsource:
${logsource}
detection:
    selection:
        EventID: 4625
    condition: selection
`;
    unsupported(ls('    product: windows\n    service: security'), 'logsource product windows, service security');
    unsupported(ls('    product: aws\n    service: s3'), 'logsource product aws, service s3');
    unsupported(ls('    category: process_creation\n    product: aws\n    service: cloudtrail'), 'logsource category process_creation, product aws, service cloudtrail');
  });

  test('an IPv6 network for cidr', () => unsupported(item('sourceIPAddress|cidr', "'2001:db8::/32'"), "modifier 'cidr' with an IPv6 network"));

  test('regular expressions RE2 cannot run', () => {
    unsupported(item('userAgent|re', "'^aws(?=-cli)'"), "regular expression lookahead '(?='");
    unsupported(item('userAgent|re', "'(?<!x)cli'"), "regular expression lookbehind '(?<!'");
    unsupported(item('userAgent|re', "'(a)\\1'"), "regular expression backreference '\\1'");
    unsupported(item('userAgent|re', "'a++'"), "regular expression possessive quantifier '++'");
    unsupported(item('userAgent|re', "'(?>abc)'"), "regular expression atomic group '(?>'");
    unsupported(item('userAgent|re', "'cli\\Z'"), "regular expression escape '\\Z'");
  });

  test('RE2-compatible regular expressions pass, named groups translated', () => {
    const r = compileSigma(item('userAgent|re', "'^(?<tool>aws-cli)/[0-9]+\\.\\d+ [[:alpha:]]+ \\p{L}+ (?i:python)'"));
    assert.equal(r.hunt.params[0].default, '^(?P<tool>aws-cli)/[0-9]+\\.\\d+ [[:alpha:]]+ \\p{L}+ (?i:python)');
  });

  test('a quantifier other than 1 or all', () => {
    unsupported(
      rule(`
        sel_a:
            eventName: A
        sel_b:
            eventName: B
        condition: 2 of sel_*`),
      "quantifier '2 of'",
    );
  });

  test('modifiers that cannot be combined', () => {
    unsupported(item('sourceIPAddress|cidr|contains', '10.0.0.0/8'), "modifier combination 'cidr|contains'");
    unsupported(item('userAgent|re|cidr', "'x'"), "modifier combination 're|cidr'");
    unsupported(item('userAgent|re|windash', "'x'"), "modifier combination 're|windash'");
  });
});

describe('rules that are not valid Sigma', () => {
  test('bad YAML', () => invalid('title: [unclosed\n', /not valid YAML/));
  test('no title', () => invalid(rule('selection:\n  eventName: x\ncondition: selection').replace(/^title: .*\n/, ''), /no 'title'/));
  test('a condition naming an undefined search', () => invalid(rule('selection:\n  eventName: x\ncondition: selection and filter'), /'filter'/));
  test("'1 of' matching nothing", () => invalid(rule('selection:\n  eventName: x\ncondition: 1 of filter_*'), /matches no search identifier/));
  test('a condition that does not parse', () => invalid(rule('selection:\n  eventName: x\ncondition: selection and'), /condition 'selection and'/));
  test('a cidr that is not a network', () => invalid(item('sourceIPAddress|cidr', '10.0.0.300/8'), /not an IPv4 network/));
  test('gt on a string', () => invalid(item('additionalEventData.bytesTransferredOut|gt', "'big'"), /not a number/));
  test('an empty search', () => invalid(rule('selection: {}\ncondition: selection'), /empty/));
});

describe('compileSigmaFolder', () => {
  test('compiles every rule under a folder and lists the ones that fail, with the reason', () => {
    const dir = tempDir('cloudsift-sigma-folder-');
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write('aws/stop_logging.yml', rule('selection:\n  eventName: StopLogging\ncondition: selection'));
    write('aws/nested/enum.yaml', rule('selection:\n  eventName: List*\ncondition: selection | count() > 50').replace(/^id: .*$/m, 'id: 7e0a9c1c-0000-4000-8000-000000000002'));
    write('aws/copy_of_stop_logging.yml', rule('selection:\n  eventName: StopLogging\ncondition: selection'));
    write('windows/logon.yml', 'title: Logon\nlogsource:\n  product: windows\ndetection:\n  selection:\n    EventID: 4624\n  condition: selection\n');
    write('README.md', '# not a rule');
    const { compiled, failed } = compileSigmaFolder(dir);
    assert.deepEqual(compiled.map((c) => c.hunt.id), ['0b9d6f38-2c71-4f6e-9a53-6f0c6f1f2a10']);
    assert.equal(compiled[0].hunt.meta.sigma_source, path.join(dir, 'aws/copy_of_stop_logging.yml'));
    assert.deepEqual(
      failed.map((f) => [path.relative(dir, f.file), f.error.match(/aggregation|also the id|logsource/)?.[0]]),
      [
        ['aws/nested/enum.yaml', 'aggregation'],
        ['aws/stop_logging.yml', 'also the id'],
        ['windows/logon.yml', 'logsource'],
      ],
    );
  });
});
