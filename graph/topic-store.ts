/**
 * The fitted topic model's tables (migration 6): written after a full build, read by the next
 * build to decide whether new papers can be folded in, and updated after an incremental one.
 */
import type Database from 'better-sqlite3';
import { blobToArray, blobToVector, vectorToBlob as blob } from '../db/embeddings.js';
import type { TopicFit } from './topics.js';

const f64 = (b: Buffer) => blobToArray(b, Float64Array);

/** What the stored fit was made with and on how many papers, without loading it (null: none stored). */
export function readTopicFitSettings(db: Database.Database): { settings: string; fittedPapers: number } | null {
  const row = db.prepare('SELECT settings, fitted_papers FROM topic_model WHERE id = 1').get() as
    | { settings: string; fitted_papers: number }
    | undefined;

  return row ? { settings: row.settings, fittedPapers: row.fitted_papers } : null;
}

/** The stored fit, with each paper's stamp from when its vectors were made (null: none stored). */
export function readTopicFit(db: Database.Database): { fit: TopicFit; stamps: Map<number, string> } | null {
  const m = db.prepare('SELECT * FROM topic_model WHERE id = 1').get() as
    | {
        vocabulary: string;
        idf: Buffer;
        sigmas: Buffer;
        lsa_dims: number;
        capture: number;
        fitted_papers: number;
        folded_papers: number;
        folded_capture: number;
        encoder_mean: Buffer | null;
        encoder_weight: number;
        k: number;
      }
    | undefined;
  if (!m) return null;
  const lsa = new Map<number, Float32Array>();
  const stamps = new Map<number, string>();
  const norms = new Map<number, number>();
  const neighbours = new Map<number, { id: number; similarity: number }[]>();
  const rows = db
    .prepare('SELECT paper_id, stamp, lsa, lsa_norm, neighbour_ids, neighbour_sims FROM topic_vectors')
    .iterate() as Iterable<{
    paper_id: number;
    stamp: string;
    lsa: Buffer;
    lsa_norm: number | null;
    neighbour_ids: Buffer;
    neighbour_sims: Buffer;
  }>;
  for (const r of rows) {
    stamps.set(r.paper_id, r.stamp);
    lsa.set(r.paper_id, blobToVector(r.lsa));
    if (r.lsa_norm !== null) norms.set(r.paper_id, r.lsa_norm);
    const sims = f64(r.neighbour_sims);
    neighbours.set(
      r.paper_id,
      Array.from(blobToArray(r.neighbour_ids, Int32Array), (id, i) => ({ id, similarity: sims[i] })),
    );
  }
  const fit: TopicFit = {
    vocabulary: JSON.parse(m.vocabulary) as string[],
    idf: f64(m.idf),
    sigmas: f64(m.sigmas),
    lsaDims: m.lsa_dims,
    capture: m.capture,
    fittedPapers: m.fitted_papers,
    folded: { count: m.folded_papers, capture: m.folded_capture },
    encoderMean: m.encoder_mean ? f64(m.encoder_mean) : null,
    encoderWeight: m.encoder_weight,
    k: m.k,
    lsa,
    norms,
    neighbours,
  };

  return { fit, stamps };
}

/**
 * Stores a fit. `full`: a new fit replaces everything; otherwise only the rows of `papers` are
 * written (the new papers and the older ones whose neighbour lists changed), and the model row stays.
 */
export function writeTopicFit(
  db: Database.Database,
  fit: TopicFit,
  stamps: Map<number, string>,
  opts: { full: true; settings: string } | { full: false; papers: Iterable<number> },
): void {
  db.transaction(() => {
    const put = db.prepare(
      `INSERT INTO topic_vectors (paper_id, stamp, lsa, lsa_norm, neighbour_ids, neighbour_sims)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (paper_id) DO UPDATE SET stamp = excluded.stamp, lsa = excluded.lsa, lsa_norm = excluded.lsa_norm,
           neighbour_ids = excluded.neighbour_ids, neighbour_sims = excluded.neighbour_sims`,
    );
    const write = (id: number) => {
      const list = fit.neighbours.get(id) ?? [];
      put.run(
        id,
        stamps.get(id) ?? '',
        blob(fit.lsa.get(id)!),
        fit.norms.get(id) ?? null,
        blob(Int32Array.from(list, (nb) => nb.id)),
        blob(Float64Array.from(list, (nb) => nb.similarity)),
      );
    };
    if (opts.full) {
      db.prepare('DELETE FROM topic_vectors').run();
      db.prepare('DELETE FROM topic_model').run();
      db.prepare(
        `INSERT INTO topic_model (id, settings, vocabulary, idf, sigmas, lsa_dims, capture, encoder_mean, encoder_weight,
                                  k, fitted_papers, fitted_at)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))`,
      ).run(
        opts.settings,
        JSON.stringify(fit.vocabulary),
        blob(fit.idf),
        blob(fit.sigmas),
        fit.lsaDims,
        fit.capture,
        fit.encoderMean ? blob(fit.encoderMean) : null,
        fit.encoderWeight,
        fit.k,
        fit.fittedPapers,
      );
      for (const id of fit.lsa.keys()) write(id);
    } else {
      for (const id of opts.papers) write(id);
      db.prepare('UPDATE topic_model SET folded_papers = ?, folded_capture = ? WHERE id = 1').run(
        fit.folded.count,
        fit.folded.capture,
      );
    }
  }).immediate();
}

/** Forgets the fit, so the next build fits the whole library again. */
export function clearTopicFit(db: Database.Database): void {
  db.transaction(() => {
    db.prepare('DELETE FROM topic_vectors').run();
    db.prepare('DELETE FROM topic_model').run();
  }).immediate();
}
