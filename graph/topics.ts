/**
 * The topic map of a library: a hybrid similarity (TF-IDF reduced with LSA,
 * built from the library's own text, plus the encoder's cosine), a
 * k-nearest-neighbour graph strengthened by citation links, and Louvain
 * clusters with class-based TF-IDF labels.
 */
import { throwIfAborted } from '../core/errors.js';
import type { ProgressFn } from '../core/progress.js';
import { clusterGraph, extendClusters, graphModularity, labelClusters, type WeightedEdge } from './cluster.js';
import { exactKnn, knn, similaritiesTo, sparseKnn, topK, EXACT_LIMIT, type Neighbour } from './knn.js';
import { buildTfidf, foldIn, lsaVectors, termCounts, tfidfRows } from './lsa.js';
import type { ClusterInfo } from './store.js';

export interface TopicInput {
  ids: number[];
  /** Title and abstract (or the start of the body) of each paper, in the order of `ids`. */
  texts: string[];
  /** Encoder vectors by paper id (unit length); papers without one use the TF-IDF part alone. */
  encoder?: Map<number, Float32Array> | null;
  /** Direct citations between library papers (source cites target). */
  citations?: { source: number; target: number }[];
  /** Each paper's bibliography as keys of the works it cites (for shared references). */
  referenceKeys?: Map<number, Set<string>>;
}

