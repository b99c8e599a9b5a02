import type { ApiResult } from '../analyzers/api/contract';

/**
 * Messages between Electron's main process, the preload and the database
 * worker. Pure data, so that the routing can be tested without Electron.
 */

/** ipcMain.handle channel the preload's invoke() goes through. */
export const IPC_INVOKE = 'cloudsift:invoke';
/** Paths of folders and archives dropped on a window, sent by the preload. */
export const IPC_DROPPED = 'cloudsift:dropped';

export type ToWorker = { kind: 'call'; id: number; channel: string; request: unknown } | { kind: 'close' };

export type FromWorker =
  | { kind: 'ready'; casePath: string }
  | { kind: 'result'; id: number; result: ApiResult<unknown> }
  | { kind: 'fatal'; message: string }
  | { kind: 'closed' };

export function isFromWorker(m: unknown): m is FromWorker {
  if (typeof m !== 'object' || m === null) return false;
  const k = (m as { kind?: unknown }).kind;
  return k === 'ready' || k === 'result' || k === 'fatal' || k === 'closed';
}
