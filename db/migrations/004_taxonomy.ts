import type { Migration } from '../migrate.js';

/**
 * The four research directions. Each paper keeps two answers side by side: the
 * classifier's (rewritten whenever it runs again) and the user's (written only by a
 * correction, so a re-run can never overwrite it). `direction` is the one in force.
 * The embedded direction descriptions are cached per model, so a correction can re-score
 * the library from stored vectors without loading the encoder.
 */
export const migration004: Migration = {
  version: 4,
  name: 'research directions and user corrections',
  up(db) {
    const direction = (col: string) =>
      `${col} TEXT CHECK (${col} IN ('efficiency', 'existing-models', 'plug-and-play', 'datasets-evaluation'))`;
    db.exec(`
      CREATE TABLE paper_directions (
        paper_id        INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
        ${direction('auto_direction')},
        auto_confidence REAL,
        evidence        TEXT NOT NULL DEFAULT '{}',  -- JSON: cue phrases, prototype similarities, neighbours
        model           TEXT,                        -- embedding model used, NULL when only cue words were read
        classifier      TEXT,                        -- classifier version and the corrections it learned from
        classified_at   TEXT,
        ${direction('user_direction')},
        user_set_at     TEXT,
        direction       TEXT GENERATED ALWAYS AS (coalesce(user_direction, auto_direction)) VIRTUAL
      );
      CREATE INDEX paper_directions_user ON paper_directions(user_direction) WHERE user_direction IS NOT NULL;

      CREATE TABLE direction_prototypes (
        direction  TEXT NOT NULL,
        model      TEXT NOT NULL,
        text_hash  TEXT NOT NULL,                    -- sha256 of the description sentences embedded
        vectors    TEXT NOT NULL,                    -- JSON array of base64 float32 unit vectors
        PRIMARY KEY (direction, model)
      );
    `);
  },
};
