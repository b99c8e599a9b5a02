import { create } from 'zustand';
import type { Severity } from '../../api/contract';

/**
 * What the Findings screen shows, kept while the user is on another screen:
 * back from the explorer, the same finding is open, and a run that was
 * started is still followed.
 */
interface FindingsView {
  selectedId: number | null;
  minSeverity: Severity;
  text: string;
  /** The investigate job this screen started and still follows. */
  jobId: string | null;
  select(id: number | null): void;
  setMinSeverity(s: Severity): void;
  setText(t: string): void;
  setJobId(id: string | null): void;
}

export const useFindingsView = create<FindingsView>((set) => ({
  selectedId: null,
  minSeverity: 'info',
  text: '',
  jobId: null,
  select: (selectedId) => set({ selectedId }),
  setMinSeverity: (minSeverity) => set({ minSeverity }),
  setText: (text) => set({ text }),
  setJobId: (jobId) => set({ jobId }),
}));
