import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellFocusedEvent, CellKeyDownEvent, ColDef, GridApi, GridReadyEvent, ValueFormatterParams } from 'ag-grid-community';
import type { ColumnInfo, Filter, TableSchema } from '../api/contract';
import { api } from '../api/client';
import { useApp, type RecordRef } from '../state/store';
import { gridTheme, styleNonce } from '../grid/agGrid';
import { engineDatasource, type PageStats } from '../grid/datasource';
import { DEFAULT_COLUMNS } from '../grid/defaultColumns';
import type { GridRow } from '../grid/pageRows';
import { cellText, formatCount, formatTime } from '../format';
import { ColumnChooser } from '../components/ColumnChooser';
import { RecordPane } from '../components/RecordPane';
import { EntityCell, type EntityCellParams } from '../components/EntityCell';
import { entityKindOf } from '../grid/entityColumns';

const BLOCK = 200;
// Stable references: a new defaultColDef on each render makes the grid re-apply the column definitions, undoing column choices.
const DEFAULT_COL_DEF: ColDef<GridRow> = { sortable: true, resizable: true };
const ROW_SELECTION = { mode: 'singleRow', checkboxes: false, enableClickSelection: true } as const;
const KEY_COLUMNS = ['source_file_id', 'record_index'];

function initialVisible(schema: TableSchema): Set<string> {
  const preferred = DEFAULT_COLUMNS[schema.name]?.filter((c) => schema.columns.some((x) => x.name === c));
  const names = preferred?.length ? preferred : schema.columns.filter((c) => !c.large).map((c) => c.name);
  return new Set(schema.isEvents ? [...KEY_COLUMNS, ...names] : names);
}

function columnDef(table: string, c: ColumnInfo, visible: boolean): ColDef<GridRow> {
  const isTime = c.type === 'TIMESTAMPTZ';
  const entityKind = entityKindOf(table, c.name);
  const isNumber = ['INTEGER', 'BIGINT', 'SMALLINT', 'DOUBLE'].includes(c.type);
  return {
    colId: c.name,
    field: c.name,
    headerName: isTime ? `${c.name} (UTC)` : c.name,
    headerTooltip: c.doc ?? `${c.name} · ${c.type}`,
    hide: !visible,
    // Cells are text only: formatted values, never HTML.
    valueFormatter: (p: ValueFormatterParams<GridRow>) => (isTime ? formatTime(p.value) : cellText(p.value)),
    filter: isTime ? 'agDateColumnFilter' : isNumber ? 'agNumberColumnFilter' : 'agTextColumnFilter',
    filterParams: {
      maxNumConditions: 1,
      buttons: ['apply', 'reset'],
      closeOnApply: true,
      filterOptions: isTime
        ? ['equals', 'lessThan', 'greaterThan', 'inRange', 'blank', 'notBlank']
        : isNumber
          ? ['equals', 'notEqual', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'inRange', 'blank', 'notBlank']
          : ['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank'],
    },
    width: isTime ? 230 : isNumber ? 110 : c.name === 'user_agent' || c.name === 'url' || c.name.endsWith('_arn') ? 280 : 150,
    cellClass: isNumber ? 'num' : undefined,
    // Entity values (addresses, principals, keys, ENIs, buckets) open their profile.
    ...(entityKind ? { cellRenderer: EntityCell, cellRendererParams: { entityKind } satisfies EntityCellParams } : {}),
  };
}

