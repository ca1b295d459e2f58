/** Nearest papers by cosine similarity of their stored (unit) vectors. */
import type Database from 'better-sqlite3';

export interface Neighbor {
  id: number;
  title: string | null;
  arxivId: string | null;
  year: number | null;
  /** Cosine similarity, -1 to 1. */
  score: number;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];

  return s;
}

/**
 * The `limit` papers nearest to paper `id` (itself excluded), best first, or null when
 * that paper has no vector. A linear scan: libraries of thousands of papers take milliseconds.
 */
export function nearestPapers(
  db: Database.Database,
  vectors: Map<number, Float32Array>,
  id: number,
  limit = 10,
): Neighbor[] | null {
  const me = vectors.get(id);
  if (!me) return null;
  const scored: { id: number; score: number }[] = [];
  for (const [other, v] of vectors)
    if (other !== id && v.length === me.length) scored.push({ id: other, score: dot(me, v) });
  scored.sort((a, b) => b.score - a.score || a.id - b.id);

  const info = db.prepare('SELECT title, arxiv_id, year FROM papers WHERE id = ?');

  return scored.slice(0, limit).map((s) => {
    const row = info.get(s.id) as { title: string | null; arxiv_id: string | null; year: number | null };

    return { id: s.id, title: row.title, arxivId: row.arxiv_id, year: row.year, score: Number(s.score.toFixed(6)) };
  });
}
