/**
 * Embeds the papers of a library: those with no vector for the model yet, and those
 * whose text changed since (found by the hash of the embedded windows). Vectors are
 * stored with the model's identity, so another model re-embeds everything for itself
 * and the old vectors stay until that model is dropped.
 */
import type { Library } from '../db/library.js';
import { deleteEmbeddings, embeddedInputHashes, writeEmbeddings, type StoredEmbedding } from '../db/embeddings.js';
import { throwIfAborted } from '../core/errors.js';
import type { StepOptions } from '../core/progress.js';
import { logger } from '../core/log.js';
import { loadEncoder, type ModelEncoder } from './encoder.js';
import type { Device } from './providers.js';
import { meanUnit, paperWindows, windowsHash } from './paper-text.js';

const log = logger('embed');

export interface EmbedOptions extends StepOptions {
  model?: string;
  device?: Device;
  /** Papers per transaction and per progress event. */
  batchPapers?: number;
  /** Use this loaded encoder instead of loading one (it is not closed). */
  encoder?: ModelEncoder;
}

export interface EmbedReport {
  model: string;
  /** Papers embedded now. */
  embedded: number;
  /** Papers in the library. */
  total: number;
  provider: string;
  /** Papers with neither title nor abstract, which have nothing to embed. */
  skipped: number;
  /** Papers whose stored vector was current. */
  current: number;
}

interface PaperRow {
  id: number;
  title: string | null;
  abstract: string | null;
}

/**
 * Embeds what is missing or stale for the model, in batches, each stored in one
 * transaction (a cancel or a crash loses at most the batch in flight).
 */
export async function embedLibrary(lib: Library, opts: EmbedOptions = {}): Promise<EmbedReport> {
  const encoder = opts.encoder ?? (await loadEncoder({ model: opts.model, device: opts.device }));
  try {
    return await embedWith(lib, encoder, opts);
  } finally {
    if (!opts.encoder) await encoder.close();
  }
}

async function embedWith(lib: Library, encoder: ModelEncoder, opts: EmbedOptions): Promise<EmbedReport> {
  const papers = lib.db.prepare('SELECT id, title, abstract FROM papers ORDER BY id').all() as PaperRow[];
  const have = embeddedInputHashes(lib.db, encoder.id);
  const countTokens = (t: string) => encoder.countTokens(t);

  const todo: { id: number; windows: string[]; hash: string }[] = [];
  const emptied: number[] = [];
  let skipped = 0;
  // Sizing windows takes about a millisecond a paper: a large library gets its own progress.
  for (const [k, p] of papers.entries()) {
    if (k % 250 === 0) {
      throwIfAborted(opts.signal);
      if (k > 0) opts.onProgress?.({ phase: 'embed: reading papers', done: k, total: papers.length });
    }
    const windows = paperWindows(p, { maxTokens: encoder.maxTokens, countTokens });
    if (windows.length === 0) {
      skipped++;
      if (have.has(p.id)) emptied.push(p.id);
      continue;
    }
    const hash = windowsHash(windows);
    if (have.get(p.id) !== hash) todo.push({ id: p.id, windows, hash });
  }

  // A vector of text that is no longer there would mislead the graph: drop it.
  if (emptied.length) deleteEmbeddings(lib.db, encoder.id, emptied);

  const report: EmbedReport = {
    model: encoder.id,
    embedded: 0,
    total: papers.length,
    provider: encoder.provider,
    skipped,
    current: papers.length - skipped - todo.length,
  };
  const batch = Math.max(1, opts.batchPapers ?? 16);
  opts.onProgress?.({ phase: 'embed', done: 0, total: todo.length });
  for (let start = 0; start < todo.length; start += batch) {
    throwIfAborted(opts.signal);
    const group = todo.slice(start, start + batch);
    const started = performance.now();
    const vectors = await encoder.embed(group.flatMap((p) => p.windows));

    const rows: StoredEmbedding[] = [];
    let at = 0;
    for (const p of group) {
      rows.push({ paperId: p.id, vector: meanUnit(vectors.slice(at, at + p.windows.length)), inputHash: p.hash });
      at += p.windows.length;
    }
    writeEmbeddings(lib.db, encoder.id, rows);
    report.embedded += group.length;
    log.debug(`${group.length} papers (${at} windows) in ${(performance.now() - started).toFixed(0)} ms`);
    opts.onProgress?.({
      phase: 'embed',
      done: report.embedded,
      total: todo.length,
      item: `#${group[group.length - 1].id}`,
    });
  }

  return report;
}
