/**
 * Cached graph positions (migration 005): the page reads them by key before laying out, and saves
 * a fresh layout's positions. Only the few latest layouts are kept.
 */
import type Database from 'better-sqlite3';

/** Layouts kept per library: the current graph's and a few before it (an undo, a filtered build). */
export const KEPT_LAYOUTS = 3;

/** Flat [paperId, x, y, …], or null when no layout is stored under the key. */
export function readLayout(db: Database.Database, key: string): number[] | null {
  const row = db.prepare('SELECT positions FROM graph_layouts WHERE key = ?').get(key) as
    { positions: string } | undefined;
  if (!row) return null;
  const value: unknown = JSON.parse(row.positions);

  return Array.isArray(value) && value.every((x) => typeof x === 'number') ? value : null;
}

/** Stores positions under the key, replacing any there, and drops all but the latest few layouts. */
export function writeLayout(db: Database.Database, key: string, positions: number[]): void {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO graph_layouts (key, positions, papers, saved_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ'))
       ON CONFLICT(key) DO UPDATE SET positions = excluded.positions, papers = excluded.papers, saved_at = excluded.saved_at`,
    ).run(key, JSON.stringify(positions), positions.length / 3);
    db.prepare(
      'DELETE FROM graph_layouts WHERE key NOT IN (SELECT key FROM graph_layouts ORDER BY saved_at DESC, rowid DESC LIMIT ?)',
    ).run(KEPT_LAYOUTS);
  })();
}
