import { isChannel, type ApiResult, type Channel, type CloudsiftBridge, type RequestOf, type ResponseOf } from '../analyzers/api/contract';

/**
 * What the preload exposes as `window.cloudsift`: one typed invoke(), which
 * refuses any channel the contract does not list before it reaches IPC, and
 * passes requests on as plain JSON data (no functions, no prototypes).
 */
export function makeBridge(send: (channel: Channel, request: unknown) => Promise<unknown>): CloudsiftBridge {
  return {
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
      if (!isChannel(channel)) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `No API channel ${JSON.stringify(String(channel)).slice(0, 100)}` } };
      let plain: unknown;
      try {
        plain = request === undefined ? {} : JSON.parse(JSON.stringify(request));
      } catch {
        return { ok: false, error: { code: 'BAD_REQUEST', message: 'The request is not plain data' } };
      }
      try {
        return (await send(channel, plain)) as ApiResult<ResponseOf<C>>;
      } catch (err) {
        return { ok: false, error: { code: 'TRANSPORT', message: err instanceof Error ? err.message : String(err) } };
      }
    },
  };
}
