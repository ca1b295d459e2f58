/**
 * The graph's tables (migration 3): writing what `surveyor build` derives, and
 * the read functions other parts of Surveyor call (the graph view, the
 * taxonomy, the outline export, `surveyor missing`).
 */
import type Database from 'better-sqlite3';
import type { RefMatch } from './match.js';
import { cleanArxivId, squash } from './text.js';

export interface ClusterInfo {
  id: number;
  label: string;
  keywords: string[];
  size: number;
}

export interface GraphNode {
  id: number;
  title: string | null;
  year: number | null;
  arxivId: string | null;
  cluster: number | null;
  direction: string | null;
}

export interface GraphEdge {
  source: number;
  target: number;
  kind: 'cites' | 'similar';
  weight: number;
}

/** The `surveyor graph --json` object. */
export interface GraphJson {
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: ClusterInfo[];
}

/** A row of `refs` as SQLite returns it (the columns matching and missing papers read). */
export interface RefDbRow {
  id: number;
  paper_id: number;
  raw: string;
  title: string | null;
  year: number | null;
  arxiv_id: string | null;
  doi: string | null;
}

export interface MissingPaper {
  key: string;
  title: string | null;
  year: number | null;
  arxivId: string | null;
  doi: string | null;
  citedBy: number;
  citingPaperIds: number[];
}

export function readClusters(db: Database.Database): { clusters: ClusterInfo[]; byPaper: Map<number, number> } {
  const rows = db.prepare('SELECT id, label, keywords, size FROM clusters ORDER BY id').all() as {
    id: number;
    label: string;
    keywords: string;
    size: number;
  }[];
  const members = db.prepare('SELECT paper_id, cluster_id FROM paper_clusters').all() as {
    paper_id: number;
    cluster_id: number;
  }[];

  return {
    clusters: rows.map((r) => ({
      id: r.id,
      label: r.label,
      keywords: JSON.parse(r.keywords) as string[],
      size: r.size,
    })),
    byPaper: new Map(members.map((m) => [m.paper_id, m.cluster_id])),
  };
}

/** Citation edges between library papers: `source` cites `target`, one per pair. */
export function readCitationEdges(db: Database.Database): { source: number; target: number }[] {
  return db
    .prepare('SELECT DISTINCT citing_id AS source, cited_id AS target FROM ref_matches ORDER BY citing_id, cited_id')
    .all() as { source: number; target: number }[];
}

export function readSimilarEdges(db: Database.Database): { source: number; target: number; weight: number }[] {
  return db.prepare('SELECT source, target, weight FROM similar_edges ORDER BY source, target').all() as {
    source: number;
    target: number;
    weight: number;
  }[];
}

/**
 * Each paper's research direction when the taxonomy step has stored them
 * (table `paper_directions`, migration 4); empty before that.
 */
export function readDirections(db: Database.Database): Map<number, string> {
  const has = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'paper_directions'")
    .get();
  if (!has) return new Map();
  const rows = db.prepare('SELECT paper_id, direction FROM paper_directions').all() as {
    paper_id: number;
    direction: string | null;
  }[];

  return new Map(rows.filter((r) => r.direction).map((r) => [r.paper_id, r.direction!]));
}

export function readGraph(db: Database.Database): GraphJson {
  const { clusters, byPaper } = readClusters(db);
  const directions = readDirections(db);
  const papers = db.prepare('SELECT id, title, year, arxiv_id FROM papers ORDER BY id').all() as {
    id: number;
    title: string | null;
    year: number | null;
    arxiv_id: string | null;
  }[];
  const nodes = papers.map((p) => ({
    id: p.id,
    title: p.title,
    year: p.year,
    arxivId: p.arxiv_id,
    cluster: byPaper.get(p.id) ?? null,
    direction: directions.get(p.id) ?? null,
  }));
  const edges: GraphEdge[] = [
    ...readCitationEdges(db).map((e) => ({ ...e, kind: 'cites' as const, weight: 1 })),
    ...readSimilarEdges(db).map((e) => ({ ...e, kind: 'similar' as const, weight: Math.round(e.weight * 1e4) / 1e4 })),
  ];

  return { nodes, edges, clusters };
}