export interface TopicOptions {
  /** Neighbours per paper (default 15). */
  k?: number;
  /**
   * Weight of the encoder's cosine in the hybrid similarity: a number (0 = TF-IDF/LSA alone, 1 = encoder
   * alone), or 'auto' (the default): 0.3, lowered when the encoder shows this library less topic structure
   * than its own text does (see adaptiveEncoderWeight).
   */
  encoderWeight?: number | 'auto';
  /** LSA dimensions (default 100); 0 uses the TF-IDF vectors themselves, without LSA or encoder (the peer). */
  lsaDims?: number;
  /** Louvain resolution: above 1 gives more, finer clusters (default 1). */
  resolution?: number;
  /** Above this many papers the approximate index replaces all pairs (default 3000). */
  exactLimit?: number;
  /** Citation links add to a similarity edge: direct citation, shared references, co-citation (default on). */
  citationBoost?: boolean;
  seed?: number;
  /** Return the fitted model (`fit`) so a later build can fold new papers in. */
  keepFit?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface TopicMapResult {
  edges: { source: number; target: number; weight: number }[];
  byPaper: Map<number, number>;
  clusters: ClusterInfo[];
  /** Milliseconds per stage. */
  timings: Record<string, number>;
  dims: number;
  /** The encoder weight the similarity used (0 when no paper had an encoder vector). */
  encoderWeight: number;
  /** How 'auto' chose the weight, when it ran. */
  weightChoice?: WeightChoice;
  /** What a later build needs to fold new papers in without fitting again (with `keepFit`, LSA path only). */
  fit?: TopicFit;
}

/**
 * A fitted topic model, kept so that papers added later can be folded in: the vocabulary, IDF and
 * singular values that (with the fitted papers' own rows) turn a new paper's text into its LSA
 * vector, the encoder's centering mean and weight, and each paper's LSA vector and raw nearest
 * neighbours (before citation links).
 */
export interface TopicFit {
  vocabulary: string[];
  idf: Float64Array;
  /** The LSA's singular values. */
  sigmas: Float64Array;
  lsaDims: number;
  /** Mean share of a fitted paper's TF-IDF row that the LSA space holds (see foldIn). */
  capture: number;
  /** Papers the model was fitted on. */
  fittedPapers: number;
  /** Papers folded in since, and the sum of their capture (see foldIn). */
  folded: { count: number; capture: number };
  /** The library mean removed from encoder vectors before their cosine (null when no vector took part). */
  encoderMean: Float64Array | null;
  encoderWeight: number;
  k: number;
  lsa: Map<number, Float32Array>;
  /** The papers the LSA was fitted on, with the length of their LSA row before normalizing (see foldIn). */
  norms: Map<number, number>;
  neighbours: Map<number, { id: number; similarity: number }[]>;
}

export interface WeightChoice {
  /** Papers in the sample both graphs were built on. */
  sample: number;
  /** Modularity of the best Louvain partition of the kNN graph by TF-IDF/LSA cosine alone. */
  textModularity: number;
  /** The same for the encoder's cosine alone. */
  encoderModularity: number;
  weight: number;
}

export const DEFAULT_K = 15;
export const DEFAULT_ENCODER_WEIGHT = 0.3;
export const DEFAULT_LSA_DIMS = 100;
/**
 * New papers are folded in while the LSA space holds, on average over every paper folded in since
 * the last full fit, at least this share of what it is expected to hold of papers like the fitted
 * ones (see expectedCapture); papers of another field fall well below it. One paper says little
 * (the share varies by about CAPTURE_SPREAD from paper to paper), so the mean must fall below the
 * bar by two standard errors before the library is fitted again. Measured on the fixture abstracts
 * (800 or 3,000 fitted, 200 new, every tenth paper held out): held-out papers of the fitted field
 * average 0.91–0.99 of the expectation (math, CS) and 0.78 (mixed fields); papers of another field
 * 0.28–0.48 (math into CS, CS into math); math papers into the mixed-field set, which holds math, 0.82.
 */
export const MIN_CAPTURE_RATIO = 0.75;
/** The paper-to-paper standard deviation of that share (0.24–0.40 on the same measurements). */
export const CAPTURE_SPREAD = 0.35;

/**
 * What the LSA space is expected to hold of a new paper like the fitted ones. The fitted papers'
 * own capture overstates it: the space was fitted to them, the more so the more dimensions per
 * paper. Held-out papers of the fitted field reach about 1 − 1.5·√(dims / papers) of it (0.45 of it
 * at 800 papers, 0.72 at 3,000, on the fixture abstracts): an empirical fit, not a derivation.
 */
export function expectedCapture(fit: Pick<TopicFit, 'capture' | 'lsaDims' | 'fittedPapers'>): number {
  const share = 1 - 1.5 * Math.sqrt(fit.lsaDims / Math.max(1, fit.fittedPapers));

  return fit.capture * Math.min(1, Math.max(0.2, share));
}
/** Papers sampled to compare the two similarity views (evenly spaced, those with an encoder vector). */
export const WEIGHT_SAMPLE = 1500;
/** Below this many papers with vectors, modularity says little and 'auto' keeps the default weight. */
const WEIGHT_MIN_SAMPLE = 50;

/**
 * Encoder vectors with the library's mean vector removed, back at unit length.
 * Sentence encoders put every abstract in one narrow cone (cosines of 0.3–0.8
 * between unrelated papers); centering spreads them out, which measurably
 * raised the same-category share of neighbours (README, topic map figures).
 *
 * Returns the mean it removed; with `mean` given, that one is removed instead.
 */
export function centerVectors(
  encoder: Map<number, Float32Array>,
  mean?: Float64Array | null,
): { vectors: Map<number, Float32Array>; mean: Float64Array | null } {
  const first = encoder.values().next().value;
  if (!first) return { vectors: encoder, mean: null };
  const dim = mean?.length ?? first.length;
  if (!mean) {
    mean = new Float64Array(dim);
    for (const v of encoder.values()) if (v.length === dim) for (let d = 0; d < dim; d++) mean[d] += v[d];
    for (let d = 0; d < dim; d++) mean[d] /= encoder.size;
  }
  const out = new Map<number, Float32Array>();
  for (const [id, v] of encoder) {
    if (v.length !== dim) continue;
    const c = new Float32Array(dim);
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      c[d] = v[d] - mean[d];
      norm += c[d] * c[d];
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) c[d] *= inv;
    out.set(id, c);
  }

  return { vectors: out, mean };
}

/**
 * The hybrid vector of each paper: [√(1−w)·lsa, √w·encoder], so that the
 * inner product of two is (1−w)·cos_lsa + w·cos_encoder.
 */
export function hybridVectors(
  lsa: Float32Array,
  lsaDims: number,
  ids: number[],
  encoder: Map<number, Float32Array> | null | undefined,
  weight: number,
): { vectors: Float32Array; dims: number } {
  const encDims = encoder && weight > 0 ? (encoder.values().next().value?.length ?? 0) : 0;
  if (encDims === 0) return { vectors: lsa, dims: lsaDims };
  const dims = lsaDims + encDims;
  const out = new Float32Array(ids.length * dims);
  const a = Math.sqrt(1 - weight);
  const b = Math.sqrt(weight);
  ids.forEach((id, r) => {
    for (let d = 0; d < lsaDims; d++) out[r * dims + d] = a * lsa[r * lsaDims + d];
    const e = encoder!.get(id);
    if (e && e.length === encDims) for (let d = 0; d < encDims; d++) out[r * dims + lsaDims + d] = b * e[d];
    // Without an encoder vector, scale the TF-IDF part back to unit length so the paper still finds neighbours.
    else for (let d = 0; d < lsaDims; d++) out[r * dims + d] = lsa[r * lsaDims + d];
  });

  return { vectors: out, dims };
}

