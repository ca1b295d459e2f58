/**
 * The preload: one small typed object on `window.surveyor`, never raw ipcRenderer. It runs
 * sandboxed, so it is bundled into one CommonJS file (scripts/build-renderer.mjs).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ExportFile, ServerEvent } from '../api/contract.js';
import { CHANNELS } from './channels.js';

contextBridge.exposeInMainWorld('surveyor', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(CHANNELS.invoke, { method, input }),
  onEvent(fn: (e: ServerEvent) => void) {
    ipcRenderer.on(CHANNELS.event, (_event, e: ServerEvent) => fn(e));
  },
  // Since Electron 32 a File no longer carries its path; webUtils gives it for dropped files and folders.
  pathsFor: (files: File[]) => files.map((f) => webUtils.getPathForFile(f)),
  pickPaths: (what: 'files' | 'folder') => ipcRenderer.invoke(CHANNELS.pickPaths, what),
  openPdf: (id: number) => ipcRenderer.invoke(CHANNELS.openPdf, id),
  saveExport: (file: ExportFile) => ipcRenderer.invoke(CHANNELS.saveExport, file),
});
