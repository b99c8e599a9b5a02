import { Bool, Float64, Int32, Int64, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import type { ColumnDef } from '../store/schema';

function arrowType(col: ColumnDef): DataType {
  switch (col.type) {
    case 'INTEGER':
    case 'SMALLINT':
      return new Int32();
    case 'BIGINT':
      return new Int64();
    case 'DOUBLE':
      return new Float64();
    case 'BOOLEAN':
      return new Bool();
    case 'TIMESTAMPTZ':
      return new TimestampMillisecond('UTC');
    default:
      return new Utf8();
  }
}

/** Values as DuckDB's JS conversion hands them over, shaped for the Arrow builder of the column. */
function normalise(col: ColumnDef, values: readonly unknown[]): unknown[] {
  switch (col.type) {
    case 'BIGINT':
      return values.map((v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v : BigInt(v as number)));
    case 'TIMESTAMPTZ':
      // Pages select epoch_ms(column): a BIGINT of milliseconds.
      return values.map((v) => (v === null || v === undefined ? null : Number(v)));
    case 'INTEGER':
    case 'SMALLINT':
    case 'DOUBLE':
      return values.map((v) => (v === null || v === undefined ? null : Number(v)));
    case 'BOOLEAN':
      return values.map((v) => (v === null || v === undefined ? null : Boolean(v)));
    default:
      return values.map((v) => (v === null || v === undefined ? null : String(v)));
  }
}

/** One page of rows, column by column, as an Arrow IPC stream. */
export function encodePage(columns: ColumnDef[], data: readonly (readonly unknown[])[]): Uint8Array {
  const vectors: Record<string, Vector> = {};
  columns.forEach((col, i) => {
    vectors[col.name] = vectorFromArray(normalise(col, data[i] ?? []), arrowType(col));
  });
  return tableToIPC(new Table(vectors), 'stream');
}
