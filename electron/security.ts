/**
 * The desktop window's safety settings, as plain values and functions (no `electron` import),
 * so the tests check exactly what main uses: the window's web preferences, which URLs the
 * window may load, and the guards put on every web contents.
 */
import { pathToFileURL } from 'node:url';
import { PAGE_CSP } from '../api/csp.js';

export { PAGE_CSP };

export function windowOptions(preloadPath: string) {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Surveyor',
    backgroundColor: '#15181e',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: process.env.SURVEYOR_DEVTOOLS === '1',
    },
  } as const;
}

/** The page's address, a file inside the app. */
export function appPageUrl(indexHtml: string): string {
  return pathToFileURL(indexHtml).href;
}

/** True only for the app's own page (any query or hash), never another file or site. */
export function isAppUrl(url: string | undefined, appUrl: string): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    const a = new URL(appUrl);

    return u.protocol === 'file:' && u.pathname === a.pathname;
  } catch {
    return false;
  }
}

/** Files the window may load: the page's own folder, and devtools when enabled. Nothing remote. */
export function isAllowedRequest(url: string, rendererDir: string): boolean {
  if (url.startsWith('devtools://')) return true;
  try {
    const u = new URL(url);
    const dir = pathToFileURL(rendererDir.endsWith('/') ? rendererDir : rendererDir + '/').pathname;

    return u.protocol === 'file:' && u.pathname.startsWith(dir) && !u.pathname.includes('/../');
  } catch {
    return false;
  }
}

/** The parts of a WebContents the guards touch (Electron's own object in main, anything alike in tests). */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    fn: (e: { preventDefault(): void }, ...rest: unknown[]) => void,
  ): unknown;
  setWindowOpenHandler(fn: (details: { url: string }) => { action: 'deny' }): void;
}

/** No navigation away from the page, no redirects, no new windows, no webviews. */
export function guardContents(
  contents: GuardedContents,
  onBlocked: (what: string, url: string) => void = () => {},
): void {
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked('new-window', url);
    return { action: 'deny' };
  });
  for (const event of ['will-navigate', 'will-redirect'] as const) {
    contents.on(event, (e, url) => {
      e.preventDefault();
      onBlocked(event, String(url));
    });
  }
  contents.on('will-attach-webview', (e) => {
    e.preventDefault();
    onBlocked('webview', '');
  });
}

/** Response headers with the page's CSP added (Electron's onHeadersReceived). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() !== 'content-security-policy') out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [PAGE_CSP];

  return out;
}
