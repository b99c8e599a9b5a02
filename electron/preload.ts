import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { makeBridge } from './bridge';
import { IPC_DROPPED, IPC_INVOKE } from './ipc';

/**
 * Runs sandboxed, with context isolation: the page gets window.cloudsift.invoke
 * and nothing else; ipcRenderer itself never crosses the bridge.
 */
contextBridge.exposeInMainWorld(
  'cloudsift',
  makeBridge((channel, request) => ipcRenderer.invoke(IPC_INVOKE, channel, request)),
);

// Folders and archives dropped anywhere on the window are imported into its
// case. The page cannot read a dropped file's path; the preload can, and hands
// only the paths to the main process.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  const files = Array.from(e.dataTransfer?.files ?? []);
  const paths = files.map((f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0);
  if (paths.length > 0) ipcRenderer.send(IPC_DROPPED, paths);
});