function dot(v: Float32Array, dims: number, i: number, j: number): number {
  let s = 0;
  for (let d = 0; d < dims; d++) s += v[i * dims + d] * v[j * dims + d];

  return s;
}

/** Undirected union of kNN lists, weighted by similarity (negative similarities dropped). */
function knnEdges(neighbours: Neighbour[][]): WeightedEdge[] {
  const seen = new Set<number>();
  const out: WeightedEdge[] = [];
  const n = neighbours.length;
  neighbours.forEach((list, i) => {
    for (const nb of list) {
      const [a, b] = i < nb.index ? [i, nb.index] : [nb.index, i];
      if (seen.has(a * n + b) || nb.similarity <= 0) continue;
      seen.add(a * n + b);
      out.push({ a, b, weight: nb.similarity });
    }
  });

  return out;
}

/**
 * The 'auto' encoder weight: the default 0.3, lowered by how much less community structure the
 * encoder's kNN graph shows than the TF-IDF/LSA graph: w = clamp(0.3 + (Q_encoder / Q_text − 1), 0, 0.3),
 * where Q is the modularity of each graph's best Louvain partition, on up to 1,500 evenly spaced papers
 * that have a vector (LSA fitted on the whole library). Label-free. The default encoder reads math
 * abstracts poorly (NMI 0.18 alone on the math set), and there its graph is the less modular one; on CS
 * and mixed-field abstracts it is the more modular one and the weight stays 0.3. The rule and its
 * constants were chosen on the tuning halves of the bench sets (README, topic map); a weight above 0.3
 * is never chosen because raising it did not help there.
 */
export function adaptiveEncoderWeight(
  lsa: Float32Array,
  lsaDims: number,
  ids: number[],
  encoder: Map<number, Float32Array>,
  k: number,
  seed?: number,
): WeightChoice {
  const encDims = encoder.values().next().value?.length ?? 0;
  const withVector = ids.map((id, r) => (encoder.get(id)?.length === encDims ? r : -1)).filter((r) => r >= 0);
  const m = Math.min(WEIGHT_SAMPLE, withVector.length);
  if (m < WEIGHT_MIN_SAMPLE || encDims === 0) {
    return { sample: m, textModularity: 0, encoderModularity: 0, weight: DEFAULT_ENCODER_WEIGHT };
  }
  const rows = Array.from({ length: m }, (_, i) => withVector[Math.floor((i * withVector.length) / m)]);
  const text = new Float32Array(m * lsaDims);
  const enc = new Float32Array(m * encDims);
  rows.forEach((r, i) => {
    text.set(lsa.subarray(r * lsaDims, (r + 1) * lsaDims), i * lsaDims);
    enc.set(encoder.get(ids[r])!, i * encDims);
  });
  const kk = Math.min(k, m - 1);
  const opts = { runs: 1, seed };
  const textModularity = graphModularity(m, knnEdges(exactKnn(text, m, lsaDims, kk)), opts);
  const encoderModularity = graphModularity(m, knnEdges(exactKnn(enc, m, encDims, kk)), opts);
  const ratio = textModularity > 0 ? encoderModularity / textModularity : 1;
  const weight = Math.max(0, Math.min(DEFAULT_ENCODER_WEIGHT, DEFAULT_ENCODER_WEIGHT + ratio - 1));

  return { sample: m, textModularity, encoderModularity, weight };
}

/** Runs the stages one after another, timing each and giving the event loop a turn between them. */
function stepper(opts: TopicOptions, timings: Record<string, number>) {
  let t = Date.now();

  // Each stage runs without a break (seconds on 10,000 papers); between stages the event loop gets a
  // turn, so a Ctrl-C or a cancel from the app is seen and the build stops there.
  return async (name: string, done: number) => {
    timings[name] = Date.now() - t;
    opts.onProgress?.({ phase: 'topics', done, total: 6, item: name });
    await new Promise((resolve) => setImmediate(resolve));
    throwIfAborted(opts.signal);
    t = Date.now();
  };
}

