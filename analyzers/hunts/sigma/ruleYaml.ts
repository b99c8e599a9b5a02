import YAML, { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import { SigmaRuleError, SigmaUnsupportedError } from './errors';

/**
 * A rule's YAML as a small tree. Numbers keep the text they were written
 * with: `eventVersion|startswith: 1.10` means the characters "1.10", which
 * the parsed number 1.1 no longer has.
 */
export type SigmaScalar =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };
export type SigmaNode = SigmaScalar | { kind: 'list'; items: SigmaNode[] } | { kind: 'map'; entries: [string, SigmaNode][] };

const MAX_DEPTH = 64;

/** The one rule document in a file, as a map. YAML 1.2 (core schema): `yes` and `on` stay strings. */
export function readRuleYaml(text: string): Map<string, SigmaNode> {
  const docs = YAML.parseAllDocuments(text.replace(/^\uFEFF/, '')).filter((d) => d.contents !== null || d.errors.length > 0);
  if (docs.length === 0) throw new SigmaRuleError(`the file holds no YAML document`);
  for (const d of docs) {
    if (d.errors.length > 0) throw new SigmaRuleError(`not valid YAML: ${d.errors[0].message.split('\n')[0]}`);
  }
  if (docs.length > 1) {
    throw new SigmaUnsupportedError(
      'multi-document rule',
      `the file holds ${docs.length} YAML documents (a correlation, or 'action: global' rule collection); only single-rule files are compiled`,
    );
  }
  const root = toNode(docs[0].contents, docs[0], 0);
  if (root.kind !== 'map') throw new SigmaRuleError(`a Sigma rule is a YAML mapping`);
  return new Map(root.entries);
}

function toNode(node: unknown, doc: Document, depth: number): SigmaNode {
  if (depth > MAX_DEPTH) throw new SigmaRuleError(`the YAML nests deeper than ${MAX_DEPTH} levels`);
  if (node === null || node === undefined) return { kind: 'null' };
  if (isAlias(node)) return toNode(node.resolve(doc), doc, depth + 1);
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return { kind: 'null' };
    if (typeof v === 'string') return { kind: 'string', value: v };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v };
    if (typeof v === 'number') return { kind: 'number', value: v, text: node.source ?? String(v) };
    throw new SigmaRuleError(`unexpected YAML value ${String(v)}`);
  }
  if (isSeq(node)) return { kind: 'list', items: node.items.map((i) => toNode(i, doc, depth + 1)) };
  if (isMap(node)) {
    const entries: [string, SigmaNode][] = [];
    for (const pair of node.items) {
      const key = toNode(pair.key, doc, depth + 1);
      if (key.kind === 'list' || key.kind === 'map' || key.kind === 'null') throw new SigmaRuleError(`a mapping key must be a plain value`);
      entries.push([scalarText(key), toNode(pair.value, doc, depth + 1)]);
    }
    return { kind: 'map', entries };
  }
  throw new SigmaRuleError(`unexpected YAML node`);
}

/** A scalar as the text it stands for. */
export function scalarText(s: SigmaScalar): string {
  switch (s.kind) {
    case 'string':
      return s.value;
    case 'number':
      return s.text;
    case 'boolean':
      return String(s.value);
    case 'null':
      return '';
  }
}

export function isScalarNode(n: SigmaNode): n is SigmaScalar {
  return n.kind !== 'list' && n.kind !== 'map';
}

/** A metadata field that should be one text value. */
export function metaText(rule: Map<string, SigmaNode>, key: string): string | undefined {
  const n = rule.get(key);
  if (n === undefined || n.kind === 'null') return undefined;
  if (!isScalarNode(n)) throw new SigmaRuleError(`'${key}' must be a single value`);
  return scalarText(n).trim() || undefined;
}

/** A metadata field that is a list of text values (a single value is a list of one). */
export function metaList(rule: Map<string, SigmaNode>, key: string): string[] {
  const n = rule.get(key);
  if (n === undefined || n.kind === 'null') return [];
  const items = n.kind === 'list' ? n.items : [n];
  return items.map((i) => {
    if (!isScalarNode(i)) throw new SigmaRuleError(`'${key}' must be a list of values`);
    return scalarText(i).replace(/\s+/g, ' ').trim();
  }).filter((s) => s !== '');
}
