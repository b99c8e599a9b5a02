import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHunt, HuntFormatError, parseHunt } from '../../../analyzers/hunts/huntFile';

const TEXT = `-- @id: my-hunt
-- @title: Calls by a principal
-- @description: Every call a principal made
-- @description: in the window.
-- @author: A. Hunter
-- @attack: T1078.004, TA0001
-- @tags: identity, triage
-- @param since timestamptz = 2024-01-01T00:00:00Z  -- start of the window
-- @param principal varchar = 'arn:aws:iam::1:user/a'
-- @param names varchar[] = ["GetObject", "ListBuckets"]
-- @param min integer = 3
SELECT event_name, count(*) AS n FROM cloudtrail
WHERE event_time >= $since AND user_arn = $principal AND list_contains($names, event_name)
  AND '$notaparam' <> '' -- $alsonot
GROUP BY 1 HAVING count(*) >= $min;
`;

test('parses header, parameters with types and defaults, and the SQL', () => {
  const h = parseHunt(TEXT);
  assert.equal(h.id, 'my-hunt');
  assert.equal(h.description, 'Every call a principal made in the window.');
  assert.deepEqual(h.attack, ['T1078.004', 'TA0001']);
  assert.deepEqual(h.tags, ['identity', 'triage']);
  assert.deepEqual(h.params.map((p) => [p.name, p.type, p.default]), [
    ['since', 'timestamptz', '2024-01-01T00:00:00Z'],
    ['principal', 'varchar', 'arn:aws:iam::1:user/a'],
    ['names', 'varchar[]', ['GetObject', 'ListBuckets']],
    ['min', 'integer', 3],
  ]);
  assert.equal(h.params[0].description, 'start of the window');
  assert.ok(h.sql.startsWith('SELECT') && !h.sql.endsWith(';'));
});

test('formatHunt round-trips', () => {
  const h = parseHunt(TEXT);
  const again = parseHunt(formatHunt(h));
  assert.deepEqual({ ...again, text: '' }, { ...h, text: '' });
});

test('refuses undeclared and positional parameters, bad ids, bad types and defaults', () => {
  const bad = (t: string, re: RegExp) => assert.throws(() => parseHunt(t), (e: unknown) => e instanceof HuntFormatError && re.test(e.message));
  bad('-- @title: x\nSELECT 1', /missing '-- @id:'/);
  bad('-- @id: a b\n-- @title: x\nSELECT 1', /must be letters/);
  bad('-- @id: a\n-- @title: x\nSELECT $x', /\$x is used but not declared/);
  bad('-- @id: a\n-- @title: x\nSELECT $1', /named parameters/);
  bad('-- @id: a\n-- @title: x\n-- @param n whatever = 1\nSELECT $n', /unknown type/);
  bad('-- @id: a\n-- @title: x\n-- @param n integer = ten\nSELECT $n', /not an integer/);
  bad('-- @id: a\n-- @title: x\n-- @attack: T12\nSELECT 1', /not an ATT&CK id/);
});

test('quoted defaults and JSON lists may hold "--" and quotes; formatHunt writes them back readable', () => {
  const h = parseHunt(
    [
      '-- @id: q',
      '-- @title: q',
      "-- @param pat varchar = '--%admin''s%'  -- a LIKE pattern",
      '-- @param names varchar[] = ["a--b", "c\\"]d"] -- names',
      '-- @param plain varchar = x -- note',
      'SELECT $pat, $names, $plain',
    ].join('\n'),
  );
  assert.deepEqual(
    h.params.map((p) => [p.name, p.default, p.description]),
    [
      ['pat', "--%admin's%", 'a LIKE pattern'],
      ['names', ['a--b', 'c"]d'], 'names'],
      ['plain', 'x', 'note'],
    ],
  );
  const again = parseHunt(formatHunt(h));
  assert.deepEqual(again.params, h.params);
  assert.throws(() => parseHunt("-- @id: q\n-- @title: q\n-- @param p varchar = 'open\nSELECT $p"), /unclosed quote/);
});
