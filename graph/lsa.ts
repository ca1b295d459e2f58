/**
 * TF-IDF over a library's own text, reduced with LSA (a truncated SVD found by
 * a seeded randomized range finder, so the same library gives the same vectors).
 */
import { topicTerms } from './text.js';
import { seededRandom } from '../core/random.js';

/** A sparse matrix in compressed-row form (one row per document). */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Uint32Array;
  indices: Uint32Array;
  values: Float64Array;
}

export interface TfidfModel {
  matrix: Csr;
  vocabulary: string[];
  /** Document frequency of each vocabulary term. */
  df: Uint32Array;
  /** Inverse document frequency of each vocabulary term (what new documents are weighted with). */
  idf: Float64Array;
  /** Every term of each document with its count (before the vocabulary cuts), for the cluster labels. */
  docTerms: Map<string, number>[];
}

export interface TfidfOptions {
  /** A term must appear in at least this many documents (default 2, or 1 for tiny sets). */
  minDf?: number;
  /** Terms in more than this share of documents are dropped (default 0.5). */
  maxDfShare?: number;
  bigrams?: boolean;
}

/** Sublinear TF × smoothed IDF, each row L2-normalized. */
export function buildTfidf(texts: string[], opts: TfidfOptions = {}): TfidfModel {
  const n = texts.length;
  const minDf = opts.minDf ?? (n < 50 ? 1 : 2);
  // In a handful of papers a shared word is the only signal there is: no upper cut below 20 papers.
  const maxDf = n < 20 ? n : Math.max(minDf, Math.floor((opts.maxDfShare ?? 0.5) * n));
  const docTerms = termCounts(texts, opts.bigrams ?? true);

  const dfAll = new Map<string, number>();
  for (const counts of docTerms) for (const term of counts.keys()) dfAll.set(term, (dfAll.get(term) ?? 0) + 1);
  const vocabulary = [...dfAll.entries()]
    .filter(([, d]) => d >= minDf && d <= maxDf)
    .map(([t]) => t)
    .sort();
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const df = new Uint32Array(vocabulary.length);
  vocabulary.forEach((t, i) => (df[i] = dfAll.get(t)!));
  const idf = Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
  const matrix = tfidfRows(docTerms, index, idf);

  return { matrix, vocabulary, df, idf, docTerms };
}

/**
 * The TF-IDF rows of documents, given their term counts and a fixed vocabulary and IDF (sublinear
 * TF × IDF, L2-normalized; terms outside the vocabulary are dropped). buildTfidf uses it on the
 * library it fits; the incremental build uses it on new papers with the stored model.
 */
export function tfidfRows(docTerms: Map<string, number>[], index: Map<string, number>, idf: Float64Array): Csr {
  const indptr = new Uint32Array(docTerms.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  docTerms.forEach((counts, row) => {
    const entries: [number, number][] = [];
    for (const [term, c] of counts) {
      const col = index.get(term);
      if (col !== undefined) entries.push([col, (1 + Math.log(c)) * idf[col]]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((s, [, v]) => s + v * v, 0)) || 1;
    for (const [c, v] of entries) {
      idx.push(c);
      val.push(v / norm);
    }
    indptr[row + 1] = idx.length;
  });

  return {
    rows: docTerms.length,
    cols: idf.length,
    indptr,
    indices: Uint32Array.from(idx),
    values: Float64Array.from(val),
  };
}

/** Each text's terms with their counts (stemmed words and, by default, word pairs). */
export function termCounts(texts: string[], bigrams = true): Map<string, number>[] {
  return texts.map((t) => {
    const counts = new Map<string, number>();
    for (const term of topicTerms(t, bigrams)) counts.set(term, (counts.get(term) ?? 0) + 1);

    return counts;
  });
}

/** Y = A·X for sparse A (rows×cols) and dense X (cols×k, row-major). */
function mulSparseDense(a: Csr, x: Float64Array, k: number): Float64Array {
  const y = new Float64Array(a.rows * k);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * k;
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const v = a.values[p];
      const xo = a.indices[p] * k;
      for (let j = 0; j < k; j++) y[yo + j] += v * x[xo + j];
    }
  }

  return y;
}

