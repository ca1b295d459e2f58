/**
 * Driving the app as a person does: the real `surveyor serve` in a child process, and Debian's
 * Chromium through playwright-core, headless and kept off the network.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT, tempDir } from './helpers.js';

// Browser globals, for the functions that run inside the page (page.evaluate); not Node's.
declare const document: any, DataTransfer: any, DragEvent: any;

export const CHROMIUM = process.env.SURVEYOR_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium quiet and off the network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function haveChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  proc: ChildProcess;
  stop(): Promise<number | null>;
}

/** Starts `surveyor serve` on a free port and resolves with the URL it prints. */
export function startServe(library: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const proc = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'surveyor.js'), 'serve', '--library', library, '--port', '0', ...extra],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${out}\n${err}`)), 30_000);
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = new URL(m[1]);
      resolve({
        url: m[1],
        origin: url.origin,
        token: url.searchParams.get('token') ?? '',
        proc,
        stop: () =>
          new Promise((done) => {
            if (proc.exitCode !== null) return done(proc.exitCode);
            proc.removeAllListeners('exit');
            proc.once('exit', (code) => done(code));
            proc.kill('SIGINT');
          }),
      });
    });
  });
}

/** A fresh headless Chromium with its own profile folder. */
export async function openBrowser(viewport = { width: 1400, height: 880 }): Promise<BrowserContext> {
  const profile = tempDir('surveyor-chromium-');

  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    acceptDownloads: true,
    colorScheme: 'light',
  });
}

/** Collects what would show up red in the console: page errors, CSP violations, failed calls. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });

  return errors;
}

/**
 * Drops files on the page the way a person drags them from a file manager: a DataTransfer
 * holding File objects built from the real bytes, sent as dragenter, dragover and drop.
 */
export async function dropFiles(page: Page, files: string[], target = 'body'): Promise<void> {
  const payload = files.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString('base64') }));
  await page.evaluate(
    ({ payload, target }) => {
      const dt = new DataTransfer();
      for (const f of payload) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: 'application/pdf' }));
      }
      const el = document.querySelector(target) ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { payload, target },
  );
}

/** Where screenshots go: `SURVEYOR_SCREENSHOTS` (e.g. docs/screenshots), else a temporary folder. */
export function screenshotDir(): string {
  const dir = process.env.SURVEYOR_SCREENSHOTS
    ? path.resolve(REPO_ROOT, process.env.SURVEYOR_SCREENSHOTS)
    : tempDir('surveyor-shots-');
  fs.mkdirSync(dir, { recursive: true });

  return dir;
}
