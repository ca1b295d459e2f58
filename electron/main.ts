/**
 * Electron main: the window, the menu, dialogs, and IPC handlers that call the same service the
 * browser page uses. Kept thin; the logic it relies on lives in security.ts, ipc.ts and menu.ts,
 * which the tests run in plain Node. The service (ingest, embedding, builds, export) runs on its own
 * worker thread (api/service-thread.ts), PDF parsing on ingest's pool of threads beneath it.
 */
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerEvent } from '../api/contract.js';
import { ServiceThread } from '../api/service-client.js';
import { logger } from '../core/log.js';
import { resolveLibraryPath, userDataDir } from '../core/paths.js';
import { openLibrary, type Library } from '../db/library.js';
import { CHANNELS } from './channels.js';
import { createIpcHandlers, type IpcSender } from './ipc.js';
import { menuTemplate, type MenuItemSpec } from './menu.js';
import { appPageUrl, guardContents, isAllowedRequest, windowOptions, withCsp } from './security.js';

const log = logger('electron');
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const indexHtml = path.join(rendererDir, 'index.html');
const appUrl = appPageUrl(indexHtml);

let win: BrowserWindow | null = null;
let lib: Library | null = null;
let service: ServiceThread | null = null;

/** Last resort: log it, and show a dialog whose text the user can copy into a bug report. */
function showFatal(title: string, err: unknown): void {
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log.error(`${title}:`, detail);
  if (!app.isReady()) return;
  // Home paths are cut from what the user might paste into a public report.
  const text = `${title}\n\n${detail}`.split(app.getPath('home')).join('~');
  const choice = dialog.showMessageBoxSync({
    type: 'error',
    title: 'Surveyor',
    message: title,
    detail: text,
    buttons: ['Copy details', 'Close'],
    defaultId: 1,
    noLink: true,
  });
  if (choice === 0) clipboard.writeText(text);
}

process.on('uncaughtException', (err) => showFatal('Surveyor hit an unexpected error', err));
process.on('unhandledRejection', (err) => showFatal('Surveyor hit an unexpected error', err));

function libraryFlag(argv: string[]): string | undefined {
  const i = argv.indexOf('--library');

  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--library='))?.slice('--library='.length);
}

function send(e: ServerEvent): void {
  win?.webContents.send(CHANNELS.event, e);
}

function buildMenu(): Menu {
  const toElectron = (items: MenuItemSpec[]): MenuItemConstructorOptions[] =>
    items.map((i) => ({
      label: i.label,
      accelerator: i.accelerator,
      role: i.role as MenuItemConstructorOptions['role'],
      type: i.type,
      submenu: i.submenu ? toElectron(i.submenu) : undefined,
      click: i.command ? () => send({ type: 'command', name: i.command! }) : undefined,
    }));

  return Menu.buildFromTemplate(toElectron(menuTemplate()));
}

function hardenSession(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.webRequest.onBeforeRequest((details, callback) => {
    const ok = isAllowedRequest(details.url, rendererDir);
    if (!ok) log.warn(`blocked a request to ${details.url}`);
    callback({ cancel: !ok });
  });
  s.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCsp(details.responseHeaders) }),
  );
}

function registerIpc(): void {
  const handlers = createIpcHandlers({
    handlers: service!.handlers(),
    lib: lib!,
    appUrl,
    windowIds: () => new Set(BrowserWindow.getAllWindows().map((w) => w.webContents.id)),
    async pickPaths(what) {
      const r = await dialog.showOpenDialog(win!, {
        title: what === 'folder' ? 'Add a folder of PDFs' : 'Add PDFs',
        properties: what === 'folder' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
        filters: what === 'folder' ? [] : [{ name: 'PDF', extensions: ['pdf'] }],
      });
      return r.canceled ? [] : r.filePaths;
    },
    async chooseSavePath(suggested) {
      const r = await dialog.showSaveDialog(win!, { defaultPath: path.join(app.getPath('documents'), suggested) });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    openPath: (file) => shell.openPath(file),
  });
  for (const [channel, fn] of Object.entries(handlers))
    ipcMain.handle(channel, (e, payload) => fn(e as unknown as IpcSender, payload));
}

function createWindow(): void {
  win = new BrowserWindow(windowOptions(path.join(here, 'preload.cjs')));
  win.once('ready-to-show', () => win?.show());
  win.webContents.on('render-process-gone', (_e, details) => {
    showFatal(`The window's page stopped (${details.reason})`, new Error(`exit code ${details.exitCode}`));
    if (details.reason !== 'clean-exit') win?.reload();
  });
  win.on('closed', () => (win = null));
  void win.loadFile(indexHtml);
}

app.enableSandbox();
app.on('web-contents-created', (_e, contents) =>
  guardContents(contents, (what, url) => log.warn(`blocked ${what} ${url}`)),
);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.whenReady().then(
    async () => {
      fs.mkdirSync(userDataDir(), { recursive: true });
      // Main keeps a handle for its own checks (which stored PDF may be opened); the service
      // thread opens the same file for the work itself.
      lib = openLibrary(resolveLibraryPath(libraryFlag(process.argv)));
      service = await ServiceThread.start(lib.path);
      service.onEvent(send);
      hardenSession();
      registerIpc();
      Menu.setApplicationMenu(buildMenu());
      createWindow();
    },
    (err: unknown) => {
      showFatal('Surveyor could not start', err);
      app.quit();
    },
  );
  app.on('window-all-closed', () => app.quit());
  // Quit waits for running work to stop cleanly (finished papers are kept), then closes the library.
  let closing = false;
  app.on('will-quit', (e) => {
    if (closing || !service) return;
    e.preventDefault();
    closing = true;
    void service.close().finally(() => {
      lib?.close();
      app.quit();
    });
  });
}
