import { useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact, type CustomCellRendererProps } from 'ag-grid-react';
import type { CellFocusedEvent, ColDef, GetRowIdParams, GridApi, GridReadyEvent, ValueFormatterParams } from 'ag-grid-community';
import type { EntityKind, EventFilterSpec, UnifiedEventRow } from '../../api/contract';
import { gridTheme, styleNonce } from '../../grid/agGrid';
import { looksLikeIp } from '../../grid/entityColumns';
import { EntityCell, type EntityCellParams } from '../EntityCell';
import { EntityValue } from '../EntityValue';
import { formatTime } from '../../format';
import { eventsDatasource } from './eventsDatasource';
import { SOURCE_LABELS } from './filterText';

const BLOCK = 200;
const ROW_SELECTION = { mode: 'singleRow', checkboxes: false, enableClickSelection: true } as const;
const DEFAULT_COL_DEF: ColDef<UnifiedEventRow> = { sortable: false, resizable: true, filter: false };

export function eventKey(r: { tbl: string; source_file_id: number; record_index: number }): string {
  return `${r.tbl}:${r.source_file_id}:${r.record_index}`;
}

const getRowId = (p: GetRowIdParams<UnifiedEventRow>) => eventKey(p.data);

interface GridContext {
  pinned: Set<string>;
  onPin(row: UnifiedEventRow): void;
}

function PinCell(p: CustomCellRendererProps<UnifiedEventRow, unknown, GridContext>) {
  if (!p.data) return null;
  const row = p.data;
  const pinned = p.context.pinned.has(eventKey(row));
  return (
    <button
      type="button"
      className={pinned ? 'btn small tl-pin pinned' : 'btn small tl-pin'}
      aria-label={pinned ? 'Pinned: edit note' : 'Pin event'}
      title={pinned ? 'Pinned to the incident timeline: edit its note and tags' : 'Pin to the incident timeline, with a note and tags'}
      onClick={(e) => {
        e.stopPropagation();
        p.context.onPin(row);
      }}
    >
      {pinned ? '★' : '☆'}
    </button>
  );
}

/** An address and its port: the address opens its profile. */
function AddressCell(p: CustomCellRendererProps<UnifiedEventRow> & { side: 'src' | 'dst' }) {
  const ip = p.data?.[`${p.side}_ip`];
  const port = p.data?.[`${p.side}_port`];
  if (!ip) return null;
  return (
    <>
      <EntityValue kind="ip" value={ip} className="entity-link mono grid-entity" />
      {port !== null && port !== undefined ? <span className="muted">:{port}</span> : null}
    </>
  );
}

const actorKind = (v: string): EntityKind | null => (looksLikeIp(v) ? 'ip' : v.startsWith('arn:') ? 'principal' : null);
const fixed =
  (kind: EntityKind) =>
  (v: string): EntityKind | null =>
    v ? kind : null;
const entity = (entityKind: EntityCellParams['entityKind']) => ({ cellRenderer: EntityCell, cellRendererParams: { entityKind } satisfies EntityCellParams });
const text = (p: ValueFormatterParams<UnifiedEventRow>) => (p.value === null || p.value === undefined ? '' : String(p.value));

