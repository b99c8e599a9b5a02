import { useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi, ProcessCellForExportParams } from 'ag-grid-community';
import type { HuntResult, JsonValue } from '../../api/contract';
import { gridTheme, styleNonce } from '../../grid/agGrid';
import { cellText, formatCount } from '../../format';

type Row = JsonValue[];

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const DEFAULT_COL_DEF: ColDef<Row> = { sortable: true, resizable: true, filter: 'agTextColumnFilter' };
const AUTO_SIZE = { type: 'fitCellContents' } as const;

function isNumericColumn(rows: Row[], i: number): boolean {
  let seen = 0;
  for (const r of rows.slice(0, 200)) {
    const v = r[i];
    if (v === null) continue;
    if (typeof v !== 'number' && !(typeof v === 'string' && NUMERIC.test(v))) return false;
    seen++;
  }
  return seen > 0;
}

/** A cell a spreadsheet would run as a formula is written as text (log fields are hostile). */
function safeCsvCell(p: ProcessCellForExportParams<Row>): string {
  const s = String(p.value ?? '');
  return /^[=+\-@\t\r]/.test(s) && !NUMERIC.test(s) ? `'${s}` : s;
}

/** A hunt's rows in a client-side grid, every value as text. */
export function HuntResults({ result }: { result: HuntResult }) {
  const nonce = useMemo(styleNonce, []);
  const grid = useRef<GridApi<Row> | null>(null);
  const columnDefs = useMemo<ColDef<Row>[]>(
    () =>
      result.columns.map((name, i) => {
        const numeric = isNumericColumn(result.rows, i);
        return {
          colId: String(i),
          headerName: name,
          headerTooltip: name,
          valueGetter: (p) => cellText(p.data?.[i]),
          comparator: numeric ? (a: string, b: string) => (a === '' ? -Infinity : Number(a)) - (b === '' ? -Infinity : Number(b)) : undefined,
          cellClass: numeric ? 'num' : undefined,
          minWidth: 70,
          maxWidth: 520,
        };
      }),
    [result],
  );
  const exportCsv = () => grid.current?.exportDataAsCsv({ fileName: `${result.huntId}.csv`, processCellCallback: safeCsvCell });
  return (
    <div className="hunt-results">
      <div className="hunt-results-bar">
        <span data-testid="hunt-row-count">{formatCount(result.rowCount)} rows</span>
        {result.truncated && (
          <span className="warn" data-testid="hunt-truncated">
            truncated: the first {formatCount(result.rows.length)} are shown
          </span>
        )}
        <span className="muted">{formatCount(result.durationMs)} ms</span>
        <button className="btn small" onClick={exportCsv} disabled={result.rows.length === 0}>
          Export CSV
        </button>
      </div>
      <div className="grid-host" data-testid="hunt-results-grid">
        <AgGridReact<Row>
          theme={gridTheme}
          styleNonce={nonce}
          rowData={result.rows}
          columnDefs={columnDefs}
          defaultColDef={DEFAULT_COL_DEF}
          autoSizeStrategy={AUTO_SIZE}
          onGridReady={(e) => (grid.current = e.api)}
          enableCellTextSelection={true}
          suppressFieldDotNotation={true}
        />
      </div>
    </div>
  );
}