/** Paper id → its imported arXiv categories (primary first). */
export function readCategories(db: Database.Database): Map<number, string[]> {
  const rows = db.prepare("SELECT id, categories FROM papers WHERE categories != '[]'").all() as {
    id: number;
    categories: string;
  }[];

  return new Map(rows.map((r) => [r.id, JSON.parse(r.categories) as string[]]));
}

export function writeMatches(db: Database.Database, matches: RefMatch[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM ref_matches').run();
    const ins = db.prepare('INSERT INTO ref_matches (ref_id, citing_id, cited_id, method) VALUES (?, ?, ?, ?)');
    for (const m of matches) ins.run(m.refId, m.citingId, m.citedId, m.method);
  }).immediate();
}

export interface TopicMap {
  edges: { source: number; target: number; weight: number }[];
  clusters: ClusterInfo[];
  byPaper: Map<number, number>;
}

/**
 * Replaces the similarity edges and clusters in one transaction: readers see the old map or the new one.
 * With `changedOnly` (an incremental build, where most of the map stays) it compares with what is
 * stored and writes only the rows that differ, which at 30,000 papers is a fraction of rewriting them all.
 */
export function writeTopicMap(db: Database.Database, map: TopicMap, opts: { changedOnly?: boolean } = {}): void {
  db.transaction(() => {
    // A whole rewrite empties the tables first; then both ways compare with what is left.
    if (!opts.changedOnly) for (const t of ['paper_clusters', 'clusters', 'similar_edges']) db.prepare(`DELETE FROM ${t}`).run();

    const oldEdges = new Map<string, EdgeRow>();
    for (const e of db.prepare('SELECT source, target, weight FROM similar_edges').iterate() as Iterable<EdgeRow>)
      oldEdges.set(`${e.source} ${e.target}`, e);
    const edge = db.prepare('INSERT OR REPLACE INTO similar_edges (source, target, weight) VALUES (?, ?, ?)');
    for (const e of map.edges) {
      const [a, b] = [Math.min(e.source, e.target), Math.max(e.source, e.target)];
      const key = `${a} ${b}`;
      if (oldEdges.get(key)?.weight !== e.weight) edge.run(a, b, e.weight);
      oldEdges.delete(key);
    }
    const dropEdge = db.prepare('DELETE FROM similar_edges WHERE source = ? AND target = ?');
    for (const e of oldEdges.values()) dropEdge.run(e.source, e.target);

    const cluster = db.prepare(
      `INSERT INTO clusters (id, label, keywords, size) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET label = excluded.label, keywords = excluded.keywords, size = excluded.size`,
    );
    for (const c of map.clusters) cluster.run(c.id, c.label, JSON.stringify(c.keywords), c.size);

    const oldMembers = new Map<number, number>();
    for (const r of db.prepare('SELECT paper_id, cluster_id FROM paper_clusters').iterate() as Iterable<MemberRow>)
      oldMembers.set(r.paper_id, r.cluster_id);
    const member = db.prepare('INSERT OR REPLACE INTO paper_clusters (paper_id, cluster_id) VALUES (?, ?)');
    for (const [paper, c] of map.byPaper) {
      if (oldMembers.get(paper) !== c) member.run(paper, c);
      oldMembers.delete(paper);
    }
    const dropMember = db.prepare('DELETE FROM paper_clusters WHERE paper_id = ?');
    for (const paper of oldMembers.keys()) dropMember.run(paper);

    // Last, so that no paper is still in a cluster when it goes (membership cascades with it).
    const keep = new Set(map.clusters.map((c) => c.id));
    const dropCluster = db.prepare('DELETE FROM clusters WHERE id = ?');
    for (const { id } of db.prepare('SELECT id FROM clusters').all() as { id: number }[])
      if (!keep.has(id)) dropCluster.run(id);
  }).immediate();
}

interface EdgeRow {
  source: number;
  target: number;
  weight: number;
}

interface MemberRow {
  paper_id: number;
  cluster_id: number;
}

export function readState(db: Database.Database, key: string): string | null {
  const row = db.prepare('SELECT value FROM graph_state WHERE key = ?').get(key) as { value: string } | undefined;

  return row?.value ?? null;
}

