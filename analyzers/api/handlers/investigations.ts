import { ApiFailure } from '../errors';
import type { HandlerMap } from './types';

export const investigationsHandlers: HandlerMap<'investigations/list' | 'investigate/start' | 'findings/list' | 'findings/evidence' | 'settings/list' | 'settings/set'> = {
  'investigations/list': async () => {
    throw new ApiFailure('INTERNAL', 'investigations/list is being built');
  },
  'investigate/start': async () => {
    throw new ApiFailure('INTERNAL', 'investigate/start is being built');
  },
  'findings/list': async () => {
    throw new ApiFailure('INTERNAL', 'findings/list is being built');
  },
  'findings/evidence': async () => {
    throw new ApiFailure('INTERNAL', 'findings/evidence is being built');
  },
  'settings/list': async () => {
    throw new ApiFailure('INTERNAL', 'settings/list is being built');
  },
  'settings/set': async () => {
    throw new ApiFailure('INTERNAL', 'settings/set is being built');
  },
};
