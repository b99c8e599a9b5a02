import { PostgreSQL, SQLDialect, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { HighlightStyle, syntaxHighlighting, syntaxTree } from '@codemirror/language';
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { EditorView } from '@codemirror/view';
import type { Extension } from '@codemirror/state';
import { tags as t } from '@lezer/highlight';
import type { HuntCatalog, HuntParamInfo } from '../../api/contract';

/**
 * DuckDB's SQL as the editor sees it: PostgreSQL's grammar (DuckDB follows
 * it) with DuckDB's own keywords and types, and `$name` as a parameter.
 */
export const DuckDB = SQLDialect.define({
  ...PostgreSQL.spec,
  doubleDollarQuotedStrings: false,
  specialVar: '$',
  keywords: `${PostgreSQL.spec.keywords} qualify pivot unpivot asof positional semi anti struct map list union_by_name exclude summarize describe using sample`,
  types: `${PostgreSQL.spec.types} tinyint utinyint usmallint uinteger ubigint hugeint uhugeint blob varchar timestamptz timestamp_s timestamp_ms timestamp_ns`,
});

/** Dark and calm, with the palette of the rest of the app. */
const theme = EditorView.theme(
  {
    '&': { backgroundColor: '#0c0f13', color: '#d5dae1', height: '100%', fontSize: '12px' },
    '.cm-scroller': { fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace', lineHeight: '1.5' },
    '.cm-content': { caretColor: '#d5dae1' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#d5dae1' },
    '&.cm-focused': { outline: '1px solid #4f8fd6' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: '#24466e' },
    '.cm-gutters': { backgroundColor: '#10141a', color: '#5d6673', border: 'none', borderRight: '1px solid #2a313b' },
    '.cm-activeLine': { backgroundColor: '#141a22' },
    '.cm-activeLineGutter': { backgroundColor: '#161c25', color: '#8a94a3' },
    '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: '#2a3a50', outline: 'none' },
    '.cm-tooltip': { backgroundColor: '#1b2028', color: '#d5dae1', border: '1px solid #2a313b' },
    '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace', maxHeight: '16em' },
    '.cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: '#24466e', color: '#ffffff' },
    '.cm-completionDetail': { color: '#8a94a3', marginLeft: '1em', fontStyle: 'normal' },
    '.cm-completionInfo': { maxWidth: '28em', padding: '4px 8px' },
  },
  { dark: true },
);

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: '#8fb6e8' },
  { tag: [t.typeName, t.standard(t.name)], color: '#6fc3b8' },
  { tag: [t.string, t.special(t.string)], color: '#d8b878' },
  { tag: [t.number, t.bool, t.null], color: '#c99be0' },
  { tag: t.special(t.name), color: '#e0a84f', fontWeight: '600' },
  { tag: [t.lineComment, t.blockComment], color: '#6f7b8a', fontStyle: 'italic' },
  { tag: t.operator, color: '#b0b8c4' },
  { tag: t.name, color: '#d5dae1' },
]);

export const duckdbLook: Extension = [theme, syntaxHighlighting(highlight)];

const IN_TEXT = new Set(['LineComment', 'BlockComment', 'String', 'QuotedIdentifier']);

/** Table names the statement reads, so that bare column names can be offered from them. */
function tablesNamed(doc: string, known: Set<string>): string[] {
  const stripped = doc.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const found = new Set<string>();
  for (const m of stripped.matchAll(/\b(?:from|join)\s+"?([A-Za-z_][\w]*)"?/gi)) if (known.has(m[1])) found.add(m[1]);
  return [...found];
}

function columnOption(name: string, type: string, where: string, doc?: string): Completion {
  return { label: name, type: 'property', detail: `${type} · ${where}`, info: doc };
}

/**
 * Bare column names of the tables the statement reads (all tables' columns
 * before it names one), the case's macros, and the hunt's `$parameters`.
 * Qualified names (`cloudtrail.`) and table names come from lang-sql's schema.
 */
function scopeCompletions(catalog: HuntCatalog, params: () => HuntParamInfo[]): CompletionSource {
  const known = new Set(catalog.tables.map((x) => x.name));
  return (ctx: CompletionContext): CompletionResult | null => {
    const node = syntaxTree(ctx.state).resolveInner(ctx.pos, -1);
    if (IN_TEXT.has(node.name)) return null;
    const dollar = ctx.matchBefore(/\$\w*/);
    if (dollar) return { from: dollar.from, options: params().map((p) => ({ label: `$${p.name}`, type: 'variable', detail: p.type, info: p.description || undefined })), validFor: /^\$\w*$/ };
    const word = ctx.matchBefore(/[A-Za-z_]\w*/);
    if (!word && !ctx.explicit) return null;
    const from = word ? word.from : ctx.pos;
    if (ctx.state.sliceDoc(from - 1, from) === '.') return null;
    const named = tablesNamed(ctx.state.doc.toString(), known);
    const tables = catalog.tables.filter((x) => (named.length ? named.includes(x.name) : true));
    const columns = new Map<string, { type: string; doc?: string; tables: string[] }>();
    for (const table of tables) {
      for (const c of table.columns) {
        const entry = columns.get(c.name) ?? { type: c.type, doc: c.doc, tables: [] };
        entry.tables.push(table.name);
        columns.set(c.name, entry);
      }
    }
    const options = [...columns].map(([name, c]) => columnOption(name, c.type, c.tables.length > 2 ? `${c.tables.length} tables` : c.tables.join(', '), c.doc));
    const macros = catalog.macros.map((m): Completion => ({ label: m, type: 'function', detail: 'macro', apply: `${m}(` }));
    return { from, options: [...options, ...macros], validFor: /^\w*$/ };
  };
}

/**
 * Everything the editor knows about the case: highlighting, table and column
 * completion, `$parameter` completion. Parameters are read when completing,
 * so a changed header does not rebuild the language (and close an open list).
 */
export function huntLanguage(catalog: HuntCatalog | null, params: () => HuntParamInfo[]): Extension {
  const empty: HuntCatalog = { tables: [], macros: [] };
  const cat = catalog ?? empty;
  const schema: SQLNamespace = {};
  for (const table of cat.tables) {
    schema[table.name] = {
      self: { label: table.name, type: 'type', detail: 'table', info: table.doc || undefined },
      children: table.columns.map((c) => ({ label: c.name, type: 'property', detail: c.type, info: c.doc })),
    };
  }
  const support = sql({ dialect: DuckDB, schema, upperCaseKeywords: true });
  return [support, DuckDB.language.data.of({ autocomplete: scopeCompletions(cat, params) })];
}