export function writeState(db: Database.Database, key: string, value: string): void {
  db.prepare(
    'INSERT INTO graph_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/**
 * A parsed reference title without what some parsers run into it ("… arXiv preprint
 * arXiv:1909.01066", "… CoRR").
 */
export function cleanRefTitle(title: string | null): string | null {
  if (!title) return null;
  const out = title
    .replace(
      /\s*[.,]?\s*(?:arxiv preprint|arxiv e-prints|preprint|corr\b|abs\/|arxiv:|in proceedings|in advances)[\s\S]*$/i,
      '',
    )
    .replace(/\s+/g, ' ')
    .trim();

  return out.length >= 3 ? out : title.trim();
}

/** The keys one reference can be known by; two references sharing any key cite one work. */
export function referenceKeys(r: {
  title: string | null;
  arxiv_id: string | null;
  doi: string | null;
  raw: string;
}): string[] {
  const keys: string[] = [];
  if (r.arxiv_id) keys.push(`arxiv:${cleanArxivId(r.arxiv_id)}`);
  if (r.doi) {
    const doi = r.doi.toLowerCase();
    // arXiv's own DOIs name the arXiv id.
    const viaDoi = doi.match(/^10\.48550\/arxiv\.(.+)$/);
    keys.push(viaDoi ? `arxiv:${cleanArxivId(viaDoi[1])}` : `doi:${doi}`);
  }
  const title = cleanRefTitle(r.title);
  if (title) {
    const s = squash(title);
    if (s.length >= 15) keys.push(`title:${s}`);
    // Citation styles differ in what trails a title (a subtitle cut, "arXiv preprint" run in).
    if (s.length >= 40) keys.push(`title40:${s.slice(0, 40)}`);
  }

  return keys;
}

/**
 * Works cited by at least `minCitedBy` library papers that are not in the
 * library, variants of one work merged (a reference known by arXiv id and
 * another by title join when a third carries both), most cited first.
 */
export function findMissing(db: Database.Database, opts: { minCitedBy?: number; limit?: number } = {}): MissingPaper[] {
  const minCitedBy = opts.minCitedBy ?? 2;
  const rows = db
    .prepare(
      `SELECT r.id, r.paper_id, r.raw, r.title, r.year, r.arxiv_id, r.doi FROM refs r
        WHERE NOT EXISTS (SELECT 1 FROM ref_matches m WHERE m.ref_id = r.id) ORDER BY r.id`,
    )
    .all() as RefDbRow[];

  // Union-find over keys: each reference joins all its keys into one group.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let cur = k;
    while (cur !== root) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }

    return root;
  };
  const keyed = rows.map((r) => ({ r, keys: referenceKeys(r) })).filter((x) => x.keys.length > 0);
  for (const { keys } of keyed) {
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of keys.slice(1)) {
      const a = find(keys[0]);
      const b = find(k);
      if (a !== b) parent.set(b, a);
    }
  }

  const groups = new Map<string, typeof keyed>();
  for (const x of keyed) {
    const root = find(x.keys[0]);
    const list = groups.get(root);
    if (list) list.push(x);
    else groups.set(root, [x]);
  }

  const out: MissingPaper[] = [];
  for (const members of groups.values()) {
    const citing = [...new Set(members.map((m) => m.r.paper_id))].sort((a, b) => a - b);
    if (citing.length < minCitedBy) continue;
    const arxivId = mode(members.map((m) => (m.r.arxiv_id ? cleanArxivId(m.r.arxiv_id) : null)));
    const doi = mode(members.map((m) => m.r.doi?.toLowerCase() ?? null));
    const key = arxivId
      ? `arxiv:${arxivId}`
      : doi
        ? `doi:${doi}`
        : (members[0].keys.find((k) => k.startsWith('title:')) ?? members[0].keys[0]);
    out.push({
      key,
      title: mode(members.map((m) => cleanRefTitle(m.r.title))),
      year: mode(members.map((m) => m.r.year)),
      arxivId,
      doi,
      citedBy: citing.length,
      citingPaperIds: citing,
    });
  }
  out.sort(
    (a, b) => b.citedBy - a.citedBy || (a.title ?? '').localeCompare(b.title ?? '') || a.key.localeCompare(b.key),
  );

  return opts.limit !== undefined ? out.slice(0, opts.limit) : out;
}

/** The most common non-null value (ties: the first seen). */
function mode<T>(values: (T | null)[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];

  return best;
}
