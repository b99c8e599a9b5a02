/**
 * The WHERE clause as a tree of AND / OR / NOT over leaves. Every leaf is
 * NULL-safe (true or false, never NULL): Sigma's `not filter` must keep an
 * event whose filtered field is missing, which SQL's three-valued NOT would
 * drop.
 */
export type SqlNode = { op: 'and' | 'or'; args: SqlNode[] } | { op: 'not'; arg: SqlNode } | { op: 'leaf'; sql: string };

export const leaf = (sql: string): SqlNode => ({ op: 'leaf', sql });

export function all(args: SqlNode[]): SqlNode {
  return join('and', args);
}

export function any(args: SqlNode[]): SqlNode {
  return join('or', args);
}

export function not(arg: SqlNode): SqlNode {
  return arg.op === 'not' ? arg.arg : { op: 'not', arg };
}

function join(op: 'and' | 'or', args: SqlNode[]): SqlNode {
  if (args.length === 0) throw new Error(`empty ${op}`);
  if (args.length === 1) return args[0];
  return { op, args: args.flatMap((a) => (a.op === op ? a.args : [a])) };
}

/** Indented SQL: one operand per line at each level, so a hunter can read the rule back out of it. */
export function renderSql(node: SqlNode, indent = ''): string {
  switch (node.op) {
    case 'leaf':
      return node.sql;
    case 'not':
      return `NOT ${wrap(node.arg, indent)}`;
    default:
      return node.args.map((a) => wrap(a, `${indent}  `)).join(`\n${indent}${node.op.toUpperCase()} `);
  }
}

function wrap(node: SqlNode, indent: string): string {
  if (node.op === 'and' || node.op === 'or') return `(${renderSql(node, indent)})`;
  return renderSql(node, indent);
}