export async function computeTopicMap(input: TopicInput, opts: TopicOptions = {}): Promise<TopicMapResult> {
  const timings: Record<string, number> = {};
  const n = input.ids.length;
  const k = Math.min(opts.k ?? DEFAULT_K, Math.max(1, n - 1));
  const step = stepper(opts, timings);

  if (n === 0) return { edges: [], byPaper: new Map(), clusters: [], timings, dims: 0, encoderWeight: 0 };
  const tfidf = buildTfidf(input.texts);
  await step('tfidf', 1);
  let weight = 0;
  let weightChoice: WeightChoice | undefined;
  let vectors: Float32Array;
  let dims: number;
  let neighbours: Neighbour[][];
  let fit: TopicFit | undefined;
  if (opts.lsaDims === 0) {
    await step('lsa', 2);
    [vectors, dims] = [new Float32Array(0), 0];
    neighbours = sparseKnn(tfidf.matrix, k);
  } else {
    const lsa = lsaVectors(tfidf.matrix, opts.lsaDims ?? DEFAULT_LSA_DIMS, opts.seed ?? 42);
    const center =
      input.encoder && input.encoder.size > 1
        ? centerVectors(input.encoder)
        : { vectors: input.encoder, mean: null };
    const encoder = center.vectors;
    await step('lsa', 2);
    const setting = opts.encoderWeight ?? 'auto';
    if (encoder && encoder.size > 0) {
      if (setting === 'auto') {
        weightChoice = adaptiveEncoderWeight(lsa.vectors, lsa.dims, input.ids, encoder, k, opts.seed);
        weight = weightChoice.weight;
      } else weight = setting;
    }
    await step('weight', 3);
    ({ vectors, dims } =
      weight >= 1 && encoder
        ? hybridVectors(new Float32Array(n * lsa.dims), lsa.dims, input.ids, encoder, 1)
        : hybridVectors(lsa.vectors, lsa.dims, input.ids, encoder, weight));
    neighbours = knn(vectors, n, dims, k, opts.exactLimit ?? EXACT_LIMIT);
    if (opts.keepFit) {
      fit = {
        vocabulary: tfidf.vocabulary,
        idf: tfidf.idf,
        sigmas: lsa.sigmas,
        lsaDims: lsa.dims,
        capture: lsa.capture,
        fittedPapers: n,
        folded: { count: 0, capture: 0 },
        encoderMean: weight > 0 ? center.mean : null,
        encoderWeight: weight,
        k,
        lsa: new Map(input.ids.map((id, r) => [id, lsa.vectors.slice(r * lsa.dims, (r + 1) * lsa.dims)])),
        norms: new Map(input.ids.map((id, r) => [id, lsa.norms[r]])),
        neighbours: new Map(
          input.ids.map((id, r) => [
            id,
            neighbours[r].map((nb) => ({ id: input.ids[nb.index], similarity: nb.similarity })),
          ]),
        ),
      };
    }
  }
  await step('knn', 4);

  const map = await finishMap(input, neighbours, vectors, dims, tfidf.docTerms, opts, step);

  return { ...map, timings, dims, encoderWeight: weight, weightChoice, fit };
}

/** Edges with citation links, Louvain clusters and their labels: the stages a full and an incremental build share. */
async function finishMap(
  input: TopicInput,
  neighbours: Neighbour[][],
  vectors: Float32Array,
  dims: number,
  docTerms: Map<string, number>[],
  opts: TopicOptions,
  step: (name: string, done: number) => Promise<void>,
  previous?: Map<number, number>,
): Promise<Pick<TopicMapResult, 'edges' | 'byPaper' | 'clusters'>> {
  const n = input.ids.length;
  const edges = similarityEdges(input, neighbours, vectors, dims, opts.citationBoost ?? true);
  const assign = previous
    ? extendClusters(
        n,
        edges,
        input.ids.map((id) => (previous.get(id) ?? 0) - 1),
      )
    : clusterGraph(
        n,
        edges.map((e) => ({ a: e.a, b: e.b, weight: e.weight })),
        { resolution: opts.resolution ?? 1, seed: opts.seed },
      );
  await step('cluster', 5);

  const labels = labelClusters(input.texts, assign, 8, docTerms);
  const sizes = new Map<number, number>();
  for (const c of assign) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const clusters = labels.map((l, c) => ({ id: c + 1, label: l.label, keywords: l.keywords, size: sizes.get(c) ?? 0 }));
  await step('label', 6);

  return {
    edges: edges.map((e) => ({ source: input.ids[e.a], target: input.ids[e.b], weight: e.weight })),
    byPaper: new Map(input.ids.map((id, i) => [id, assign[i] + 1])),
    clusters,
  };
}

