/**
 * The one API object the page talks to. It never learns which transport is underneath: the
 * Electron preload's bridge (IPC) when the page runs in the desktop window, HTTP otherwise.
 */
import type { ExportFile, Input, MethodName, Output, Reply, ServerEvent } from '../api/contract.js';

export interface SurveyorClient {
  readonly kind: 'http' | 'ipc';
  call<M extends MethodName>(method: M, input?: Input<M>): Promise<Output<M>>;
  onEvent(fn: (e: ServerEvent) => void): void;
  /** Hands dropped or picked files (and folders) to an ingest job. */
  addFiles(files: File[], onUpload?: (done: number, total: number) => void): Promise<{ jobId: string } | null>;
  /** Asks for files or a folder (the desktop app's own dialogs); null where the page must use a file input. */
  pickAndAdd: ((what: 'files' | 'folder') => Promise<{ jobId: string } | null>) | null;
  openPdf(id: number): void;
  /** Saves an exported file where the user chooses; resolves to where (or a download name). */
  save(file: ExportFile): Promise<string | null>;
}

/** What the preload puts on `window.surveyor` (see electron/preload.ts). */
export interface Bridge {
  invoke(method: string, input: unknown): Promise<Reply<unknown>>;
  onEvent(fn: (e: ServerEvent) => void): void;
  pathsFor(files: File[]): string[];
  pickPaths(what: 'files' | 'folder'): Promise<Reply<string[]>>;
  openPdf(id: number): Promise<Reply<null>>;
  saveExport(file: ExportFile): Promise<Reply<string | null>>;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function unwrap<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value;
  throw new ApiError(reply.error.code, reply.error.message);
}

function ipcClient(bridge: Bridge): SurveyorClient {
  const call = async <M extends MethodName>(method: M, input?: Input<M>) =>
    unwrap((await bridge.invoke(method, input)) as Reply<Output<M>>);
  const ingest = async (paths: string[]) => (paths.length ? call('startJob', { kind: 'ingest', paths }) : null);

  return {
    kind: 'ipc',
    call,
    onEvent: (fn) => bridge.onEvent(fn),
    addFiles: (files) => ingest(bridge.pathsFor(files).filter(Boolean)),
    pickAndAdd: async (what) => ingest(unwrap(await bridge.pickPaths(what))),
    openPdf: (id) => void bridge.openPdf(id).then(unwrap),
    save: async (file) => unwrap(await bridge.saveExport(file)),
  };
}

function httpClient(token: string): SurveyorClient {
  const headers = { 'Content-Type': 'application/json', 'X-Surveyor-Token': token };
  const call = async <M extends MethodName>(method: M, input?: Input<M>) => {
    const res = await fetch(`/api/call/${method}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
    if (res.status === 401)
      throw new ApiError('unauthorized', 'this page lost its token: open the URL that `surveyor serve` printed');

    return unwrap((await res.json()) as Reply<Output<M>>);
  };

  return {
    kind: 'http',
    call,
    onEvent(fn) {
      // EventSource reconnects by itself; the server replays the jobs' state on each connect.
      const source = new EventSource('/api/events');
      source.onmessage = (m) => fn(JSON.parse(m.data as string) as ServerEvent);
    },
    async addFiles(files, onUpload) {
      const uploads: string[] = [];
      for (const [i, f] of files.entries()) {
        const res = await fetch(`/api/upload?name=${encodeURIComponent(f.name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/pdf', 'X-Surveyor-Token': token },
          body: f,
        });
        uploads.push(unwrap((await res.json()) as Reply<{ uploadId: string }>).uploadId);
        onUpload?.(i + 1, files.length);
      }

      return uploads.length ? call('startJob', { kind: 'ingest', uploads }) : null;
    },
    pickAndAdd: null,
    openPdf: (id) => void window.open(`/api/pdf/${id}`, '_blank', 'noopener'),
    async save(file) {
      const url = URL.createObjectURL(new Blob([file.content], { type: file.mime }));
      const a = Object.assign(document.createElement('a'), { href: url, download: file.fileName });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);

      return file.fileName;
    },
  };
}

export function createClient(): SurveyorClient {
  const bridge = (window as unknown as { surveyor?: Bridge }).surveyor;
  if (bridge) return ipcClient(bridge);

  return httpClient(new URLSearchParams(location.search).get('token') ?? '');
}
