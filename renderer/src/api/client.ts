import {
  ARROW_CONTENT_TYPE,
  HTTP_API_PREFIX,
  HTTP_TOKEN_HEADER,
  isChannel,
  type ApiResult,
  type Channel,
  type CloudsiftBridge,
  type RequestOf,
  type ResponseOf,
} from './contract';

/**
 * The renderer's one way to the engine. In Electron the preload's bridge
 * carries calls to the database worker; under `cloudsift serve` they are
 * POSTs to the same origin with the run's token.
 */

declare global {
  interface Window {
    cloudsift?: CloudsiftBridge;
  }
}

const TOKEN_KEY = 'cloudsift.token';

/** The token arrives in the URL once; it is kept for this tab and taken out of the address bar. */
function sessionToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

type Invoke = <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<ApiResult<ResponseOf<C>>>;

function httpInvoke(token: string): Invoke {
  return async <C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> => {
    if (!isChannel(channel)) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: String(channel) } };
    let res: Response;
    try {
      res = await fetch(`${HTTP_API_PREFIX}${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [HTTP_TOKEN_HEADER]: token },
        body: JSON.stringify(request ?? {}),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (err) {
      return { ok: false, error: { code: 'TRANSPORT', message: `Cannot reach the Cloudsift server: ${String(err)}` } };
    }
    if ((res.headers.get('content-type') ?? '').startsWith(ARROW_CONTENT_TYPE)) {
      return { ok: true, value: new Uint8Array(await res.arrayBuffer()) as ResponseOf<C> };
    }
    try {
      return (await res.json()) as ApiResult<ResponseOf<C>>;
    } catch {
      return { ok: false, error: { code: 'TRANSPORT', message: `The server answered ${res.status} ${res.statusText}` } };
    }
  };
}

const invoke: Invoke = window.cloudsift ? (c, r) => window.cloudsift!.invoke(c, r) : httpInvoke(sessionToken());

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const api = {
  /** The raw result, for callers that show errors inline. */
  invoke,
  /** The value, or an ApiCallError carrying the engine's code and message. */
  async call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const r = await invoke(channel, request);
    if (!r.ok) throw new ApiCallError(r.error.code, r.error.message);
    return r.value;
  },
  transport: window.cloudsift ? ('electron' as const) : ('http' as const),
};
