import { isChannel, type ApiResult, type Channel, type RequestOf, type ResponseOf } from './contract';
import type { ApiContext } from './context';
import { toApiError } from './errors';
import { HANDLERS } from './handlers/index';
import type { Handler } from './handlers/types';

/**
 * The one entry point every transport calls (HTTP server, Electron's database
 * worker): checks the channel name, runs its handler, and turns any error into data.
 */
export async function dispatch(ctx: ApiContext, channel: unknown, request: unknown): Promise<ApiResult<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `No API channel ${JSON.stringify(channel)?.slice(0, 100)}` } };
  try {
    const handler = HANDLERS[channel] as Handler<Channel>;
    return { ok: true, value: await handler(ctx, request as RequestOf<Channel>) };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}

/** Typed call for tests and in-process callers. */
export async function call<C extends Channel>(ctx: ApiContext, channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
  return (await dispatch(ctx, channel, request)) as ApiResult<ResponseOf<C>>;
}
