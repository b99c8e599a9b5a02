import { requestObject, requiredString, stringList } from '../validate';
import type { HandlerMap } from './types';

export const importHandlers: HandlerMap<'import/start' | 'import/progress' | 'import/jobs'> = {
  'import/start': async (ctx, req) => ctx.imports.start(stringList(requestObject(req).paths, 'paths', 1000)),
  'import/progress': async (ctx, req) => ctx.imports.get(requiredString(requestObject(req).jobId, 'jobId', 100)),
  'import/jobs': async (ctx) => ctx.imports.list(),
};
