/**
 * The taxonomy step: reads the library (texts, stored embeddings, corrections), runs the
 * classifier, and stores each paper's direction. Every face calls this, after `build` and
 * after each correction.
 */
import crypto from 'node:crypto';
import { SurveyorError, throwIfAborted } from '../core/errors.js';
import { logger } from '../core/log.js';
import type { StepOptions } from '../core/progress.js';
import { readEmbeddings } from '../db/embeddings.js';
import type { Library } from '../db/library.js';
import type { Encoder } from '../models/encoder.js';
import { classifyPapers, type ClassifierOptions, type PaperText } from './classify.js';
import { DIRECTIONS, DIRECTION_IDS, type DirectionId } from './directions.js';
import {
  readCorrections,
  readPrototypeVectors,
  setUserDirection,
  writeAutoDirections,
  writePrototypeVectors,
} from './store.js';

const log = logger('taxonomy');

/** Bump when the classifier's logic or descriptions change, so stored answers count as stale. */
export const CLASSIFIER_VERSION = 'zs-4';

/**
 * How much of the body text the cue-density view reads: about the introduction and the start
 * of the method, where authors say what kind of work it is (and a third of the regex time of 40k).
 */
const BODY_CHARS = 15_000;

export interface ClassifyOptions extends StepOptions {
  /** A loaded encoder (not closed here); else one is loaded when the descriptions need embedding. */
  encoder?: Encoder;
  /** An encoder model folder, when one must be loaded. */
  model?: string;
  options?: Partial<ClassifierOptions>;
}

export interface ClassifyReport {
  papers: number;
  corrected: number;
  /** The embedding model whose vectors took part, or null when only cue words were read. */
  model: string | null;
  byDirection: Record<DirectionId, number>;
  /** Papers whose direction in force changed in this run. */
  changed: number[];
}

function descriptionsHash(): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(DIRECTIONS.map((d) => [d.id, d.prototypes])))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The direction descriptions embedded with the library's model: from the cache, else
 * embedded now and cached. Null when no encoder of that model can be had, in which case
 * the classifier reads cue words alone.
 */
async function descriptionVectors(
  lib: Library,
  model: string,
  opts: ClassifyOptions,
): Promise<Map<DirectionId, Float32Array[]> | null> {
  const hash = descriptionsHash();
  const cached = readPrototypeVectors(lib.db, model, hash);
  if (cached && DIRECTION_IDS.every((d) => cached.get(d)?.length)) return cached;

  let encoder = opts.encoder;
  let owned = false;
  if (!encoder) {
    const { loadEncoder } = await import('../models/encoder.js');
    try {
      encoder = await loadEncoder({ model: opts.model });
      owned = true;
    } catch (err) {
      log.warn(`descriptionVectors(): no encoder (${(err as Error).message}); classifying from cue words alone`);
      return null;
    }
  }
  try {
    if (encoder.id !== model) {
      log.warn(
        `descriptionVectors(): the library's vectors come from ${model}, the encoder is ${encoder.id}; ` +
          'classifying from cue words alone',
      );
      return null;
    }
    const out = new Map<DirectionId, Float32Array[]>();
    for (const d of DIRECTIONS) out.set(d.id, await encoder.embed(d.prototypes));
    if (!lib.readonly) writePrototypeVectors(lib.db, model, hash, out);

    return out;
  } finally {
    if (owned) await encoder.close();
  }
}

/** The embedded descriptions for a model when the library has them cached, else null. */
function cachedDescriptionVectors(lib: Library, model: string): Map<DirectionId, Float32Array[]> | null {
  const cached = readPrototypeVectors(lib.db, model, descriptionsHash());

  return cached && DIRECTION_IDS.every((d) => cached.get(d)?.length) ? cached : null;
}

export interface ClassifierData {
  papers: PaperText[];
  vectors: Map<number, Float32Array> | undefined;
  descriptionVectors: Map<DirectionId, Float32Array[]> | undefined;
  /** The embedding model in use, or null when only cue words can be read. */
  model: string | null;
  /** How many papers of the library cite each paper (from the citation graph `build` made). */
  citedBy: Map<number, number>;
}

function readTexts(lib: Library): PaperText[] {
  return lib.db
    .prepare(`SELECT id, title, abstract, substr(full_text, 1, ${BODY_CHARS}) AS body FROM papers ORDER BY id`)
    .all() as PaperText[];
}

function readCitedBy(lib: Library): Map<number, number> {
  const rows = lib.db
    .prepare('SELECT cited_id AS id, count(DISTINCT citing_id) AS n FROM ref_matches GROUP BY cited_id')
    .all() as { id: number; n: number }[];

  return new Map(rows.map((r) => [r.id, r.n]));
}