/** Y = Aᵀ·X for sparse A (rows×cols) and dense X (rows×k). */
function mulSparseTDense(a: Csr, x: Float64Array, k: number): Float64Array {
  const y = new Float64Array(a.cols * k);
  for (let r = 0; r < a.rows; r++) {
    const xo = r * k;
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const v = a.values[p];
      const yo = a.indices[p] * k;
      for (let j = 0; j < k; j++) y[yo + j] += v * x[xo + j];
    }
  }

  return y;
}

/** Orthonormalizes the k columns of a rows×k row-major matrix in place (modified Gram-Schmidt). */
function orthonormalize(m: Float64Array, rows: number, k: number): void {
  // Work on contiguous columns: the row-major layout would stride through memory k apart.
  const cols = Array.from({ length: k }, (_, j) => {
    const c = new Float64Array(rows);
    for (let r = 0; r < rows; r++) c[r] = m[r * k + j];

    return c;
  });
  for (let j = 0; j < k; j++) {
    const cj = cols[j];
    for (let i = 0; i < j; i++) {
      const ci = cols[i];
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += ci[r] * cj[r];
      for (let r = 0; r < rows; r++) cj[r] -= dot * ci[r];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += cj[r] * cj[r];
    norm = Math.sqrt(norm);
    // A column that vanished (rank below k) stays zero rather than dividing by nothing.
    const inv = norm > 1e-12 ? 1 / norm : 0;
    for (let r = 0; r < rows; r++) cj[r] *= inv;
  }
  for (let j = 0; j < k; j++) for (let r = 0; r < rows; r++) m[r * k + j] = cols[j][r];
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi). Returns values and column eigenvectors. */
function symmetricEigen(s: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - sn * akq;
          a[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - sn * aqk;
          a[q * n + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }

  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}

/** A rank-`dims` LSA of a TF-IDF matrix (see lsaVectors). */
export interface Lsa {
  /** Each row of U·Σ at unit length (float32, row-major, rows×dims). */
  vectors: Float32Array;
  dims: number;
  /** Each row's length before it was normalized (its share of the row the LSA space holds is its square). */
  norms: Float64Array;
  /** The singular values, largest first. */
  sigmas: Float64Array;
  /** The mean squared norm: the share of a fitted unit TF-IDF row that the LSA space holds, on average. */
  capture: number;
}

/**
 * LSA document vectors: the rows of U·Σ of a rank-`dims` SVD of the TF-IDF
 * matrix, each normalized to unit length, with what foldIn needs to place new
 * documents among them (the rows' lengths and the singular values).
 */
export function lsaVectors(a: Csr, dims: number, seed = 42, powerIterations = 2): Lsa {
  const k = Math.max(1, Math.min(dims, a.rows - 1, a.cols));
  const l = Math.min(k + 10, a.cols, a.rows);
  const rand = seededRandom(seed);
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rand() * 2 - 1;

  // Range finder with power iterations: text matrices have slowly decaying spectra (one iteration instead
  // of two lowered the same-category share of neighbours on the math set from 0.510 to 0.494). Only the
  // document side is re-orthonormalized; in float64 two unnormalized half-steps lose nothing that matters.
  let q = mulSparseDense(a, omega, l);
  orthonormalize(q, a.rows, l);
  for (let it = 0; it < powerIterations; it++) {
    q = mulSparseDense(a, mulSparseTDense(a, q, l), l);
    orthonormalize(q, a.rows, l);
  }

  // B = Qᵀ A; its small Gram matrix B Bᵀ = Qᵀ (A (Aᵀ Q)) costs two sparse products and rows·l², far
  // less than summing over a vocabulary of 100,000 terms.
  const y = mulSparseDense(a, mulSparseTDense(a, q, l), l);
  const bbt = new Float64Array(l * l);
  for (let r = 0; r < a.rows; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) {
      const qi = q[o + i];
      if (qi === 0) continue;
      for (let j = 0; j < l; j++) bbt[i * l + j] += qi * y[o + j];
    }
  }
  // Symmetrize away rounding so the eigen-solver sees an exactly symmetric matrix.
  for (let i = 0; i < l; i++) {
    for (let j = 0; j < i; j++) {
      const m = (bbt[i * l + j] + bbt[j * l + i]) / 2;
      bbt[i * l + j] = m;
      bbt[j * l + i] = m;
    }
  }
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = [...values.keys()].sort((x, y) => values[y] - values[x]).slice(0, k);
  const sigmas = order.map((e) => Math.sqrt(Math.max(values[e], 0)));

  // U·Σ = Q · (eigenvectors of B Bᵀ) · sqrt(eigenvalues).
  const out = new Float32Array(a.rows * k);
  const norms = new Float64Array(a.rows);
  let captured = 0;
  for (let r = 0; r < a.rows; r++) {
    let norm = 0;
    for (let c = 0; c < k; c++) {
      const e = order[c];
      let s = 0;
      for (let i = 0; i < l; i++) s += q[r * l + i] * vectors[i * l + e];
      out[r * k + c] = s * sigmas[c];
      norm += (s * sigmas[c]) ** 2;
    }
    captured += norm;
    norms[r] = Math.sqrt(norm);
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < k; c++) out[r * k + c] *= inv;
  }

  return { vectors: out, dims: k, norms, sigmas: Float64Array.from(sigmas), capture: captured / Math.max(1, a.rows) };
}

