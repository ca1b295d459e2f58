import type { Migration } from '../migrate.js';

/**
 * Where the page keeps the graph's positions, so opening an unchanged library shows its graph
 * without laying it out again. Keyed by a hash of everything the layout depends on (papers,
 * topics, sizes, edges inside topics, layout version): a changed graph simply misses. Derived
 * data: losing a row costs one layout, nothing else.
 */
export const migration005: Migration = {
  version: 5,
  name: 'cached graph layouts',
  up(db) {
    db.exec(`
      CREATE TABLE graph_layouts (
        key        TEXT PRIMARY KEY,
        positions  TEXT NOT NULL,   -- JSON: flat [paperId, x, y, paperId, x, y, ...]
        papers     INTEGER NOT NULL,
        saved_at   TEXT NOT NULL
      );
    `);
  },
};