export function ExplorerScreen() {
  const { caseInfo, explorerTable, explorerFilters, dataVersion, openTable } = useApp();
  const [schema, setSchema] = useState<TableSchema | null>(null);
  const [visible, setVisible] = useState<Set<string>>(new Set());
  const [quick, setQuick] = useState('');
  const [quickApplied, setQuickApplied] = useState('');
  const [stats, setStats] = useState<PageStats>({ count: null, lastPageMs: null, firstPageMs: null, error: null });
  const [chooser, setChooser] = useState(false);
  const [record, setRecord] = useState<RecordRef | null>(null);
  const gridApi = useRef<GridApi<GridRow> | null>(null);
  /** A focused row whose block is still loading (a jump to the end, a fast PageDown). */
  const pendingFocus = useRef<number | null>(null);
  const schemaRef = useRef<TableSchema | null>(null);
  schemaRef.current = schema;
  const resolvePendingFocus = () => {
    const i = pendingFocus.current;
    const s = schemaRef.current;
    if (i === null || !s?.isEvents) return;
    const row = gridApi.current?.getDisplayedRowAtIndex(i)?.data;
    if (row && typeof row.source_file_id === 'number' && typeof row.record_index === 'number') {
      pendingFocus.current = null;
      setRecord({ table: s.name, sourceFileId: row.source_file_id, recordIndex: row.record_index });
    }
  };
  const nonce = useMemo(styleNonce, []);

  useEffect(() => {
    let live = true;
    setGridReady(false);
    gridApi.current = null;
    // A search typed for one table means nothing in the next.
    setQuick('');
    setQuickApplied('');
    setSchema(null);
    setRecord(null);
    setStats({ count: null, lastPageMs: null, firstPageMs: null, error: null });
    api.call('table/schema', { table: explorerTable }).then(
      (s) => {
        if (!live) return;
        setSchema(s);
        setVisible(initialVisible(s));
      },
      (e: unknown) => live && setStats((x) => ({ ...x, error: String(e) })),
    );
    return () => {
      live = false;
    };
  }, [explorerTable]);

  useEffect(() => {
    const t = setTimeout(() => setQuickApplied(quick), 300);
    return () => clearTimeout(t);
  }, [quick]);

  const colDefs = useMemo(() => (schema ? schema.columns.map((c) => columnDef(schema.name, c, visible.has(c.name))) : []), [schema]);
  const fetchColumns = useMemo(() => (schema ? schema.columns.filter((c) => visible.has(c.name)).map((c) => c.name) : []), [schema, visible]);

  const [gridReady, setGridReady] = useState(false);
  const filtersKey = JSON.stringify(explorerFilters);
  const installDatasource = useCallback(() => {
    const g = gridApi.current;
    if (!gridReady || !g || !schema || fetchColumns.length === 0) return;
    g.setGridOption(
      'datasource',
      engineDatasource({
        table: schema.name,
        columns: schema.columns,
        fetch: fetchColumns,
        quickSearch: quickApplied,
        baseFilters: JSON.parse(filtersKey) as Filter[],
        onStats: (s) => setStats((x) => ({ ...x, ...s })),
        onBlockLoaded: () => setTimeout(resolvePendingFocus, 0),
      }),
    );
  }, [gridReady, schema, fetchColumns, quickApplied, filtersKey, dataVersion]);

  useEffect(installDatasource, [installDatasource]);

  const onGridReady = (e: GridReadyEvent<GridRow>) => {
    gridApi.current = e.api;
    setGridReady(true);
  };

  const refFromRow = (row: GridRow | undefined): RecordRef | null =>
    schema?.isEvents && row && typeof row.source_file_id === 'number' && typeof row.record_index === 'number'
      ? { table: schema.name, sourceFileId: row.source_file_id, recordIndex: row.record_index }
      : null;

  const onCellFocused = (e: CellFocusedEvent<GridRow>) => {
    if (e.rowIndex === null || e.rowIndex === undefined) return;
    const ref = refFromRow(e.api.getDisplayedRowAtIndex(e.rowIndex)?.data);
    pendingFocus.current = ref ? null : e.rowIndex;
    if (ref) setRecord(ref);
  };

  const onCellKeyDown = (e: CellKeyDownEvent<GridRow>) => {
    const ev = e.event as KeyboardEvent | undefined;
    if (ev?.key === 'Enter') {
      const ref = refFromRow(e.data);
      if (ref) setRecord(ref);
    } else if (ev?.key === 'End' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      goToEnd();
    } else if (ev?.key === 'Home' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      const col = e.api.getAllDisplayedColumns()[0];
      e.api.ensureIndexVisible(0, 'top');
      if (col) e.api.setFocusedCell(0, col);
    }
  };

  const toggleColumn = (name: string, show: boolean) => {
    const next = new Set(visible);
    if (show) next.add(name);
    else next.delete(name);
    setVisible(next);
    gridApi.current?.setColumnsVisible([name], show);
  };

  const goToEnd = () => {
    const g = gridApi.current;
    if (!g || !stats.count) return;
    const last = stats.count - 1;
    // 'top' on the last row scrolls as far as the grid goes, which keeps the row clear of the horizontal scrollbar.
    g.ensureIndexVisible(last, 'top');
    const firstCol = g.getAllDisplayedColumns()[0];
    if (firstCol) g.setFocusedCell(last, firstCol);
  };

  const quickRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key === '/' && !(t instanceof HTMLInputElement) && !(t instanceof HTMLTextAreaElement)) {
        e.preventDefault();
        quickRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const tables = caseInfo?.tables ?? [];
  return (
    <div className={record ? 'explorer with-record' : 'explorer'}>
      <nav className="table-list" aria-label="Tables">
        <div className="section-title">Tables</div>
        {tables.map((t) => (
          <button
            key={t.name}
            className={t.name === explorerTable ? 'table-item active' : 'table-item'}
            onClick={() => openTable(t.name)}
            title={t.doc}
            data-testid={`table-${t.name}`}
          >
            <span className="mono">{t.name}</span>
            <span className="muted num">{formatCount(t.rows)}</span>
          </button>
        ))}
      </nav>
      <section className="grid-area">
        <div className="toolbar">
          <span className="toolbar-title mono">{explorerTable}</span>
          <span className="muted" data-testid="row-count">
            {stats.count === null ? 'counting…' : `${formatCount(stats.count)} ${stats.count === 1 ? 'row' : 'rows'}`}
          </span>
          {explorerFilters.length > 0 && (
            <button className="chip" onClick={() => openTable(explorerTable)} title="Clear the filter set from the overview">
              {explorerFilters.map((f) => `${f.column} ${f.op} ${Array.isArray(f.value) ? f.value.join('…') : String(f.value ?? '')}`).join(', ')} ✕
            </button>
          )}
          <input
            ref={quickRef}
            className="input quick"
            placeholder="Quick search (visible text columns) — press /"
            aria-label="Quick search"
            value={quick}
            onChange={(e) => setQuick(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && setQuickApplied(quick)}
          />
          <div className="popover-anchor">
            <button className="btn" onClick={() => setChooser(!chooser)} aria-expanded={chooser}>
              Columns
            </button>
            {chooser && schema && <ColumnChooser columns={schema.columns} visible={visible} onChange={toggleColumn} onClose={() => setChooser(false)} />}
          </div>
          <button className="btn" onClick={goToEnd} title="Jump to the last row (Ctrl+End in the grid)">
            Last row
          </button>
          <span className="muted timing" data-testid="page-timing">
            {stats.firstPageMs !== null ? `first page ${stats.firstPageMs} ms` : ''}
            {stats.lastPageMs !== null ? ` · last page ${stats.lastPageMs} ms` : ''}
          </span>
        </div>
        {stats.error && <div className="error">{stats.error}</div>}
        <div className="grid-host" data-testid="explorer-grid">
          {schema && (
            <AgGridReact<GridRow>
              key={schema.name}
              theme={gridTheme}
              styleNonce={nonce}
              rowModelType="infinite"
              cacheBlockSize={BLOCK}
              maxBlocksInCache={100}
              maxConcurrentDatasourceRequests={2}
              infiniteInitialRowCount={1}
              columnDefs={colDefs}
              defaultColDef={DEFAULT_COL_DEF}
              onGridReady={onGridReady}
              onCellFocused={onCellFocused}
              onCellKeyDown={onCellKeyDown}
              rowSelection={ROW_SELECTION}
              enableCellTextSelection={true}
              suppressDragLeaveHidesColumns={true}
              suppressColumnVirtualisation={true}
            />
          )}
        </div>
      </section>
      {record && <RecordPane record={record} onClose={() => setRecord(null)} />}
    </div>
  );
}