/** What the classifier reads from a library: texts, stored vectors and embedded descriptions. */
export async function readClassifierData(lib: Library, opts: ClassifyOptions = {}): Promise<ClassifierData> {
  const papers = readTexts(lib);
  const { model, vectors } = readEmbeddings(lib.db);
  const described = model && vectors.size ? await descriptionVectors(lib, model, opts) : null;

  const citedBy = readCitedBy(lib);

  return described
    ? { papers, vectors, descriptionVectors: described, model, citedBy }
    : { papers, vectors: undefined, descriptionVectors: undefined, model: null, citedBy };
}

/**
 * The same without waiting: null when the library has vectors but the descriptions were never
 * embedded for their model (only the first classification after embedding needs the encoder).
 */
export function readClassifierDataCached(lib: Library): ClassifierData | null {
  const { model, vectors } = readEmbeddings(lib.db);
  if (!model || vectors.size === 0) {
    return {
      papers: readTexts(lib),
      vectors: undefined,
      descriptionVectors: undefined,
      model: null,
      citedBy: readCitedBy(lib),
    };
  }
  const described = cachedDescriptionVectors(lib, model);

  return described
    ? { papers: readTexts(lib), vectors, descriptionVectors: described, model, citedBy: readCitedBy(lib) }
    : null;
}

/** Classifies every paper of the library and stores the answers; corrections are kept as they are. */
export async function classifyLibrary(lib: Library, opts: ClassifyOptions = {}): Promise<ClassifyReport> {
  const data = await readClassifierData(lib, opts);
  throwIfAborted(opts.signal);

  return classifyWith(lib, data, opts);
}

/** Classifies and stores from data already read: synchronous, one transaction, no encoder. */
export function classifyWith(
  lib: Library,
  data: ClassifierData,
  opts: StepOptions & Pick<ClassifyOptions, 'options'> = {},
): ClassifyReport {
  const rows = lib.db.prepare('SELECT paper_id, direction FROM paper_directions').all() as {
    paper_id: number;
    direction: string | null;
  }[];
  const before = new Map(rows.map((r) => [r.paper_id, r.direction]));
  const { papers, model } = data;
  opts.onProgress?.({ phase: 'classify', done: 0, total: papers.length });
  const corrections = readCorrections(lib.db);
  const t0 = Date.now();
  const results = classifyPapers({ ...data, corrections, options: opts.options });
  log.info(`classifyWith(): ${papers.length} papers in ${Date.now() - t0} ms (${model ?? 'cue words only'})`);
  throwIfAborted(opts.signal);

  writeAutoDirections(lib.db, results, { model, classifier: `${CLASSIFIER_VERSION}+${corrections.size}c` });
  opts.onProgress?.({ phase: 'classify', done: papers.length, total: papers.length });

  const byDirection: Record<DirectionId, number> = {
    efficiency: 0,
    'existing-models': 0,
    'plug-and-play': 0,
    'datasets-evaluation': 0,
  };
  const changed: number[] = [];
  for (const [id, c] of results) {
    byDirection[c.direction]++;
    if (before.get(id) !== c.direction) changed.push(id);
  }

  return { papers: papers.length, corrected: corrections.size, model, byDirection, changed };
}

function requirePaper(lib: Library, paperId: number): void {
  const exists = lib.db.prepare('SELECT 1 FROM papers WHERE id = ?').get(paperId);
  if (!exists) throw new SurveyorError('no-paper', `no paper #${paperId} in ${lib.path}`);
}

/**
 * Records the user's direction for a paper (null: back to the classifier's) and re-scores
 * the rest of the library with the corrections it now has.
 */
export async function correctDirection(
  lib: Library,
  paperId: number,
  direction: DirectionId | null,
  opts: ClassifyOptions = {},
): Promise<ClassifyReport> {
  requirePaper(lib, paperId);
  setUserDirection(lib.db, paperId, direction);

  return classifyLibrary(lib, opts);
}

/**
 * The same, synchronously, for the app's board: the correction is stored at once, and the
 * re-scoring runs at once when the embedded descriptions are cached (the usual case once the
 * library has been classified). Returns null when it could not re-score without the encoder;
 * the caller then runs `classifyLibrary`.
 */
export function correctDirectionNow(
  lib: Library,
  paperId: number,
  direction: DirectionId | null,
): ClassifyReport | null {
  requirePaper(lib, paperId);
  setUserDirection(lib.db, paperId, direction);
  const data = readClassifierDataCached(lib);

  return data ? classifyWith(lib, data) : null;
}
