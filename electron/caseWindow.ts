import path from 'node:path';
import { BrowserWindow, dialog, utilityProcess, type UtilityProcess } from 'electron';
import type { ApiResult } from '../analyzers/api/contract';
import { APP_INDEX } from './appProtocol';
import { isFromWorker, type ToWorker } from './ipc';

/**
 * One window per case, each with its own database worker (a utility process),
 * so that an import in one case never freezes any window.
 */
export class CaseWindow {
  readonly win: BrowserWindow;
  private readonly worker: UtilityProcess;
  private readonly pending = new Map<number, (r: ApiResult<unknown>) => void>();
  private nextId = 1;
  private readonly ready: Promise<void>;
  private workerAlive = true;

  constructor(
    readonly casePath: string,
    files: { preload: string; worker: string },
    onClosed: (w: CaseWindow) => void,
  ) {
    this.win = new BrowserWindow({
      width: 1500,
      height: 920,
      minWidth: 1000,
      minHeight: 600,
      title: `Cloudsift — ${path.basename(casePath)}`,
      backgroundColor: '#0f1216',
      show: false,
      webPreferences: {
        preload: files.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        spellcheck: false,
      },
    });
    this.worker = utilityProcess.fork(files.worker, [casePath], { serviceName: 'Cloudsift case database', stdio: 'inherit' });
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: unknown) => {
        if (!isFromWorker(m)) return;
        if (m.kind === 'ready') resolve();
        else if (m.kind === 'fatal') reject(new Error(m.message));
        else if (m.kind === 'result') {
          this.pending.get(m.id)?.(m.result);
          this.pending.delete(m.id);
        }
      });
    });
    this.worker.on('exit', (code) => {
      this.workerAlive = false;
      for (const done of this.pending.values()) done({ ok: false, error: { code: 'TRANSPORT', message: `The case database stopped (exit ${code})` } });
      this.pending.clear();
    });
    this.ready.then(
      () => void this.win.loadURL(APP_INDEX),
      (err: Error) => {
        dialog.showErrorBox('Cannot open case', `${casePath}\n\n${err.message}`);
        this.win.destroy();
      },
    );
    this.win.once('ready-to-show', () => this.win.show());
    this.win.on('closed', () => {
      if (this.workerAlive) this.send({ kind: 'close' });
      onClosed(this);
    });
  }

  async call(channel: string, request: unknown): Promise<ApiResult<unknown>> {
    await this.ready;
    if (!this.workerAlive) return { ok: false, error: { code: 'TRANSPORT', message: 'The case database is not running' } };
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ kind: 'call', id, channel, request });
    });
  }

  focus(): void {
    if (this.win.isMinimized()) this.win.restore();
    this.win.focus();
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }
}