/**
 * The topic map of a library that has grown since `fit` was made, without fitting again: new
 * papers are folded into the stored TF-IDF/LSA model (terms the model has never seen are left
 * out), their hybrid vectors use the stored encoder mean and weight, their nearest neighbours are
 * found exactly among all papers, and an older paper's neighbour list takes a new paper in where
 * it is nearer than the list's last. The edges are then made as in a full build. With `previous`
 * clusters (paper id → cluster id, from the last build at the same resolution), older papers keep
 * their topic and new ones join the topic they are most tied to, so adding papers does not
 * reshuffle the map; without, Louvain clusters the whole graph again. Labels are made again either
 * way. Every paper of `fit` must be in `input` with the text it was fitted on; the caller checks.
 */
export async function updateTopicMap(
  input: TopicInput,
  fit: TopicFit,
  opts: TopicOptions = {},
  previous?: Map<number, number>,
): Promise<(TopicMapResult & { fit: TopicFit; added: number; changed: Set<number> }) | { refit: string }> {
  const timings: Record<string, number> = {};
  const step = stepper(opts, timings);
  const n = input.ids.length;
  const k = fit.k;
  const docTerms = termCounts(input.texts);
  const fresh = input.ids.map((id, r) => (fit.lsa.has(id) ? -1 : r)).filter((r) => r >= 0);
  const index = new Map(fit.vocabulary.map((t, i) => [t, i]));
  const rows = tfidfRows(
    fresh.map((r) => docTerms[r]),
    index,
    fit.idf,
  );
  await step('tfidf', 1);

  // The fitted papers' TF-IDF rows, made again from their text (unchanged since: the caller checks).
  const fittedRows = input.ids.map((id, r) => (fit.norms.has(id) ? r : -1)).filter((r) => r >= 0);
  const fittedLsa = new Float32Array(fittedRows.length * fit.lsaDims);
  fittedRows.forEach((r, j) => fittedLsa.set(fit.lsa.get(input.ids[r])!, j * fit.lsaDims));
  const folded = foldIn(
    rows,
    tfidfRows(
      fittedRows.map((r) => docTerms[r]),
      index,
      fit.idf,
    ),
    fittedLsa,
    Float64Array.from(fittedRows, (r) => fit.norms.get(input.ids[r])!),
    fit.sigmas,
  );
  // New papers the model describes poorly (another field, new words): fit the whole library instead.
  const since = { count: fit.folded.count + fresh.length, capture: fit.folded.capture + folded.capture * fresh.length };
  const captured = since.count > 0 ? since.capture / since.count / expectedCapture(fit) : 1;
  const bar = MIN_CAPTURE_RATIO - (2 * CAPTURE_SPREAD) / Math.sqrt(Math.max(1, since.count));
  if (fresh.length > 0 && captured < bar) {
    return {
      refit:
        `the model holds ${captured.toFixed(2)} of what it is expected to hold of the text of the ${since.count} ` +
        `papers added since it was fitted (below ${bar.toFixed(2)})`,
    };
  }
  const lsaAll = new Float32Array(n * fit.lsaDims);
  const lsa = new Map(fit.lsa);
  fresh.forEach((r, j) => lsa.set(input.ids[r], folded.vectors.slice(j * fit.lsaDims, (j + 1) * fit.lsaDims)));
  input.ids.forEach((id, r) => lsaAll.set(lsa.get(id)!, r * fit.lsaDims));
  const encoder =
    fit.encoderMean && input.encoder && input.encoder.size > 0
      ? centerVectors(input.encoder, fit.encoderMean).vectors
      : null;
  await step('lsa', 2);
  const { vectors, dims } =
    fit.encoderWeight >= 1 && encoder
      ? hybridVectors(new Float32Array(n * fit.lsaDims), fit.lsaDims, input.ids, encoder, 1)
      : hybridVectors(lsaAll, fit.lsaDims, input.ids, encoder, fit.encoderWeight);
  await step('weight', 3);

  // Old lists as rows, then each new paper against every paper: its own list, and a place in older lists.
  const row = new Map(input.ids.map((id, r) => [id, r]));
  const neighbours: Neighbour[][] = input.ids.map((id) =>
    (fit.neighbours.get(id) ?? [])
      .map((nb) => ({ index: row.get(nb.id)!, similarity: nb.similarity }))
      .sort((a, b) => b.similarity - a.similarity || a.index - b.index),
  );
  // Papers whose stored rows must be written: the new ones and those whose lists took one in.
  const changed = new Set<number>();
  const isNew = new Uint8Array(n);
  for (const r of fresh) isNew[r] = 1;
  const sims = new Float64Array(n);
  for (const r of fresh) {
    similaritiesTo(vectors, n, dims, r, sims);
    for (let i = 0; i < n; i++) {
      if (!isNew[i] && i !== r && insertNeighbour(neighbours[i], { index: r, similarity: sims[i] }, k))
        changed.add(input.ids[i]);
    }
    neighbours[r] = topK(sims, k);
    changed.add(input.ids[r]);
  }
  await step('knn', 4);

  const map = await finishMap(input, neighbours, vectors, dims, docTerms, opts, step, previous);
  const next: TopicFit = {
    ...fit,
    folded: since,
    lsa,
    neighbours: new Map(
      input.ids.map((id, r) => [
        id,
        neighbours[r].map((nb) => ({ id: input.ids[nb.index], similarity: nb.similarity })),
      ]),
    ),
  };

  return { ...map, timings, dims, encoderWeight: fit.encoderWeight, fit: next, added: fresh.length, changed };
}