const COLUMNS: ColDef<UnifiedEventRow>[] = [
  { colId: 'pin', headerName: '', width: 44, cellRenderer: PinCell, resizable: false, cellClass: 'tl-pin-cell' },
  { colId: 'time', field: 'time', headerName: 'time (UTC)', width: 210, valueFormatter: (p) => formatTime(p.value) },
  { colId: 'source', field: 'source', width: 96, valueFormatter: (p) => (p.value ? (SOURCE_LABELS[p.value as keyof typeof SOURCE_LABELS] ?? String(p.value)) : ''), cellClass: (p) => `tl-source tl-source-${p.value ?? ''}` },
  { colId: 'actor', field: 'actor', width: 230, valueFormatter: text, ...entity(actorKind) },
  { colId: 'access_key', field: 'access_key', headerName: 'access key', width: 160, valueFormatter: text, ...entity(fixed('access_key')) },
  { colId: 'action', field: 'action', width: 220, valueFormatter: text },
  { colId: 'target', field: 'target', width: 200, valueFormatter: text, tooltipField: 'target' },
  { colId: 'src', headerName: 'src ip:port', width: 175, cellRenderer: AddressCell, cellRendererParams: { side: 'src' } },
  { colId: 'dst', headerName: 'dst ip:port', width: 175, cellRenderer: AddressCell, cellRendererParams: { side: 'dst' } },
  { colId: 'outcome', field: 'outcome', width: 84, cellClass: (p) => `tl-outcome-${p.value ?? ''}` },
  { colId: 'instance', field: 'instance', width: 170, valueFormatter: text, ...entity(fixed('instance')) },
  { colId: 'eni', field: 'eni', headerName: 'ENI', width: 170, valueFormatter: text, ...entity(fixed('eni')) },
  { colId: 'summary', field: 'summary', minWidth: 320, flex: 1, valueFormatter: text, tooltipField: 'summary' },
];

interface Props {
  filter: EventFilterSpec;
  dataVersion: number;
  pinned: Set<string>;
  onPin(row: UnifiedEventRow): void;
  onSelect(row: UnifiedEventRow): void;
  onCount(count: number | null): void;
  onError(message: string | null): void;
}

/** The unified events in time order, paged by cursor from the engine. */
export function EventsGrid({ filter, dataVersion, pinned, onPin, onSelect, onCount, onError }: Props) {
  const nonce = useMemo(styleNonce, []);
  const gridApi = useRef<GridApi<UnifiedEventRow> | null>(null);
  const [ready, setReady] = useState(false);
  const pendingFocus = useRef<number | null>(null);
  const context = useMemo<GridContext>(() => ({ pinned, onPin }), []);
  context.pinned = pinned;
  context.onPin = onPin;

  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    const g = gridApi.current;
    if (!ready || !g) return;
    onCount(null);
    g.setGridOption(
      'datasource',
      eventsDatasource({
        filter: JSON.parse(filterKey) as EventFilterSpec,
        onCount,
        onError,
        onBlockLoaded: () =>
          setTimeout(() => {
            const i = pendingFocus.current;
            const row = i === null ? undefined : gridApi.current?.getDisplayedRowAtIndex(i)?.data;
            if (row) {
              pendingFocus.current = null;
              onSelect(row);
            }
          }, 0),
      }),
    );
  }, [ready, filterKey, dataVersion]);

  useEffect(() => {
    gridApi.current?.refreshCells({ columns: ['pin'], force: true });
  }, [pinned]);

  const onCellFocused = (e: CellFocusedEvent<UnifiedEventRow>) => {
    if (e.rowIndex === null || e.rowIndex === undefined) return;
    const row = e.api.getDisplayedRowAtIndex(e.rowIndex)?.data;
    pendingFocus.current = row ? null : e.rowIndex;
    if (row) onSelect(row);
  };

  return (
    <div className="grid-host" data-testid="events-grid">
      <AgGridReact<UnifiedEventRow>
        theme={gridTheme}
        styleNonce={nonce}
        rowModelType="infinite"
        cacheBlockSize={BLOCK}
        maxBlocksInCache={100}
        maxConcurrentDatasourceRequests={1}
        infiniteInitialRowCount={1}
        columnDefs={COLUMNS}
        defaultColDef={DEFAULT_COL_DEF}
        context={context}
        getRowId={getRowId}
        onGridReady={(e: GridReadyEvent<UnifiedEventRow>) => {
          gridApi.current = e.api;
          setReady(true);
        }}
        onCellFocused={onCellFocused}
        rowSelection={ROW_SELECTION}
        enableCellTextSelection={true}
        suppressColumnVirtualisation={true}
        tooltipShowDelay={600}
      />
    </div>
  );
}
