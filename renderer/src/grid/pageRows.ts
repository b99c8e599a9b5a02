import { tableFromIPC } from 'apache-arrow';

export type GridRow = Record<string, string | number | boolean | null>;

/** An Arrow page as plain row objects: Int64 as a number while exact, timestamps as epoch ms. */
export function pageRows(page: Uint8Array): GridRow[] {
  const table = tableFromIPC(page);
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((_, i) => table.getChildAt(i));
  const rows: GridRow[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: GridRow = {};
    for (let c = 0; c < names.length; c++) {
      const v: unknown = columns[c]?.get(r);
      row[names[c]] =
        v === null || v === undefined
          ? null
          : typeof v === 'bigint'
            ? v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
              ? Number(v)
              : v.toString()
            : (v as string | number | boolean);
    }
    rows[r] = row;
  }
  return rows;
}
