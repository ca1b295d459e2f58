/**
 * Ingestion: PDFs in, papers in the library out. Parsing runs in worker
 * processes (one per core); this thread only hashes files and stores results,
 * each paper in its own transaction, so a crash or Ctrl-C keeps every finished paper.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serializeError, SurveyorError } from '../core/errors.js';
import { logger } from '../core/log.js';
import type { StepOptions } from '../core/progress.js';
import { WorkerPool } from '../core/worker-pool.js';
import { isBusy, type Library } from '../db/library.js';
import { findPaperByHash, storePaper } from '../db/papers.js';
import { collectPdfs } from './collect.js';
import { MAX_FILE_BYTES, type ParsedFile } from './parse-file.js';
import type { ParseTask } from './worker.js';

const log = logger('ingest');

export interface IngestReport {
  added: { id: number; file: string; title: string | null; updated?: boolean }[];
  duplicates: { file: string; id: number; reason?: string }[];
  failed: { file: string; error: string; code?: string }[];
  /** True when the run was cancelled before every file was done. */
  cancelled?: boolean;
}

export interface IngestOptions extends StepOptions {
  workers?: number;
  timeoutMs?: number;
  maxPages?: number;
  /** Keep a copy of each PDF beside the library (default true). */
  storeCopies?: boolean;
  /** Bound on the process's resident memory in MB (see WorkerPool). */
  maxRssMb?: number;
}

/** SHA-256 of a file, read in chunks; null when it cannot be read (the worker then reports why). */
async function hashFile(file: string): Promise<string | null> {
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) return null;
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);

    return hash.digest('hex');
  } catch {
    return null;
  }
}

/**
 * Runs a write, waiting out a busy library: busy_timeout already waits inside
 * SQLite, and this retries a few more times with a growing pause so a long
 * write by the desktop app does not fail a command-line ingest.
 */
async function withBusyRetry<T>(fn: () => T, attempts = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || i >= attempts) throw err;
      log.info(`withBusyRetry(): library busy, try ${i + 1} of ${attempts}`);
      await new Promise((r) => setTimeout(r, 200 * i));
    }
  }
}

function storeCopy(lib: Library, parsed: ParsedFile): string {
  fs.mkdirSync(lib.filesDir, { recursive: true });
  const dest = path.join(lib.filesDir, `${parsed.contentHash}.pdf`);
  if (!fs.existsSync(dest)) {
    const tmp = `${dest}.${process.pid}.tmp`;
    fs.copyFileSync(parsed.file, tmp);
    fs.renameSync(tmp, dest);
  }

  return dest;
}

/**
 * Ingests files and folders into the library: every PDF found is parsed on a worker
 * and stored as one paper (or recognised as a duplicate or newer version); each bad
 * file is reported with its reason and the batch goes on.
 */
export async function ingestPaths(lib: Library, inputs: string[], opts: IngestOptions = {}): Promise<IngestReport> {
  const { files, problems } = collectPdfs(inputs);
  const failed = problems.map((p) => ({ file: p.file, error: p.error, code: p.code }));
  const report: IngestReport = { added: [], duplicates: [], failed };
  const total = files.length;
  let done = 0;
  opts.onProgress?.({ phase: 'ingest', done, total });
  if (total === 0) return report;

  const poolSize = Math.max(1, Math.min(opts.workers ?? os.availableParallelism(), total));
  const pool = new WorkerPool<ParseTask, ParsedFile>(new URL('./worker.js', import.meta.url), {
    size: poolSize,
    timeoutMs: opts.timeoutMs ?? 120_000,
    maxRssMb: opts.maxRssMb,
    describe: (t) => (t as ParseTask).file,
  });
  const onAbort = () => void pool.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const handle = async (file: string, parsed: ParsedFile) => {
    const known = findPaperByHash(lib.db, parsed.contentHash);
    if (known !== null) {
      report.duplicates.push({ file, id: known, reason: 'same file already in the library' });
      return;
    }
    const stored = opts.storeCopies === false ? null : storeCopy(lib, parsed);
    const outcome = await withBusyRetry(() => storePaper(lib.db, {
      title: parsed.title,
      authors: parsed.authors,
      year: parsed.year,
      abstract: parsed.abstract,
      arxivId: parsed.arxivId,
      arxivVersion: parsed.arxivVersion,
      doi: parsed.doi,
      pages: parsed.pages,
      headings: parsed.headings,
      fullText: parsed.fullText,
      contentHash: parsed.contentHash,
      file: stored,
      sourceFile: file,
      references: parsed.references,
    }));
    const title = parsed.title;
    if (outcome.status === 'added') report.added.push({ id: outcome.id, file, title });
    else if (outcome.status === 'updated') report.added.push({ id: outcome.id, file, title, updated: true });
    else report.duplicates.push({ file, id: outcome.id, reason: outcome.reason });
  };

  const ingestOne = async (file: string) => {
    try {
      // A file already in the library is recognised by its hash, without parsing it again:
      // re-running an interrupted ingest only parses what is missing.
      const hash = await hashFile(file);
      const known = hash === null ? null : findPaperByHash(lib.db, hash);
      if (known !== null) {
        report.duplicates.push({ file, id: known, reason: 'same file already in the library' });
        return;
      }
      const parsed = await pool.run({ file, maxPages: opts.maxPages });
      if (opts.signal?.aborted) return;
      await handle(file, parsed);
    } catch (err) {
      if (opts.signal?.aborted) return;
      const e = serializeError(err);
      const message = err instanceof SurveyorError ? e.message : `${file}: ${e.message}`;
      if (e.kind === 'bug') log.warn(`ingestPaths(): unexpected failure on ${file}`, e.message);
      report.failed.push({ file, error: message, code: e.code });
    } finally {
      if (!opts.signal?.aborted) {
        done++;
        opts.onProgress?.({ phase: 'ingest', done, total, item: file });
      }
    }
  };

  try {
    // A few files more than there are workers are in flight (hashed, queued), so
    // workers never wait, and a folder of 10,000 PDFs does not open 10,000 files at once.
    let next = 0;
    const runner = async () => {
      while (next < files.length && !opts.signal?.aborted) await ingestOne(files[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(files.length, poolSize * 2 + 2) }, runner));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
  if (opts.signal?.aborted) report.cancelled = true;

  // Workers finish in any order; the report follows the order the files were found in.
  const order = new Map(files.map((f, i) => [f, i]));
  const byOrder = (a: { file: string }, b: { file: string }) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1);
  report.added.sort(byOrder);
  report.duplicates.sort(byOrder);
  report.failed.sort(byOrder);

  return report;
}
