import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EventFilterSpec, EventsHistogram as HistogramData, TimelineItemInfo, UnifiedEventRow } from '../api/contract';
import { api } from '../api/client';
import { useApp, type RecordRef } from '../state/store';
import { RecordPane } from '../components/RecordPane';
import { EventFilterBar } from '../components/timeline/EventFilterBar';
import { EventsHistogram } from '../components/timeline/EventsHistogram';
import { EventsGrid, eventKey } from '../components/timeline/EventsGrid';
import { PinForm } from '../components/timeline/PinForm';
import { IncidentTimeline } from '../components/timeline/IncidentTimeline';
import { CoverageView } from '../components/timeline/CoverageView';
import { cleanFilter, timeInputText } from '../components/timeline/filterText';
import { formatCount } from '../format';
import '../styles/timeline.css';

type View = 'events' | 'incident' | 'coverage';
const VIEWS: { id: View; label: string }[] = [
  { id: 'events', label: 'Events' },
  { id: 'incident', label: 'Incident timeline' },
  { id: 'coverage', label: 'Coverage' },
];

/**
 * Every source in one time-ordered view: the filter bar, a histogram to brush
 * a time range on, and the unified events grid; the incident timeline the
 * analyst builds from it; and which periods the logs cover at all.
 */
export function TimelineScreen() {
  const { caseInfo, dataVersion, timelineRequest, takeTimelineRequest } = useApp();
  const readOnly = caseInfo?.readOnly ?? false;
  const [view, setView] = useState<View>('events');
  // A filter another screen asked for is the first one shown, so that no unfiltered query runs before it.
  const [filter, setFilter] = useState<EventFilterSpec>(() => cleanFilter(useApp.getState().timelineRequest ?? {}));
  /** Ranges zoomed out of, so that "Zoom out" goes back one step. */
  const [zooms, setZooms] = useState<EventFilterSpec[]>([]);
  const [hist, setHist] = useState<HistogramData | null>(null);
  const [histError, setHistError] = useState<string | null>(null);
  const [loadingHist, setLoadingHist] = useState(false);
  const [count, setCount] = useState<number | null>(null);
  const [gridError, setGridError] = useState<string | null>(null);
  const [record, setRecord] = useState<RecordRef | null>(null);
  const [pinRow, setPinRow] = useState<UnifiedEventRow | null>(null);
  const [items, setItems] = useState<TimelineItemInfo[] | null>(null);

  useEffect(() => {
    if (!timelineRequest) return;
    const r = takeTimelineRequest();
    if (r) {
      setFilter(cleanFilter(r));
      setZooms([]);
      setView('events');
    }
  }, [timelineRequest]);

  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    let live = true;
    setLoadingHist(true);
    setHistError(null);
    api.call('events/histogram', { filter, buckets: 120 }).then(
      (h) => {
        if (!live) return;
        setHist(h);
        setLoadingHist(false);
      },
      (e: unknown) => {
        if (!live) return;
        setHistError(e instanceof Error ? e.message : String(e));
        setLoadingHist(false);
      },
    );
    return () => {
      live = false;
    };
  }, [filterKey, dataVersion]);

  const loadItems = useCallback(() => {
    api.call('timeline/list', {}).then(setItems, (e: unknown) => setGridError(e instanceof Error ? e.message : String(e)));
  }, []);
  useEffect(loadItems, [dataVersion]);

  const pinned = useMemo(
    () => new Map((items ?? []).filter((i) => i.kind === 'event' && i.tbl).map((i) => [eventKey({ tbl: i.tbl!, source_file_id: i.source_file_id!, record_index: i.record_index! }), i])),
    [items],
  );
  const pinnedKeys = useMemo(() => new Set(pinned.keys()), [pinned]);

  const apply = (f: EventFilterSpec) => {
    setZooms([]);
    setFilter(cleanFilter(f));
  };
  const zoom = (from: string, to: string) => {
    setZooms([...zooms, filter]);
    setFilter(cleanFilter({ ...filter, from, to }));
  };
  const zoomOut = () => {
    const prev = zooms[zooms.length - 1];
    if (!prev) return;
    setZooms(zooms.slice(0, -1));
    setFilter(prev);
  };
  const resetZoom = () => {
    if (zooms.length === 0) return;
    setFilter(zooms[0]);
    setZooms([]);
  };
  const showRecord = (ref: RecordRef) => {
    setPinRow(null);
    setRecord(ref);
  };

  const sidePane = record || pinRow;
  return (
    <section className="screen tl-screen" aria-label="Timeline">
      <div className="tl-views">
        <nav className="tabs small" aria-label="Timeline views">
          {VIEWS.map((v) => (
            <button key={v.id} className={view === v.id ? 'tab active' : 'tab'} aria-pressed={view === v.id} onClick={() => setView(v.id)} data-testid={`timeline-view-${v.id}`}>
              {v.label}
              {v.id === 'incident' && items && items.length > 0 ? ` (${items.length})` : ''}
            </button>
          ))}
        </nav>
        <span className="muted">times in UTC</span>
      </div>
      <div className={sidePane ? 'tl-main with-side' : 'tl-main'}>
        <div className="tl-view">
          {view === 'events' && (
            <div className="tl-events">
              <EventFilterBar filter={filter} onApply={apply} />
              <div className="tl-chart-bar">
                <span className="muted" data-testid="timeline-range">
                  {filter.from || filter.to ? `${timeInputText(filter.from) || '…'} → ${timeInputText(filter.to) || '…'} UTC` : 'all time'}
                </span>
                <button className="btn small" onClick={zoomOut} disabled={zooms.length === 0}>
                  Zoom out
                </button>
                <button className="btn small" onClick={resetZoom} disabled={zooms.length === 0}>
                  Reset zoom
                </button>
                <span className="muted" data-testid="timeline-count">
                  {count === null ? 'counting…' : `${formatCount(count)} ${count === 1 ? 'event' : 'events'}`}
                </span>
              </div>
              {(loadingHist || count === null) && !histError && !gridError && (
                <div className="tl-loading">
                  <div className="bar tl-bar">
                    <div className="bar-fill tl-indeterminate" />
                  </div>
                  <span className="muted">Loading events (the first view after an import builds the unified table)…</span>
                </div>
              )}
              {histError && <div className="error">{histError}</div>}
              {hist && <EventsHistogram data={hist} onZoom={zoom} />}
              {gridError && <div className="error">{gridError}</div>}
              <EventsGrid
                filter={filter}
                dataVersion={dataVersion}
                pinned={pinnedKeys}
                onPin={(row) => {
                  setRecord({ table: row.tbl, sourceFileId: row.source_file_id, recordIndex: row.record_index });
                  setPinRow(row);
                }}
                onSelect={(row) => setRecord({ table: row.tbl, sourceFileId: row.source_file_id, recordIndex: row.record_index })}
                onCount={setCount}
                onError={setGridError}
              />
            </div>
          )}
          {view === 'incident' && <IncidentTimeline items={items} readOnly={readOnly} onChanged={loadItems} onShowRecord={showRecord} />}
          {view === 'coverage' && (
            <CoverageView
              dataVersion={dataVersion}
              onShowRecord={showRecord}
              onShowEvents={(f) => {
                apply(f);
                setView('events');
              }}
            />
          )}
        </div>
        {sidePane && (
          <div className="tl-side">
            {pinRow && view === 'events' && (
              <PinForm
                row={pinRow}
                existing={pinned.get(eventKey(pinRow)) ?? null}
                readOnly={readOnly}
                onPinned={() => {
                  setPinRow(null);
                  loadItems();
                }}
                onClose={() => setPinRow(null)}
              />
            )}
            {record && (
              <RecordPane
                record={record}
                onClose={() => {
                  setRecord(null);
                  setPinRow(null);
                }}
              />
            )}
          </div>
        )}
      </div>
    </section>
  );
}
