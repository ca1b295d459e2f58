import type { Migration } from '../migrate.js';

/**
 * The fitted topic model, kept so that `surveyor build` can fold papers added later into it
 * instead of fitting the whole library again: the TF-IDF vocabulary and IDF, the LSA's singular
 * values, the encoder's centering mean and weight (one row), and per paper its LSA vector (with
 * its length before normalizing, for the papers it was fitted on) and its raw nearest neighbours.
 * Derived data: dropping it only makes the next build a full one.
 */
export const migration006: Migration = {
  version: 6,
  name: 'fitted topic model for incremental builds',
  up(db) {
    db.exec(`
      CREATE TABLE topic_model (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        settings       TEXT NOT NULL,     -- JSON: what the fit depends on (recipe, k, encoder model, weight setting)
        vocabulary     TEXT NOT NULL,     -- JSON array of terms
        idf            BLOB NOT NULL,     -- float64 per term
        sigmas         BLOB NOT NULL,     -- float64, the LSA's singular values
        lsa_dims       INTEGER NOT NULL,
        capture        REAL NOT NULL,     -- mean share of a fitted paper's TF-IDF row the LSA space holds
        encoder_mean   BLOB,              -- float64, or NULL when no encoder vector took part
        encoder_weight REAL NOT NULL,
        k              INTEGER NOT NULL,
        fitted_papers  INTEGER NOT NULL,  -- papers in the library when it was fitted
        folded_papers  INTEGER NOT NULL DEFAULT 0,  -- papers folded in since
        folded_capture REAL NOT NULL DEFAULT 0,     -- the sum of their capture
        fitted_at      TEXT NOT NULL
      );
      CREATE TABLE topic_vectors (
        paper_id        INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
        stamp           TEXT NOT NULL,    -- the paper's updated_at and its vector's created_at at the time
        lsa             BLOB NOT NULL,    -- float32, unit length
        lsa_norm        REAL,             -- its length before normalizing; NULL for a paper folded in later
        neighbour_ids   BLOB NOT NULL,    -- int32, best first
        neighbour_sims  BLOB NOT NULL     -- float64
      );
    `);
  },
};
