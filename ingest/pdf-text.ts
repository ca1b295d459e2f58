/**
 * Reads the text layer of a PDF with pdf.js (legacy build, for Node), page by
 * page, releasing each page after use. Scripting and eval are off: nothing in a
 * PDF runs as code. Positions are kept, because titles, authors and headings are
 * found by layout (font size, position), not by text alone.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { SurveyorError } from '../core/errors.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/** Largest output one compressed stream may inflate to; more is a decompression bomb, not a paper. */
export const MAX_STREAM_BYTES = 64 * 1024 * 1024;

/** Largest total inflated output for one document. */
export const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/** Inflated bytes of the document being read; one document is read at a time per thread. */
const inflated = { total: 0, largest: 0, capped: false };

/** Inflaters for the formats pdf.js asks the platform for; others go to the platform's own stream. */
const INFLATERS: Record<string, (buf: Buffer, opts: zlib.ZlibOptions) => Buffer> = {
  deflate: zlib.inflateSync,
  'deflate-raw': zlib.inflateRawSync,
  gzip: zlib.gunzipSync,
};

/**
 * pdf.js inflates content and font streams with the platform's DecompressionStream,
 * which in Node runs zlib on the thread pool and leaves this thread waiting. This
 * replacement inflates in one native call on this thread (less CPU per page, and
 * no waiting), bounded by zlib's maxOutputLength: a stream that would inflate past
 * the caps is handed to pdf.js empty, and readPdf reports the file as a bomb.
 * Failing the stream instead would make pdf.js fall back to its own unbounded
 * inflater; a stream that is merely corrupt does fail, so pdf.js can salvage it.
 */
function capDecompression(): void {
  const Native = globalThis.DecompressionStream;
  if (!Native || (Native as { capped?: boolean }).capped) return;

  class CappedDecompressionStream {
    static capped = true;
    readonly readable: ReadableStream<Uint8Array>;
    readonly writable: DecompressionStream['writable'];

    constructor(format: ConstructorParameters<typeof DecompressionStream>[0]) {
      const inflate = INFLATERS[format];
      if (!inflate) {
        const inner = new Native(format);
        this.readable = inner.readable;
        this.writable = inner.writable;
        return;
      }
      const chunks: Buffer[] = [];
      const whole = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk) {
          chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        },
        flush(ctl) {
          const room = Math.min(MAX_STREAM_BYTES, MAX_DOCUMENT_BYTES - inflated.total);
          const input = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          let out: Buffer;
          try {
            out = inflate(input, { maxOutputLength: Math.max(1, room) });
          } catch (err) {
            if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw err;
            inflated.capped = true;
            return;
          }
          inflated.total += out.byteLength;
          inflated.largest = Math.max(inflated.largest, out.byteLength);
          ctl.enqueue(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
        },
      });
      this.readable = whole.readable;
      this.writable = whole.writable as unknown as DecompressionStream['writable'];
    }
  }
  globalThis.DecompressionStream = CappedDecompressionStream as unknown as typeof DecompressionStream;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);

  return proto === Object.prototype || proto === null;
}

type Listener = (this: DirectPort, event: { data: unknown }) => void;

/**
 * The channel between pdf.js's two halves when both run on this thread. pdf.js's
 * own "fake worker" port copies every message with structuredClone, as a real
 * worker boundary would; on one thread that copy buys nothing and costs about 8%
 * of the CPU of reading a paper (every page's text items are copied once). This
 * port delivers the same objects, asynchronously and in order, as pdf.js's does.
 * Both halves listen on the one port and tell their messages apart by name.
 */
class DirectPort {
  readonly #listeners = new Set<Listener>();