/**
 * LSA vectors of documents the SVD was not fitted on ("folding in"), from their TF-IDF rows (made
 * with the fitted vocabulary and IDF): with A ≈ U Σ Vᵀ, a row x maps to x V = (x Aᵀ) U Σ⁻¹, and
 * U Σ⁻¹ is each fitted row's LSA vector times its length over Σ². So a new document is the
 * TF-IDF-similarity-weighted sum of the fitted documents' LSA vectors, each component divided by
 * its σ², at unit length; a fitted document folds in to (nearly) its own vector. `fitted` holds the
 * fitted documents' TF-IDF rows in the order of `lsa` and `norms`. `capture` is the mean squared
 * length before normalizing: the share of a unit TF-IDF row the LSA space holds, lower than the
 * fitted documents' own (Lsa.capture) when the new ones speak of what the model was not fitted on.
 */
export function foldIn(
  rows: Csr,
  fitted: Csr,
  lsa: Float32Array,
  norms: Float64Array,
  sigmas: Float64Array,
): { vectors: Float32Array; capture: number } {
  const dims = sigmas.length;
  // An inverted index of the fitted rows: for each term, the documents using it and their weights.
  const starts = new Uint32Array(fitted.cols + 1);
  for (let p = 0; p < fitted.indptr[fitted.rows]; p++) starts[fitted.indices[p] + 1]++;
  for (let t = 0; t < fitted.cols; t++) starts[t + 1] += starts[t];
  const fill = starts.slice(0, fitted.cols);
  const docs = new Uint32Array(fitted.indptr[fitted.rows]);
  const weights = new Float64Array(docs.length);
  for (let r = 0; r < fitted.rows; r++) {
    for (let p = fitted.indptr[r]; p < fitted.indptr[r + 1]; p++) {
      const at = fill[fitted.indices[p]]++;
      docs[at] = r;
      weights[at] = fitted.values[p];
    }
  }

  const out = new Float32Array(rows.rows * dims);
  const scores = new Float64Array(fitted.rows);
  const y = new Float64Array(dims);
  let captured = 0;
  for (let r = 0; r < rows.rows; r++) {
    const touched: number[] = [];
    for (let p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) {
      const t = rows.indices[p];
      const v = rows.values[p];
      for (let q = starts[t]; q < starts[t + 1]; q++) {
        if (scores[docs[q]] === 0) touched.push(docs[q]);
        scores[docs[q]] += v * weights[q];
      }
    }
    y.fill(0);
    for (const d of touched) {
      const w = scores[d] * norms[d];
      scores[d] = 0;
      for (let c = 0; c < dims; c++) y[c] += w * lsa[d * dims + c];
    }
    let norm = 0;
    for (let c = 0; c < dims; c++) {
      y[c] = sigmas[c] > 1e-12 ? y[c] / (sigmas[c] * sigmas[c]) : 0;
      norm += y[c] * y[c];
    }
    captured += norm;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < dims; c++) out[r * dims + c] = y[c] * inv;
  }

  return { vectors: out, capture: captured / Math.max(1, rows.rows) };
}
