import { create } from 'zustand';

/**
 * What the Evidence screen keeps while the user visits other screens: the
 * form fields, and the jobs it started, so that a running export is picked
 * up again on return.
 */
interface EvidenceState {
  publicKeys: string;
  signatures: string;
  validateJobId: string | null;
  out: string;
  overwrite: boolean;
  analyst: string;
  signKey: string;
  exportJobId: string | null;
  verifyBundle: string;
  verifyKey: string;
  set(patch: Partial<Omit<EvidenceState, 'set'>>): void;
}

export const useEvidence = create<EvidenceState>((set) => ({
  publicKeys: '',
  signatures: '',
  validateJobId: null,
  out: '',
  overwrite: false,
  analyst: '',
  signKey: '',
  exportJobId: null,
  verifyBundle: '',
  verifyKey: '',
  set: (patch) => set(patch),
}));