/**
 * Puts a neighbour into a list kept best first and at most k long, when it is nearer than the
 * list's last; says whether the list changed.
 */
function insertNeighbour(list: Neighbour[], nb: Neighbour, k: number): boolean {
  if (list.length >= k && nb.similarity <= list[list.length - 1].similarity) return false;
  let p = list.length;
  while (p > 0 && list[p - 1].similarity < nb.similarity) p--;
  list.splice(p, 0, nb);
  if (list.length > k) list.pop();

  return true;
}

/**
 * The union of every paper's k nearest neighbours, weighted by similarity,
 * with citation links added on top: a direct citation (+0.15, and the pair
 * becomes an edge even when not among the neighbours), shared references
 * (up to +0.1) and being cited together (up to +0.1).
 */
function similarityEdges(
  input: TopicInput,
  neighbours: { index: number; similarity: number }[][],
  vectors: Float32Array,
  dims: number,
  boost: boolean,
): WeightedEdge[] {
  const pairs = new Map<string, WeightedEdge>();
  const keyOf = (a: number, b: number) => (a < b ? `${a} ${b}` : `${b} ${a}`);
  neighbours.forEach((list, i) => {
    for (const nb of list) {
      const key = keyOf(i, nb.index);
      if (!pairs.has(key))
        pairs.set(key, { a: Math.min(i, nb.index), b: Math.max(i, nb.index), weight: Math.max(0, nb.similarity) });
    }
  });
  if (!boost) return [...pairs.values()].filter((e) => e.weight > 0);

  const row = new Map(input.ids.map((id, i) => [id, i]));
  const citers = new Map<number, Set<number>>();
  for (const c of input.citations ?? []) {
    const a = row.get(c.source);
    const b = row.get(c.target);
    if (a === undefined || b === undefined || a === b) continue;
    const key = keyOf(a, b);
    const e = pairs.get(key) ?? { a: Math.min(a, b), b: Math.max(a, b), weight: Math.max(0, dot(vectors, dims, a, b)) };
    if (!pairs.has(key)) pairs.set(key, e);
    (citers.get(b) ?? citers.set(b, new Set()).get(b)!).add(a);
  }
  const direct = new Set((input.citations ?? []).map((c) => keyOf(row.get(c.source) ?? -1, row.get(c.target) ?? -1)));
  const refs = input.referenceKeys;
  for (const [key, e] of pairs) {
    let add = direct.has(key) ? 0.15 : 0;
    const ra = refs?.get(input.ids[e.a]);
    const rb = refs?.get(input.ids[e.b]);
    if (ra && rb && ra.size > 0 && rb.size > 0) {
      let shared = 0;
      for (const x of ra) if (rb.has(x)) shared++;
      add += 0.1 * Math.min(1, shared / Math.sqrt(ra.size * rb.size) / 0.2);
    }
    const ca = citers.get(e.a);
    const cb = citers.get(e.b);
    if (ca && cb) {
      let both = 0;
      for (const x of ca) if (cb.has(x)) both++;
      add += 0.05 * Math.min(2, both);
    }
    e.weight += add;
  }

  return [...pairs.values()].filter((e) => e.weight > 0);
}