  postMessage(message: Record<string, unknown>): void {
    // The sender may reassign a property of what it sent once the call returns (pdf.js
    // hands over a page's text chunk, then gives the chunk a fresh, empty item list):
    // the message and its payload are copied one level deep, which is all the copy
    // pdf.js's own reuse needs; what they point to is shared.
    const data = { ...message };
    for (const key of ['data', 'chunk']) {
      const v = data[key];
      if (Array.isArray(v)) data[key] = [...v];
      else if (isPlainObject(v)) data[key] = { ...v };
    }
    const event = { data };
    void Promise.resolve().then(() => {
      for (const listener of [...this.#listeners]) listener.call(this, event);
    });
  }

  addEventListener(_type: string, listener: Listener): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: string, listener: Listener): void {
    this.#listeners.delete(listener);
  }

  terminate(): void {
    this.#listeners.clear();
  }
}

let pdfjsPromise: Promise<{ lib: PdfJs; worker: InstanceType<PdfJs['PDFWorker']> }> | null = null;

/** pdf.js's worker bundle patched for reading text only, written at build by scripts/patch-pdfjs.mjs. */
const TEXT_ONLY_WORKER = new URL('../vendor/pdf.worker.text-only.mjs', import.meta.url);

/**
 * Which pdf.js worker bundle ingestion uses: 'text-only' (the build's patched copy: no
 * OpenType files compiled from embedded fonts, fewer allocations per glyph; same text) or
 * 'stock' when the build could not patch this pdfjs-dist version or the copy would not load.
 * SURVEYOR_PDFJS_WORKER=stock forces the stock one.
 */
export function workerBundle(): 'text-only' | 'stock' {
  if (loadedBundle) return loadedBundle;
  if (process.env.SURVEYOR_PDFJS_WORKER === 'stock') return 'stock';
  return existsSync(TEXT_ONLY_WORKER) ? 'text-only' : 'stock';
}

/** The bundle this process loaded, once it has. */
let loadedBundle: 'text-only' | 'stock' | null = null;

type WorkerModule = { WorkerMessageHandler: { initializeFromPort(port: DirectPort): void } };

/** The text-only bundle where there is one; the stock one if it is missing or will not load. */
async function importWorkerBundle(): Promise<WorkerModule> {
  if (workerBundle() === 'text-only') {
    try {
      const mod = (await import(TEXT_ONLY_WORKER.href)) as WorkerModule;
      loadedBundle = 'text-only';
      return mod;
    } catch {
      // Falls through to the stock bundle: slower, same text.
    }
  }
  // No type declarations ship for the worker bundle.
  const stock = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
  const mod = (await import(stock)) as WorkerModule;
  loadedBundle = 'stock';
  return mod;
}

/**
 * Loads pdf.js and its worker code into this thread (pdf.js's "fake worker": in Node
 * it parses in the calling thread, which here is already a worker process).
 *
 * The legacy build bundles core-js, which on Node 20 (V8 11) replaces the native
 * Array.prototype.push, JSON.parse and JSON.stringify with slower script versions
 * (for spec corner cases pdf.js does not rely on). Putting the natives back makes
 * text extraction about 15% faster (measured on 30 fixtures, same text out).
 */
function loadPdfJs(): Promise<{ lib: PdfJs; worker: InstanceType<PdfJs['PDFWorker']> }> {
  pdfjsPromise ??= (async () => {
    const natives = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };
    const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const { WorkerMessageHandler } = await importWorkerBundle();
    Array.prototype.push = natives.push;
    JSON.parse = natives.parse;
    JSON.stringify = natives.stringify;
    capDecompression();

    // One parsing half and one document half for the life of this thread; every document goes through them.
    const port = new DirectPort();
    WorkerMessageHandler.initializeFromPort(port);
    const worker = new lib.PDFWorker({ port: port as never, verbosity: 0 });
    await worker.promise;

    return { lib, worker };
  })();

  return pdfjsPromise;
}

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));
const STANDARD_FONTS = pathToFileURL(path.join(PDFJS_DIR, 'standard_fonts') + path.sep).href;
const CMAPS = pathToFileURL(path.join(PDFJS_DIR, 'cmaps') + path.sep).href;

/** One run of text as pdf.js reports it, in PDF user-space units (origin bottom left). */
export interface TextItem {
  str: string;
  x: number;
  y: number;
  /** Advance width of the run. */
  w: number;
  /** Font size (height of the glyphs' em box). */
  size: number;
  font: string;
  /** The run ends a line in pdf.js's judgment. */
  eol: boolean;
  /** Not horizontal (e.g. the arXiv stamp in the left margin). */
  rotated: boolean;
}

export interface PageContent {
  number: number;
  width: number;
  height: number;
  items: TextItem[];
}

export interface PdfContent {
  pageCount: number;
  pages: PageContent[];
  info: Record<string, unknown>;
}

export interface ReadOptions {
  /** Refuse files with more pages than this (a paper, not a book or a bomb). */
  maxPages?: number;
}

export const DEFAULT_MAX_PAGES = 500;

