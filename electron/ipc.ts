/**
 * IPC handlers of the desktop window, free of `electron` imports so plain Node tests run them:
 * each checks that the message comes from the app's own page in one of its windows, validates
 * the payload with zod, then acts. Every reply is `{ok, value}` or `{ok, error}`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EXPORT_FORMATS, type Reply } from '../api/contract.js';
import { dispatch, type Handlers } from '../api/dispatch.js';
import { serializeError, SurveyorError } from '../core/errors.js';
import { logger } from '../core/log.js';
import type { Library } from '../db/library.js';
import { CHANNELS } from './channels.js';
import { isAppUrl } from './security.js';

const log = logger('ipc');

/** What main knows of a message's origin (a subset of Electron's IpcMainInvokeEvent). */
export interface IpcSender {
  sender: { id: number };
  senderFrame: { url: string; parent?: unknown } | null;
}

export interface IpcDeps {
  handlers: Handlers;
  lib: Library;
  appUrl: string;
  /** Ids of the web contents of this app's windows. */
  windowIds(): Set<number>;
  pickPaths(what: 'files' | 'folder'): Promise<string[]>;
  /** Asks where to save; null when the user cancels. */
  chooseSavePath(suggested: string): Promise<string | null>;
  openPath(file: string): Promise<string>;
}

const invokePayload = z.object({ method: z.string().max(64), input: z.unknown() }).strict();
const pickPayload = z.enum(['files', 'folder']);
const pdfPayload = z.number().int().positive();
const exportPayload = z
  .object({
    fileName: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^\\/\u0000]+$/, 'a file name, not a path'),
    mime: z.string().max(100),
    content: z.string().max(200 * 1024 * 1024),
  })
  .strict();

export function isTrustedSender(e: IpcSender, appUrl: string, windowIds: Set<number>): boolean {
  const frame = e.senderFrame;

  // Only the top frame of one of our windows, showing our own page.
  return !!frame && !frame.parent && windowIds.has(e.sender.id) && isAppUrl(frame.url, appUrl);
}

function fail(err: unknown): Reply<never> {
  return { ok: false, error: serializeError(err) };
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new SurveyorError(
      'bad-request',
      `${what}: invalid input (${r.error.issues.map((i) => i.message).join('; ')})`,
    );

  return r.data;
}

export type IpcHandler = (e: IpcSender, payload: unknown) => Promise<Reply<unknown>>;

export function createIpcHandlers(deps: IpcDeps): Record<string, IpcHandler> {
  const guard =
    (channel: string, fn: (payload: unknown) => Promise<unknown>): IpcHandler =>
    async (e, payload) => {
      if (!isTrustedSender(e, deps.appUrl, deps.windowIds())) {
        log.warn(
          `${channel}: refused a message from ${e.senderFrame?.url ?? 'a closed frame'} (sender ${e.sender.id})`,
        );
        return fail(new SurveyorError('forbidden', `${channel}: the sender is not this app's page`));
      }
      try {
        return { ok: true, value: await fn(payload) };
      } catch (err) {
        return fail(err);
      }
    };

  return {
    [CHANNELS.invoke]: async (e, payload) => {
      const checked = await guard(CHANNELS.invoke, async (p) => {
        const call = parse(invokePayload, p, CHANNELS.invoke);
        // The window hands over files as paths on this machine; uploads are the browser's way.
        if (call.method === 'startJob' && call.input && typeof call.input === 'object' && 'uploads' in call.input) {
          throw new SurveyorError('bad-request', 'startJob in the desktop app takes paths, not uploads');
        }

        return call;
      })(e, payload);
      if (!checked.ok) return checked;
      const { method, input } = checked.value as z.infer<typeof invokePayload>;

      return dispatch(deps.handlers, method, input);
    },
    [CHANNELS.pickPaths]: guard(CHANNELS.pickPaths, async (p) =>
      deps.pickPaths(parse(pickPayload, p, CHANNELS.pickPaths)),
    ),
    [CHANNELS.openPdf]: guard(CHANNELS.openPdf, async (p) => {
      const id = parse(pdfPayload, p, CHANNELS.openPdf);
      const row = deps.lib.db.prepare('SELECT file FROM papers WHERE id = ?').get(id) as
        { file: string | null } | undefined;
      // Only the library's own stored copies are ever opened, never a path the page names.
      const file = row?.file ? path.resolve(row.file) : null;
      if (!file || !file.startsWith(path.resolve(deps.lib.filesDir) + path.sep) || !fs.existsSync(file)) {
        throw new SurveyorError('no-pdf', `paper #${id} has no stored PDF`);
      }
      const err = await deps.openPath(file);
      if (err) throw new SurveyorError('open-failed', `${file}: could not be opened (${err})`);

      return null;
    }),
    [CHANNELS.saveExport]: guard(CHANNELS.saveExport, async (p) => {
      const file = parse(exportPayload, p, CHANNELS.saveExport);
      const ext = path.extname(file.fileName).slice(1);
      const known = ['md', 'tex', 'bib', 'json', 'graphml'];
      if (!known.includes(ext))
        throw new SurveyorError('bad-request', `${file.fileName}: not an export file (${EXPORT_FORMATS.join(', ')})`);
      const where = await deps.chooseSavePath(file.fileName);
      if (!where) return null;
      fs.writeFileSync(where, file.content);

      return where;
    }),
  };
}
