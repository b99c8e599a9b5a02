import { ApiFailure } from '../errors';
import type { HandlerMap } from './types';

export const huntsHandlers: HandlerMap<'hunts/list' | 'hunts/get' | 'hunts/save' | 'hunts/delete' | 'hunts/run' | 'hunts/history' | 'hunts/catalog'> = {
  'hunts/list': async () => {
    throw new ApiFailure('INTERNAL', 'hunts/list is being built');
  },
  'hunts/get': async () => {
    throw new ApiFailure('INTERNAL', 'hunts/get is being built');
  },
  'hunts/save': async () => {
    throw new ApiFailure('INTERNAL', 'hunts/save is being built');
  },
  'hunts/delete': async () => {
    throw new ApiFailure('INTERNAL', 'hunts/delete is being built');
  },
  'hunts/run': async () => {
    throw new ApiFailure('INTERNAL', 'hunts/run is being built');
  },
  'hunts/history': async () => {
    throw new ApiFailure('INTERNAL', 'hunts/history is being built');
  },
  'hunts/catalog': async () => {
    throw new ApiFailure('INTERNAL', 'hunts/catalog is being built');
  },
};
