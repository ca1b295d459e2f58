/**
 * The desktop window's checks, run in plain Node (the Electron binary is not installed here):
 * the window's web preferences, navigation and new-window guards, which requests may load, the
 * preload's exposed object, and the IPC handlers main registers, on a real library and service.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import vm from 'node:vm';
import type { Reply } from '../api/contract.js';
import { loadPipeline } from '../api/pipeline.js';
import { SurveyorService } from '../api/service.js';
import { openLibrary, type Library } from '../db/library.js';
import { CHANNELS } from '../electron/channels.js';
import { createIpcHandlers, type IpcHandler, type IpcSender } from '../electron/ipc.js';
import { menuTemplate, type MenuItemSpec } from '../electron/menu.js';
import {
  appPageUrl,
  guardContents,
  isAllowedRequest,
  isAppUrl,
  PAGE_CSP,
  windowOptions,
  withCsp,
} from '../electron/security.js';
import { REPO_ROOT, tempDir, tempLibraryPath } from './helpers.js';

const rendererDir = path.join(REPO_ROOT, 'dist', 'renderer');
const appUrl = appPageUrl(path.join(rendererDir, 'index.html'));
const WINDOW = 7;

let lib: Library;
let service: SurveyorService;
let handlers: Record<string, IpcHandler>;
const opened: string[] = [];
const saved: string[] = [];
let saveTo: string | null = null;

const fromApp = (over: Partial<IpcSender> = {}): IpcSender => ({
  sender: { id: WINDOW },
  senderFrame: { url: appUrl },
  ...over,
});

before(async () => {
  lib = openLibrary(tempLibraryPath());
  service = new SurveyorService(lib, await loadPipeline(), { autoBuild: false });
  handlers = createIpcHandlers({
    handlers: service.handlers(),
    lib,
    appUrl,
    windowIds: () => new Set([WINDOW]),
    pickPaths: async () => ['/picked/a.pdf'],
    chooseSavePath: async (name) => (saved.push(name), saveTo),
    openPath: async (file) => (opened.push(file), ''),
  });
});

after(async () => {
  await service.close();
  lib.close();
});

test('the window runs sandboxed, isolated, without Node, webviews or remote content', () => {
  const w = windowOptions('/app/preload.cjs').webPreferences;
  assert.equal(w.sandbox, true);
  assert.equal(w.contextIsolation, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.nodeIntegrationInWorker, false);
  assert.equal(w.nodeIntegrationInSubFrames, false);
  assert.equal(w.webSecurity, true);
  assert.equal(w.allowRunningInsecureContent, false);
  assert.equal(w.webviewTag, false);
  assert.equal(w.navigateOnDragDrop, false, 'a file dropped outside the page never replaces it');
  assert.equal(w.preload, '/app/preload.cjs');
});

test('the CSP starts from default-src none, allows no inline code, and is on every response', () => {
  assert.match(PAGE_CSP, /^default-src 'none'; /);
  assert.doesNotMatch(PAGE_CSP, /unsafe-inline|unsafe-eval|\*|http:|https:/);
  const headers = withCsp({ 'Content-Type': ['text/html'], 'content-security-policy': ['default-src *'] });
  assert.deepEqual(headers['Content-Security-Policy'], [PAGE_CSP]);
  assert.equal(headers['content-security-policy'], undefined, "a response's own, looser policy is replaced");
  const html = fs.readFileSync(path.join(REPO_ROOT, 'renderer', 'index.html'), 'utf8');
  const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.ok(meta?.startsWith("default-src 'none'"), 'the page carries the policy itself too');
});

test('navigation, redirects, new windows and webviews are all refused', () => {
  const contents = new EventEmitter() as EventEmitter & {
    setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' }): void;
    opener?: (d: { url: string }) => { action: 'deny' };
  };
  contents.setWindowOpenHandler = (fn) => (contents.opener = fn);
  const blocked: string[] = [];
  guardContents(contents, (what, url) => blocked.push(`${what} ${url}`));

  assert.deepEqual(contents.opener!({ url: 'https://example.org/' }), { action: 'deny' });
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    let prevented = false;
    contents.emit(event, { preventDefault: () => (prevented = true) }, 'https://example.org/');
    assert.ok(prevented, `${event} is prevented`);
  }
  assert.equal(blocked.length, 4);
});

test('only the app page and its own files may load; nothing remote', () => {
  assert.ok(isAppUrl(appUrl, appUrl));
  assert.ok(isAppUrl(`${appUrl}#board`, appUrl));
  assert.ok(!isAppUrl('file:///etc/passwd', appUrl));
  assert.ok(!isAppUrl('https://example.org/index.html', appUrl));
  assert.ok(!isAppUrl(undefined, appUrl));
  assert.ok(isAllowedRequest(`file://${rendererDir}/app.js`, rendererDir));
  assert.ok(!isAllowedRequest('https://cdn.example.org/x.js', rendererDir));
  assert.ok(!isAllowedRequest('file:///etc/passwd', rendererDir));
  assert.ok(!isAllowedRequest(`file://${rendererDir}-evil/app.js`, rendererDir));
});

test('IPC from another page, a subframe or an unknown window is refused before anything runs', async () => {
  const invoke = handlers[CHANNELS.invoke];
  const cases: IpcSender[] = [
    fromApp({ senderFrame: { url: 'https://evil.example/' } }),
    fromApp({ senderFrame: { url: 'file:///tmp/other.html' } }),
    fromApp({ senderFrame: { url: appUrl, parent: {} } }),
    fromApp({ sender: { id: 99 } }),
    fromApp({ senderFrame: null }),
  ];
  for (const e of cases) {
    const r = await invoke(e, { method: 'papers', input: {} });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'forbidden');
  }
  const ok = await invoke(fromApp(), { method: 'papers', input: {} });
  assert.ok(ok.ok, 'the app page itself is answered');
});

test('IPC payloads are validated: shape, method, input, and no uploads in the desktop app', async () => {
  const invoke = handlers[CHANNELS.invoke];
  const expectError = async (payload: unknown, pattern: RegExp, channel: string = CHANNELS.invoke) => {
    const r = await handlers[channel](fromApp(), payload);
    assert.equal(r.ok, false, JSON.stringify(payload));
    if (!r.ok) assert.match(r.error.message, pattern);
  };
  await expectError('papers', /invalid input/);
  await expectError({ method: 'papers', input: {}, extra: 1 }, /invalid input/);
  await expectError({ method: 'eval', input: 'process.exit()' }, /unknown method "eval"/);
  await expectError({ method: 'paper', input: { id: -1 } }, /paper: invalid input/);
  await expectError({ method: 'startJob', input: { kind: 'ingest', uploads: ['a'.repeat(32)] } }, /paths, not uploads/);
  await expectError({ method: 'startJob', input: { kind: 'ingest', paths: ['relative/dir'] } }, /must be absolute/);
  await expectError('everything', /invalid input/, CHANNELS.pickPaths);
  await expectError('1', /invalid input/, CHANNELS.openPdf);
  await expectError(
    { fileName: '../../.bashrc', mime: 'text/plain', content: 'x' },
    /a file name, not a path/,
    CHANNELS.saveExport,
  );
  await expectError(
    { fileName: 'run.sh', mime: 'text/plain', content: 'x' },
    /not an export file/,
    CHANNELS.saveExport,
  );
  const r = (await invoke(fromApp(), { method: 'info', input: {} })) as Reply<{ paperCount: number }>;
  assert.ok(r.ok && r.value.paperCount === 0);
});

test('open PDF opens only the library’s own stored copies', async () => {
  const outside = lib.db.prepare("INSERT INTO papers (title, file) VALUES ('planted', '/etc/passwd')").run();
  const r = await handlers[CHANNELS.openPdf](fromApp(), Number(outside.lastInsertRowid));
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error.message, /has no stored PDF/);
  assert.deepEqual(opened, [], 'nothing was opened');

  fs.mkdirSync(lib.filesDir, { recursive: true });
  const stored = path.join(lib.filesDir, 'abc.pdf');
  fs.writeFileSync(stored, '%PDF-1.4\n');
  const inside = lib.db.prepare("INSERT INTO papers (title, file) VALUES ('stored', ?)").run(stored);
  const ok = await handlers[CHANNELS.openPdf](fromApp(), Number(inside.lastInsertRowid));
  assert.ok(ok.ok);
  assert.deepEqual(opened, [stored]);
});

test('save export writes where the user chose, and nothing when they cancel', async () => {
  saveTo = null;
  const cancelled = await handlers[CHANNELS.saveExport](fromApp(), {
    fileName: 'outline.md',
    mime: 'text/markdown',
    content: '# Survey\n',
  });
  assert.deepEqual(cancelled, { ok: true, value: null });
  saveTo = path.join(tempDir(), 'my outline.md');
  const r = await handlers[CHANNELS.saveExport](fromApp(), {
    fileName: 'outline.md',
    mime: 'text/markdown',
    content: '# Survey\n',
  });
  assert.deepEqual(r, { ok: true, value: saveTo });
  assert.equal(fs.readFileSync(saveTo, 'utf8'), '# Survey\n');
  assert.deepEqual(saved, ['outline.md', 'outline.md']);
});

test('the preload exposes one object with six functions, and never ipcRenderer itself', () => {
  const code = fs.readFileSync(path.join(REPO_ROOT, 'dist', 'electron', 'preload.cjs'), 'utf8');
  const exposed: Record<string, unknown> = {};
  const sent: unknown[][] = [];
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
    ipcRenderer: { invoke: (...a: unknown[]) => (sent.push(a), Promise.resolve()), on: () => undefined },
    webUtils: { getPathForFile: (f: { name: string }) => `/dropped/${f.name}` },
  };
  const module = { exports: {} };
  vm.runInNewContext(code, {
    require: (m: string) => (m === 'electron' ? fakeElectron : assert.fail(`the preload requires ${m}`)),
    module,
    exports: module.exports,
  });

  assert.deepEqual(Object.keys(exposed), ['surveyor']);
  const api = exposed.surveyor as Record<string, (...a: unknown[]) => unknown>;
  assert.deepEqual(Object.keys(api).sort(), ['invoke', 'onEvent', 'openPdf', 'pathsFor', 'pickPaths', 'saveExport']);
  assert.ok(Object.values(api).every((v) => typeof v === 'function'));
  void api.invoke('papers', {});
  // Objects made inside the vm have that realm's prototypes: compare them as JSON.
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
  assert.deepEqual(plain(sent[0]), [CHANNELS.invoke, { method: 'papers', input: {} }]);
  assert.deepEqual(plain(api.pathsFor([{ name: 'a.pdf' }])), ['/dropped/a.pdf']);
  assert.ok(
    Object.values(CHANNELS).every((c) => c.startsWith('surveyor:')),
    'every channel carries the app prefix',
  );
});

test('the menu has Add PDFs, Add Folder, Export, Undo/Redo, Find, zoom and fit, with shortcuts', () => {
  const flat = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
  const items = flat(menuTemplate('linux'));
  const byCommand = new Map(items.filter((i) => i.command).map((i) => [i.command!, i]));
  for (const [command, accelerator] of [
    ['add-pdfs', 'CmdOrCtrl+O'],
    ['add-folder', 'CmdOrCtrl+Shift+O'],
    ['export', 'CmdOrCtrl+E'],
    ['undo', 'CmdOrCtrl+Z'],
    ['redo', 'Ctrl+Y'],
    ['find', 'CmdOrCtrl+F'],
    ['zoom-in', 'CmdOrCtrl+Plus'],
    ['zoom-out', 'CmdOrCtrl+-'],
    ['fit', 'CmdOrCtrl+0'],
  ] as const) {
    assert.equal(byCommand.get(command)?.accelerator, accelerator, command);
  }
  assert.equal(flat(menuTemplate('darwin')).find((i) => i.command === 'redo')?.accelerator, 'Shift+Cmd+Z');
});

test('electron-builder packages for Linux, Windows and macOS, and npm start runs the app', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    main: string;
    scripts: Record<string, string>;
    build: { appId: string; linux: unknown; win: unknown; mac: unknown; files: string[] };
  };
  assert.equal(pkg.main, 'dist/electron/main.js');
  assert.match(pkg.scripts.start, /electron \./);
  assert.ok(pkg.build.appId && pkg.build.linux && pkg.build.win && pkg.build.mac);
  assert.ok(
    pkg.build.files.some((f) => f.startsWith('dist')),
    'the built app is packaged',
  );
});
