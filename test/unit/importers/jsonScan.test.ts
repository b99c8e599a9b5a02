import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayElements, JsonScanError, objectMembers, skipValue, topLevelValues } from '../../../analyzers/importers/jsonScan';

const b = (s: string) => Buffer.from(s, 'utf8');

test('skipValue finds the end of nested values, strings with escaped quotes and backslashes', () => {
  const s = '{"a":"x\\"}y","b":[1,{"c":"\\\\"}],"d":null} tail';
  assert.equal(skipValue(b(s), 0), s.indexOf(' tail'));
  assert.equal(skipValue(b('"\\\\\\""x'), 0), 6);
  assert.equal(skipValue(b('-12.5e3,'), 0), 7);
});

test('a key that looks like a record start inside a string does not split records', () => {
  const s = '{"Records":[{"eventVersion":"1","p":"},{\\"eventVersion\\":"},{"eventVersion":"2"}]}';
  const m = objectMembers(b(s), 0);
  const els = arrayElements(b(s), m[0].value.start);
  assert.equal(els.length, 2);
});

test('missing commas between elements are errors with the byte offset', () => {
  const s = '{"Records":[{"a":1} {"a":2}]}';
  assert.throws(() => topLevelValues(b(s)), (e: unknown) => e instanceof JsonScanError && /Expected ','/.test(e.message) && e.offset === 20);
});

test('unterminated strings and containers are errors', () => {
  assert.throws(() => skipValue(b('{"a":"x'), 0), JsonScanError);
  assert.throws(() => skipValue(b('[1,2'), 0), JsonScanError);
  assert.throws(() => skipValue(b('[1,2}'), 0), JsonScanError);
});

test('topLevelValues lists NDJSON values; keys with escapes decode', () => {
  const vals = topLevelValues(b('{"a":1}\n{"b":2}\n\n[3]\n'));
  assert.equal(vals.length, 3);
  assert.deepEqual(objectMembers(b('{"k\\u0041":1}'), 0).map((m) => m.key), ['kA']);
});

test('a scan that remembers container ends gives the same members and elements as fresh scans', () => {
  const s = '{"Records":[{"a":{"b":[1,2]}},\n {"c":"}{\\"]"} , [3,{"d":4}], "x", 5],"Other":{"k":[{}]}}';
  const ends = new Map<number, number>();
  const [doc] = topLevelValues(b(s), ends);
  assert.ok(ends.size > 0, 'the first pass remembered nested containers');
  const remembered = objectMembers(b(s), doc.start, ends);
  assert.deepEqual(remembered, objectMembers(b(s), doc.start));
  const records = remembered.find((m) => m.key === 'Records')!.value.start;
  assert.deepEqual(arrayElements(b(s), records, ends), arrayElements(b(s), records));
  assert.deepEqual(arrayElements(b(s), records, ends).map((e) => s.slice(e.start, e.end)), ['{"a":{"b":[1,2]}}', '{"c":"}{\\"]"}', '[3,{"d":4}]', '"x"', '5']);
});
