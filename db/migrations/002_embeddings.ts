import type { Migration } from '../migrate.js';

/**
 * Paper embeddings, keyed by the model that made them, with a hash of the text
 * that was embedded so a changed paper (or a changed recipe) is re-embedded.
 */
export const migration002: Migration = {
  version: 2,
  name: 'embeddings',
  up(db) {
    db.exec(`
      CREATE TABLE embeddings (
        paper_id    INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        model       TEXT NOT NULL,              -- the model's identity, e.g. use-lite@<sha256 prefix>
        dim         INTEGER NOT NULL,
        vector      BLOB NOT NULL,              -- float32, little endian, unit length
        input_hash  TEXT NOT NULL,              -- sha256 of the text that was embedded
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (paper_id, model)
      );
      CREATE INDEX embeddings_model ON embeddings(model);
    `);
  },
};
