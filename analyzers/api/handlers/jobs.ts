import { requestObject, requiredString } from '../validate';
import type { HandlerMap } from './types';

export const jobsHandlers: HandlerMap<'jobs/get' | 'jobs/cancel'> = {
  'jobs/get': async (ctx, req) => ctx.jobs.get(requiredString(requestObject(req).jobId, 'jobId', 100)),
  'jobs/cancel': async (ctx, req) => ctx.jobs.cancel(requiredString(requestObject(req).jobId, 'jobId', 100)),
};
