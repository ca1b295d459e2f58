/**
 * k nearest neighbours of every paper by inner product of unit vectors: exact
 * (all pairs) for small libraries, an HNSW index (hnswlib-node) above a few
 * thousand papers, where all pairs would grow with the square of the library.
 */
import hnswlib from 'hnswlib-node';
import type { Csr } from './lsa.js';

export interface Neighbour {
  index: number;
  similarity: number;
}

/** Above this many papers the approximate index is used. */
export const EXACT_LIMIT = 3000;

/** Exact kNN over row-major unit vectors (rows×dims). */
export function exactKnn(vectors: Float32Array, rows: number, dims: number, k: number): Neighbour[][] {
  const out: Neighbour[][] = Array.from({ length: rows }, () => []);
  const sims = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = topK(similaritiesTo(vectors, rows, dims, i, sims), k);

  return out;
}

/** Row i's inner product with every row, into `sims` (its own entry −Infinity); returns `sims`. */
export function similaritiesTo(
  vectors: Float32Array,
  rows: number,
  dims: number,
  i: number,
  sims: Float64Array,
): Float64Array {
  const oi = i * dims;
  for (let j = 0; j < rows; j++) {
    if (j === i) {
      sims[j] = -Infinity;
      continue;
    }
    let s = 0;
    const oj = j * dims;
    for (let d = 0; d < dims; d++) s += vectors[oi + d] * vectors[oj + d];
    sims[j] = s;
  }

  return sims;
}

/** The k best entries of a row of similarities, best first (−Infinity marks a skipped entry). */
export function topK(sims: Float64Array, k: number): Neighbour[] {
  const best: Neighbour[] = [];
  for (let j = 0; j < sims.length; j++) {
    const s = sims[j];
    if (s === -Infinity) continue;
    if (best.length < k) {
      best.push({ index: j, similarity: s });
      if (best.length === k) best.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
    } else if (s > best[k - 1].similarity) {
      let p = k - 1;
      while (p > 0 && best[p - 1].similarity < s) p--;
      best.splice(p, 0, { index: j, similarity: s });
      best.pop();
    }
  }
  if (best.length < k) best.sort((a, b) => b.similarity - a.similarity || a.index - b.index);

  return best;
}

/** Approximate kNN with HNSW (inner product space); single-threaded inserts keep it deterministic. */
export function approximateKnn(vectors: Float32Array, rows: number, dims: number, k: number): Neighbour[][] {
  const index = new hnswlib.HierarchicalNSW('ip', dims);
  index.initIndex(rows, 16, 100, 42);
  const row = (i: number) => Array.from(vectors.subarray(i * dims, (i + 1) * dims));
  for (let i = 0; i < rows; i++) index.addPoint(row(i), i);
  index.setEf(Math.max(2 * k, 40));
  const want = Math.min(k + 1, rows);
  const out: Neighbour[][] = [];
  for (let i = 0; i < rows; i++) {
    const res = index.searchKnn(row(i), want);
    const list: Neighbour[] = [];
    res.neighbors.forEach((j, p) => {
      // hnswlib reports inner-product distance as 1 − similarity.
      if (j !== i) list.push({ index: j, similarity: 1 - res.distances[p] });
    });
    out.push(list.slice(0, k));
  }

  return out;
}

export function knn(
  vectors: Float32Array,
  rows: number,
  dims: number,
  k: number,
  exactLimit = EXACT_LIMIT,
): Neighbour[][] {
  if (rows <= 1) return Array.from({ length: rows }, () => []);

  return rows <= exactLimit ? exactKnn(vectors, rows, dims, k) : approximateKnn(vectors, rows, dims, k);
}

/** Exact kNN by cosine of sparse unit rows (TF-IDF itself, without LSA), through an inverted index. */
export function sparseKnn(m: Csr, k: number): Neighbour[][] {
  const postings: { doc: number; v: number }[][] = Array.from({ length: m.cols }, () => []);
  for (let r = 0; r < m.rows; r++)
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) postings[m.indices[p]].push({ doc: r, v: m.values[p] });
  const scores = new Float64Array(m.rows);
  const out: Neighbour[][] = [];
  for (let r = 0; r < m.rows; r++) {
    scores.fill(0);
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const v = m.values[p];
      for (const post of postings[m.indices[p]]) scores[post.doc] += v * post.v;
    }
    scores[r] = -Infinity;
    out.push(topK(scores, k));
  }

  return out;
}
