import { create } from 'zustand';
import type { CaseInfo, EntityRefInfo, EventFilterSpec, Filter } from '../api/contract';
import { api } from '../api/client';

export type Screen = 'overview' | 'import' | 'explorer' | 'findings' | 'timeline' | 'entity' | 'hunts' | 'evidence';

export interface RecordRef {
  table: string;
  sourceFileId: number;
  recordIndex: number;
}

interface AppState {
  screen: Screen;
  caseInfo: CaseInfo | null;
  caseError: string | null;
  /** Bumped when the case changes (an import finished): every screen reloads what it shows. */
  dataVersion: number;
  explorerTable: string;
  explorerFilters: Filter[];
  /** The entity the Entity profile screen shows. */
  entity: EntityRefInfo | null;
  /** A filter another screen asked the Timeline screen to apply; it takes it once. */
  timelineRequest: EventFilterSpec | null;
  setScreen(screen: Screen): void;
  loadCase(): Promise<void>;
  caseChanged(): void;
  openTable(table: string, filters?: Filter[]): void;
  /** Every entity value in every grid leads here. */
  openEntity(entity: EntityRefInfo): void;
  openTimeline(filter: EventFilterSpec): void;
  takeTimelineRequest(): EventFilterSpec | null;
}

export const useApp = create<AppState>((set, get) => ({
  screen: 'overview',
  caseInfo: null,
  caseError: null,
  dataVersion: 0,
  explorerTable: 'cloudtrail',
  explorerFilters: [],
  entity: null,
  timelineRequest: null,
  setScreen: (screen) => set({ screen }),
  async loadCase() {
    const r = await api.invoke('case/info', {});
    if (r.ok) {
      const current = get().explorerTable;
      const withRows = r.value.tables.find((t) => t.isEvents && t.rows > 0)?.name;
      const keep = r.value.tables.some((t) => t.name === current && t.rows > 0);
      set({ caseInfo: r.value, caseError: null, explorerTable: keep ? current : (withRows ?? current) });
    } else set({ caseError: `${r.error.code}: ${r.error.message}` });
  },
  caseChanged() {
    set({ dataVersion: get().dataVersion + 1 });
    void get().loadCase();
  },
  openTable: (table, filters = []) => set({ screen: 'explorer', explorerTable: table, explorerFilters: filters }),
  openEntity: (entity) => set({ screen: 'entity', entity }),
  openTimeline: (filter) => set({ screen: 'timeline', timelineRequest: filter }),
  takeTimelineRequest() {
    const r = get().timelineRequest;
    if (r) set({ timelineRequest: null });
    return r;
  },
}));