/** Checks the bytes look like a PDF before pdf.js sees them; names the reason when not. */
export function assertLooksLikePdf(data: Uint8Array, file: string): void {
  if (data.length === 0) throw new SurveyorError('empty-file', `${file}: the file is empty (0 bytes)`);
  const head = Buffer.from(data.subarray(0, Math.min(1024, data.length))).toString('latin1');
  if (!head.includes('%PDF-')) {
    throw new SurveyorError('not-a-pdf', `${file}: not a PDF (no %PDF- header in the first 1 KiB)`);
  }

  // pdf.js reads a cut-off file leniently (it rebuilds the cross-reference table and
  // returns the first pages), which would store half a paper: a complete PDF ends with
  // %%EOF, give or take some trailing bytes.
  const tail = Buffer.from(data.subarray(Math.max(0, data.length - 4096))).toString('latin1');
  if (!tail.includes('%%EOF')) {
    throw new SurveyorError(
      'truncated',
      `${file}: the PDF is cut off (no %%EOF end marker in its last 4 KiB); an interrupted download?`,
    );
  }
}

function translatePdfJsError(err: unknown, file: string): SurveyorError {
  const e = err as { name?: string; message?: string; code?: number };
  const msg = e?.message ?? String(err);
  if (e?.name === 'PasswordException') {
    return new SurveyorError('encrypted', `${file}: the PDF is encrypted and needs a password`);
  }
  if (e?.name === 'InvalidPDFException') {
    return new SurveyorError('corrupt-pdf', `${file}: the PDF structure is invalid or truncated (${msg})`);
  }
  if (e?.name === 'MissingPDFException') return new SurveyorError('missing', `${file}: the file is missing`);
  if (/xref|startxref|trailer|Invalid (PDF|root)|Bad (FCHECK|encoding)|Unexpected end/i.test(msg)) {
    return new SurveyorError('corrupt-pdf', `${file}: the PDF structure is damaged (${msg})`);
  }

  return new SurveyorError('unreadable-pdf', `${file}: pdf.js could not read it (${msg})`);
}

/** Extracts every page's text items. Throws SurveyorError with a specific code for bad input. */
export async function readPdf(data: Uint8Array, file: string, opts: ReadOptions = {}): Promise<PdfContent> {
  assertLooksLikePdf(data, file);
  const { lib: pdfjs, worker } = await loadPdfJs();
  Object.assign(inflated, { total: 0, largest: 0, capped: false });
  const task = pdfjs.getDocument({
    data,
    worker,
    isEvalSupported: false,
    enableScripting: false,
    disableFontFace: true,
    useSystemFonts: false,
    standardFontDataUrl: STANDARD_FONTS,
    cMapUrl: CMAPS,
    cMapPacked: true,
    verbosity: 0,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    stopAtErrors: false,
  } as Parameters<PdfJs['getDocument']>[0]);

  let doc;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => {});
    throw translatePdfJsError(err, file);
  }

  try {
    const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
    if (doc.numPages > maxPages) {
      throw new SurveyorError(
        'too-many-pages',
        `${file}: ${doc.numPages} pages, more than the ${maxPages}-page limit for one paper (a book or a merged file?)`,
      );
    }
    const meta = await doc.getMetadata().catch(() => null);
    const checkBomb = () => {
      if (!inflated.capped) return;
      throw new SurveyorError(
        'decompression-bomb',
        `${file}: a compressed stream inflates past ${MAX_STREAM_BYTES >> 20} MB ` +
          `(or the file past ${MAX_DOCUMENT_BYTES >> 20} MB): a decompression bomb, not a paper`,
      );
    };
    const pages: PageContent[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      try {
        const [, , width, height] = page.view;
        const content = await page.getTextContent();
        const items: TextItem[] = [];
        for (const it of content.items) {
          if (!('str' in it)) continue;
          const [a, b, c, d, e, f] = it.transform as number[];
          items.push({
            str: it.str,
            x: e,
            y: f,
            w: it.width,
            size: Math.hypot(c, d) || Math.abs(d) || it.height,
            font: it.fontName,
            eol: it.hasEOL,
            rotated: Math.abs(b) > 1e-3 || Math.abs(c) > 1e-3 || a < 0,
          });
        }
        checkBomb();
        pages.push({ number: n, width, height, items });
      } finally {
        page.cleanup();
      }
    }

    return { pageCount: doc.numPages, pages, info: (meta?.info as Record<string, unknown>) ?? {} };
  } catch (err) {
    if (err instanceof SurveyorError) throw err;
    throw translatePdfJsError(err, file);
  } finally {
    await doc.destroy().catch(() => {});
  }
}
