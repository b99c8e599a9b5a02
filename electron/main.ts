import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron';
import { contentSecurityPolicy, renderIndex, SECURITY_HEADERS } from '../analyzers/server/pagePolicy';
import { APP_ORIGIN, APP_SCHEME, CONTENT_TYPES, isAllowedRequest, resolveAppFile } from './appProtocol';
import { CaseWindow } from './caseWindow';
import { IPC_DROPPED, IPC_INVOKE } from './ipc';
import { loadRecent, saveRecent, withRecent } from './recentCases';

/**
 * Cloudsift's desktop shell. It stays thin: windows, menus, dialogs and
 * security policy here; every case's data work in its own utility process
 * (dbWorker), behind the same API contract as `cloudsift serve`.
 */

const FILES = {
  preload: path.join(__dirname, 'preload.cjs'),
  worker: path.join(__dirname, 'dbWorker.cjs'),
  renderer: path.join(__dirname, '..', 'renderer'),
};
const CASE_FILTERS = [{ name: 'Cloudsift case', extensions: ['duckdb'] }];

const windows = new Map<number, CaseWindow>();
const recentFile = () => path.join(app.getPath('userData'), 'recent-cases.json');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

function openCase(casePath: string): void {
  const abs = path.resolve(casePath);
  const open = [...windows.values()].find((w) => w.casePath === abs);
  if (open) return open.focus();
  const cw = new CaseWindow(abs, FILES, (w) => {
    windows.delete(w.win.webContents.id);
  });
  windows.set(cw.win.webContents.id, cw);
  const recent = withRecent(loadRecent(recentFile()), abs);
  saveRecent(recentFile(), recent);
  app.addRecentDocument(abs);
  buildMenu();
}

async function newCaseDialog(): Promise<void> {
  const r = await dialog.showSaveDialog({ title: 'New case', defaultPath: 'case.duckdb', filters: CASE_FILTERS, properties: ['createDirectory', 'showOverwriteConfirmation'] });
  if (!r.canceled && r.filePath) openCase(r.filePath.endsWith('.duckdb') ? r.filePath : `${r.filePath}.duckdb`);
}

async function openCaseDialog(): Promise<void> {
  const r = await dialog.showOpenDialog({ title: 'Open case', filters: CASE_FILTERS, properties: ['openFile'] });
  if (!r.canceled && r.filePaths[0]) openCase(r.filePaths[0]);
}

function focusedCase(): CaseWindow | undefined {
  const w = BrowserWindow.getFocusedWindow();
  return w ? windows.get(w.webContents.id) : undefined;
}

async function importDialog(kind: 'openDirectory' | 'openFile'): Promise<void> {
  const cw = focusedCase();
  if (!cw) return;
  const r = await dialog.showOpenDialog(cw.win, { title: kind === 'openDirectory' ? 'Import folders' : 'Import files or archives', properties: [kind, 'multiSelections'] });
  if (!r.canceled && r.filePaths.length > 0) await startImport(cw, r.filePaths);
}

async function startImport(cw: CaseWindow, paths: string[]): Promise<void> {
  const r = await cw.call('import/start', { paths });
  if (!r.ok) void dialog.showMessageBox(cw.win, { type: 'warning', message: 'Import not started', detail: r.error.message });
}

function buildMenu(): void {
  const recent = loadRecent(recentFile()).filter((p) => fs.existsSync(p));
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Case…', accelerator: 'CmdOrCtrl+N', click: () => void newCaseDialog() },
        { label: 'Open Case…', accelerator: 'CmdOrCtrl+O', click: () => void openCaseDialog() },
        {
          label: 'Open Recent',
          submenu: recent.length ? recent.map((p) => ({ label: p, click: () => openCase(p) })) : [{ label: 'No recent cases', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Import Folders…', accelerator: 'CmdOrCtrl+I', click: () => void importDialog('openDirectory') },
        { label: 'Import Files or Archives…', accelerator: 'CmdOrCtrl+Shift+I', click: () => void importDialog('openFile') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]), { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Only our own pages, in our own windows, may call the engine. */
function callerWindow(e: IpcMainInvokeEvent | Electron.IpcMainEvent): CaseWindow | undefined {
  const frameUrl = e.senderFrame?.url ?? '';
  if (!frameUrl.startsWith(`${APP_ORIGIN}/`)) return undefined;
  return windows.get(e.sender.id);
}

function installSecurity(): void {
  const ses = session.defaultSession;
  // No network at all: a forensic tool must not phone home or fetch what a log line points at.
  ses.webRequest.onBeforeRequest((details, done) => done({ cancel: !isAllowedRequest(details.url) }));
  ses.setPermissionRequestHandler((_wc, _permission, done) => done(false));
  ses.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  protocol.handle(APP_SCHEME, async (req) => {
    const file = resolveAppFile(FILES.renderer, req.url);
    const type = file ? CONTENT_TYPES[path.extname(file)] : undefined;
    if (!file || !type || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': type };
    if (type.startsWith('text/html')) {
      const nonce = crypto.randomBytes(16).toString('base64');
      headers['Content-Security-Policy'] = contentSecurityPolicy(nonce);
      return new Response(renderIndex(await fs.promises.readFile(file, 'utf8'), nonce), { headers });
    }
    return new Response(await fs.promises.readFile(file), { headers });
  });
}

function installIpc(): void {
  ipcMain.handle(IPC_INVOKE, (e, channel: unknown, request: unknown) => {
    const cw = callerWindow(e);
    if (!cw) return { ok: false, error: { code: 'FORBIDDEN', message: 'Not a Cloudsift window' } };
    return cw.call(String(channel), request);
  });
  ipcMain.on(IPC_DROPPED, (e, paths: unknown) => {
    const cw = callerWindow(e);
    if (!cw || !Array.isArray(paths)) return;
    const list = paths.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p)).slice(0, 1000);
    if (list.length > 0) void startImport(cw, list);
  });
}

async function firstWindow(): Promise<void> {
  const fromArgs = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => a.endsWith('.duckdb')) ?? pendingOpen;
  if (fromArgs) return openCase(fromArgs);
  const last = loadRecent(recentFile()).find((p) => fs.existsSync(p));
  const buttons = ['New Case…', 'Open Case…', ...(last ? ['Open Last Case'] : []), 'Quit'];
  const choice = await dialog.showMessageBox({
    type: 'question',
    title: 'Cloudsift',
    message: 'Open a case to begin',
    detail: 'A case is one file holding every imported log, its chain of custody and your work.',
    buttons,
    defaultId: 0,
    cancelId: buttons.length - 1,
  });
  const label = buttons[choice.response];
  if (label === 'New Case…') await newCaseDialog();
  else if (label === 'Open Case…') await openCaseDialog();
  else if (label === 'Open Last Case' && last) openCase(last);
  if (windows.size === 0) app.quit();
}

/** A case the OS asked us to open (macOS open-file) before the app was ready. */
let pendingOpen: string | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    const c = argv.find((a) => a.endsWith('.duckdb'));
    if (c) openCase(c);
  });
  app.on('open-file', (e, file) => {
    e.preventDefault();
    if (app.isReady()) openCase(file);
    else pendingOpen = file;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(async () => {
    installSecurity();
    installIpc();
    buildMenu();
    await firstWindow();
  });
}
