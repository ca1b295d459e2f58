import type { Migration } from '../migrate.js';

/**
 * The citation graph and the topic map: which reference points at which library
 * paper, the similarity edges, the clusters, and what imported records brought
 * along (categories, where they came from). Everything but the categories is
 * derived, so `surveyor build` may throw it away and make it again.
 */
export const migration003: Migration = {
  version: 3,
  name: 'citation graph, clusters and imported metadata',
  up(db) {
    db.exec(`
      -- Imported records keep their arXiv categories (JSON array, primary first) and their source.
      ALTER TABLE papers ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE papers ADD COLUMN imported_from TEXT;

      -- One row per reference that points at a paper of the library.
      CREATE TABLE ref_matches (
        ref_id    INTEGER PRIMARY KEY REFERENCES refs(id) ON DELETE CASCADE,
        citing_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        cited_id  INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        method    TEXT NOT NULL                 -- arxiv | doi | title
      );
      CREATE INDEX ref_matches_citing ON ref_matches(citing_id);
      CREATE INDEX ref_matches_cited ON ref_matches(cited_id);

      -- The k-nearest-neighbour similarity graph, one row per unordered pair (source < target).
      CREATE TABLE similar_edges (
        source  INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        target  INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        weight  REAL NOT NULL,
        PRIMARY KEY (source, target)
      ) WITHOUT ROWID;
      CREATE INDEX similar_edges_target ON similar_edges(target);

      CREATE TABLE clusters (
        id        INTEGER PRIMARY KEY,          -- 1, 2, … by size, largest first
        label     TEXT NOT NULL,
        keywords  TEXT NOT NULL DEFAULT '[]',   -- JSON array, most distinctive first
        size      INTEGER NOT NULL
      );
      CREATE TABLE paper_clusters (
        paper_id   INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE
      );
      CREATE INDEX paper_clusters_cluster ON paper_clusters(cluster_id);

      -- What the last build was made from, so an unchanged library is not rebuilt.
      CREATE TABLE graph_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE INDEX refs_doi ON refs(lower(doi));
    `);
  },
};
