import type { Channel, RequestOf, ResponseOf } from '../contract';
import type { ApiContext } from '../context';

/** A handler is a plain function of the case context and the request: no transport, testable on its own. */
export type Handler<C extends Channel> = (ctx: ApiContext, request: RequestOf<C>) => Promise<ResponseOf<C>>;

export type HandlerMap<C extends Channel> = { [K in C]: Handler<K> };
