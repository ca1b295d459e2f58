/**
 * The fitted topic model's tables (migration 6): written after a full build, read by the next
 * build to decide whether new papers can be folded in, and updated after an incremental one.
 */
import type Database from 'better-sqlite3';
import type { TopicFit } from './topics.js';

const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const f64 = (b: Buffer) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const i32 = (b: Buffer) => new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const blob = (a: Float32Array | Float64Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** What a build decides by, without loading the model itself. */
export interface TopicFitHeader {
  settings: string;
  fittedPapers: number;
  /** Paper id → the stamp it had when its vectors were made. */
  stamps: Map<number, string>;
}

export function readTopicFitHeader(db: Database.Database): TopicFitHeader | null {
  const row = db.prepare('SELECT settings, fitted_papers FROM topic_model WHERE id = 1').get() as
    | { settings: string; fitted_papers: number }
    | undefined;
  if (!row) return null;
  const stamps = db.prepare('SELECT paper_id, stamp FROM topic_vectors').all() as { paper_id: number; stamp: string }[];

  return {
    settings: row.settings,
    fittedPapers: row.fitted_papers,
    stamps: new Map(stamps.map((s) => [s.paper_id, s.stamp])),
  };
}

export function readTopicFit(db: Database.Database): TopicFit | null {
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
  const norms = new Map<number, number>();
  const neighbours = new Map<number, { id: number; similarity: number }[]>();
  const rows = db
    .prepare('SELECT paper_id, lsa, lsa_norm, neighbour_ids, neighbour_sims FROM topic_vectors')
    .iterate() as Iterable<{
    paper_id: number;
    lsa: Buffer;
    lsa_norm: number | null;
    neighbour_ids: Buffer;
    neighbour_sims: Buffer;
  }>;
  for (const r of rows) {
    lsa.set(r.paper_id, f32(r.lsa));
    if (r.lsa_norm !== null) norms.set(r.paper_id, r.lsa_norm);
    const ids = i32(r.neighbour_ids);
    const sims = f64(r.neighbour_sims);
    neighbours.set(
      r.paper_id,
      Array.from(ids, (id, i) => ({ id, similarity: sims[i] })),
    );
  }

  return {
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
}

/**
 * Stores a fit. `full`: a new fit replaces everything; otherwise only the rows of `papers` are
 * written (the new papers and the older ones whose neighbour lists changed), and the model row stays.
 */
export function writeTopicFit(
  db: Database.Database,
  fit: TopicFit,
  stamps: Map<number, string>,
  opts: { full: true; settings: string; fittedPapers: number } | { full: false; papers: Iterable<number> },
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
        opts.fittedPapers,
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
