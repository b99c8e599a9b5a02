import { ApiFailure } from '../errors';
import type { HandlerMap } from './types';

export const evidenceHandlers: HandlerMap<'validation/latest' | 'validation/run' | 'evidence/export' | 'evidence/verify'> = {
  'validation/latest': async () => {
    throw new ApiFailure('INTERNAL', 'validation/latest is being built');
  },
  'validation/run': async () => {
    throw new ApiFailure('INTERNAL', 'validation/run is being built');
  },
  'evidence/export': async () => {
    throw new ApiFailure('INTERNAL', 'evidence/export is being built');
  },
  'evidence/verify': async () => {
    throw new ApiFailure('INTERNAL', 'evidence/verify is being built');
  },
};
