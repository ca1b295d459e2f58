/**
 * `surveyor serve`: the page and its API over HTTP, on the loopback interface only. Every
 * request must carry the random token printed in the URL (query, header, or the cookie the page
 * gets with its first load); a Host check stops DNS-rebinding pages from reaching it, and
 * calls that change anything need the token in a header, which no other site can send.
 */
import { timingSafeEqual, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SurveyorError } from '../core/errors.js';
import { logger } from '../core/log.js';
import type { Library } from '../db/library.js';
import type { ServerEvent } from '../api/contract.js';
import { PAGE_CSP } from '../api/csp.js';
import { dispatch } from '../api/dispatch.js';
import { loadPipeline, type Pipeline } from '../api/pipeline.js';
import { SurveyorService } from '../api/service.js';
import { UploadStore } from './uploads.js';

const log = logger('serve');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export { PAGE_CSP };
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
const MAX_JSON_BYTES = 1024 * 1024;

export interface ServeOptions {
  lib: Library;
  port?: number;
  token?: string;
  staticDir?: string;
  pipeline?: Pipeline;
  autoBuild?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  service: SurveyorService;
  /** Where uploads wait for their ingest job (emptied as each job ends). */
  uploadsDir: string;
  close(): Promise<void>;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);

  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }

  return undefined;
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  extra: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    ...extra,
  });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new SurveyorError('too-large', 'request body larger than 1 MB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SurveyorError('bad-request', 'request body is not JSON');
  }
}

/** Starts the server on 127.0.0.1 (port 0 picks a free one) and resolves once it listens. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const staticDir = opts.staticDir ?? DEFAULT_STATIC_DIR;
  const uploads = new UploadStore();
  const service = new SurveyorService(opts.lib, opts.pipeline ?? (await loadPipeline()), {
    autoBuild: opts.autoBuild,
    resolveUploads: (ids) => uploads.resolve(ids),
  });
  const handlers = service.handlers();
  const sse = new Set<http.ServerResponse>();
  let port = 0;

  const unsubscribe = service.onEvent((e: ServerEvent) => {
    const line = `data: ${JSON.stringify(e)}\n\n`;
    for (const res of sse) res.write(line);
  });

  const allowedHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  const serveStatic = (res: http.ServerResponse, name: string) => {
    // Only plain file names from the renderer's folder: no sub-paths, no dot-files.
    if (!/^[\w-]+(\.[\w-]+)*$/.test(name)) return send(res, 404, 'not found');
    const file = path.join(staticDir, name);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return send(res, 404, 'not found');
    const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
    send(
      res,
      200,
      fs.readFileSync(file),
      type,
      type.startsWith('text/html') ? { 'Content-Security-Policy': PAGE_CSP } : {},
    );
  };

  const servePdf = (res: http.ServerResponse, id: number) => {
    const row = opts.lib.db.prepare('SELECT file, title FROM papers WHERE id = ?').get(id) as
      { file: string | null } | undefined;
    if (!row?.file || !fs.existsSync(row.file)) return send(res, 404, `paper #${id} has no stored PDF`);
    const size = fs.statSync(row.file).size;
    res.writeHead(200, {
      'Content-Type': 'application/pdf',
      'Content-Length': size,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    fs.createReadStream(row.file).pipe(res);
  };

  const openEvents = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    for (const job of service.jobs.list()) res.write(`data: ${JSON.stringify({ type: 'job', job })}\n\n`);
    sse.add(res);
    const beat = setInterval(() => res.write(': beat\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(beat);
      sse.delete(res);
    });
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!allowedHost(req.headers.host)) return send(res, 403, 'forbidden: wrong Host header');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const headerToken = req.headers['x-surveyor-token'] as string | undefined;
    const viaHeader = sameToken(headerToken, token);
    const viaQuery = sameToken(url.searchParams.get('token') ?? undefined, token);
    const viaCookie = sameToken(cookie(req, 'surveyor_token'), token);
    if (!viaHeader && !viaQuery && !viaCookie)
      return send(res, 401, 'unauthorized: open the URL that `surveyor serve` printed');

    if (req.method === 'GET') {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        // The cookie lets the page's own files, the event stream and PDFs load without the token in their URLs.
        res.setHeader('Set-Cookie', `surveyor_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
        return serveStatic(res, 'index.html');
      }
      if (url.pathname === '/api/events') return openEvents(req, res);
      const pdf = /^\/api\/pdf\/(\d+)$/.exec(url.pathname);
      if (pdf) return servePdf(res, Number(pdf[1]));
      if (url.pathname.startsWith('/api/')) return send(res, 404, 'not found');

      return serveStatic(res, url.pathname.slice(1));
    }

    // Anything that changes state needs the token in a header: a cookie alone could be a forged cross-site request.
    if (req.method !== 'POST') return send(res, 405, 'method not allowed');
    if (!viaHeader) return send(res, 401, 'unauthorized: calls need the X-Surveyor-Token header');
    if (url.pathname === '/api/upload') {
      const name = url.searchParams.get('name') ?? 'upload.pdf';
      const uploadId = await uploads.save(name, req);
      return sendJson(res, 200, { ok: true, value: { uploadId } });
    }
    const call = /^\/api\/call\/([A-Za-z]+)$/.exec(url.pathname);
    if (!call) return send(res, 404, 'not found');
    const input = await readJson(req);
    // A browser page hands over files by uploading them; reading arbitrary paths is for the desktop app.
    if (call[1] === 'startJob' && input && typeof input === 'object' && 'paths' in input) {
      return sendJson(res, 200, {
        ok: false,
        error: { kind: 'expected', code: 'bad-request', message: 'startJob over HTTP takes uploads, not paths' },
      });
    }
    const reply = await dispatch(handlers, call[1], input);

    return sendJson(res, 200, reply);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof SurveyorError ? err : null;
      if (!e)
        log.error(
          `handle(): ${req.method} ${req.url?.split('?')[0]} failed`,
          err instanceof Error ? (err.stack ?? err.message) : String(err),
        );
      if (!res.headersSent)
        sendJson(res, e ? 400 : 500, {
          ok: false,
          error: { kind: e?.kind ?? 'bug', code: e?.code ?? 'internal', message: e?.message ?? 'internal error' },
        });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    service,
    uploadsDir: uploads.dir,
    async close() {
      unsubscribe();
      for (const res of sse) res.end();
      sse.clear();
      await service.close();
      uploads.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
