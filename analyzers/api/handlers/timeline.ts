import { ApiFailure } from '../errors';
import type { HandlerMap } from './types';

export const timelineHandlers: HandlerMap<'events/page' | 'events/count' | 'events/histogram' | 'entity/profile' | 'coverage/get' | 'timeline/list' | 'timeline/pin' | 'timeline/note' | 'timeline/update' | 'timeline/remove' | 'timeline/draft'> = {
  'events/page': async () => {
    throw new ApiFailure('INTERNAL', 'events/page is being built');
  },
  'events/count': async () => {
    throw new ApiFailure('INTERNAL', 'events/count is being built');
  },
  'events/histogram': async () => {
    throw new ApiFailure('INTERNAL', 'events/histogram is being built');
  },
  'entity/profile': async () => {
    throw new ApiFailure('INTERNAL', 'entity/profile is being built');
  },
  'coverage/get': async () => {
    throw new ApiFailure('INTERNAL', 'coverage/get is being built');
  },
  'timeline/list': async () => {
    throw new ApiFailure('INTERNAL', 'timeline/list is being built');
  },
  'timeline/pin': async () => {
    throw new ApiFailure('INTERNAL', 'timeline/pin is being built');
  },
  'timeline/note': async () => {
    throw new ApiFailure('INTERNAL', 'timeline/note is being built');
  },
  'timeline/update': async () => {
    throw new ApiFailure('INTERNAL', 'timeline/update is being built');
  },
  'timeline/remove': async () => {
    throw new ApiFailure('INTERNAL', 'timeline/remove is being built');
  },
  'timeline/draft': async () => {
    throw new ApiFailure('INTERNAL', 'timeline/draft is being built');
  },
};
