import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { findMissing, readClusters, readGraph, writeMatches, writeTopicMap } from '../graph/store.js';

function libraryAt3(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 3);

  return db;
}

test('migration 3 adds categories to papers and the graph tables, keeping existing papers', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS, 2);
  db.prepare("INSERT INTO papers (id, title) VALUES (1, 'kept')").run();
  assert.deepEqual(migrate(db, MIGRATIONS, 3), [3]);
  assert.equal(schemaVersion(db), 3);
  assert.deepEqual(db.prepare('SELECT title, categories, imported_from FROM papers').get(), {
    title: 'kept',
    categories: '[]',
    imported_from: null,
  });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
    (r) => r.name,
  );
  for (const t of ['ref_matches', 'similar_edges', 'clusters', 'paper_clusters', 'graph_state'])
    assert.ok(tables.includes(t), `missing ${t}`);
});

test('deleting a paper removes its matches, edges and cluster membership', () => {
  const db = libraryAt3();
  db.prepare("INSERT INTO papers (id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c')").run();
  db.prepare("INSERT INTO refs (id, paper_id, idx, raw) VALUES (10, 1, 0, 'b ref'), (11, 3, 0, 'b again')").run();
  writeMatches(db, [
    { refId: 10, citingId: 1, citedId: 2, method: 'title' },
    { refId: 11, citingId: 3, citedId: 2, method: 'arxiv' },
  ]);
  writeTopicMap(db, {
    edges: [
      { source: 2, target: 1, weight: 0.5 },
      { source: 2, target: 3, weight: 0.25 },
    ],
    clusters: [{ id: 1, label: 'test cluster', keywords: ['test'], size: 3 }],
    byPaper: new Map([
      [1, 1],
      [2, 1],
      [3, 1],
    ]),
  });
  assert.deepEqual(
    readGraph(db).edges.map((e) => [e.source, e.target, e.kind]),
    [
      [1, 2, 'cites'],
      [3, 2, 'cites'],
      [1, 2, 'similar'],
      [2, 3, 'similar'],
    ],
  );
  db.prepare('DELETE FROM papers WHERE id = 2').run();
  const g = readGraph(db);
  assert.deepEqual(g.edges, []);
  assert.equal(readClusters(db).byPaper.size, 2);
  assert.deepEqual(
    g.nodes.map((n) => n.direction),
    [null, null],
    'no directions before the taxonomy step',
  );
});

test('missing papers merge a reference known by arXiv id with one known by title when a third carries both', () => {
  const db = libraryAt3();
  db.prepare("INSERT INTO papers (id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c')").run();
  const ins = db.prepare(
    'INSERT INTO refs (paper_id, idx, raw, title, year, arxiv_id, doi) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  ins.run(1, 0, 'x', 'BERT: Pre-training of Deep Bidirectional Transformers', 2019, null, null);
  ins.run(2, 0, 'x', null, 2018, '1810.04805v2', null);
  ins.run(3, 0, 'x', 'Bert: pre-training of deep bidirectional transformers', 2018, '1810.04805', null);
  ins.run(3, 1, 'x', 'A paper cited once', 2018, null, null);
  const missing = findMissing(db);
  assert.equal(missing.length, 1);
  assert.deepEqual(
    { ...missing[0], title: undefined },
    {
      key: 'arxiv:1810.04805',
      title: undefined,
      year: 2018,
      arxivId: '1810.04805',
      doi: null,
      citedBy: 3,
      citingPaperIds: [1, 2, 3],
    },
  );
  assert.equal(findMissing(db, { minCitedBy: 1 }).length, 2);
});

test('graph nodes carry the research direction once the taxonomy step has stored one', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS);
  db.prepare("INSERT INTO papers (id, title) VALUES (1, 'a'), (2, 'b')").run();
  db.prepare(
    "INSERT INTO paper_directions (paper_id, auto_direction, auto_confidence) VALUES (1, 'efficiency', 0.9)",
  ).run();
  assert.deepEqual(
    readGraph(db).nodes.map((n) => n.direction),
    ['efficiency', null],
  );
});

test('writing only what changed stores the same map as rewriting it all', () => {
  const first = {
    edges: [
      { source: 1, target: 2, weight: 0.5 },
      { source: 2, target: 3, weight: 0.25 },
      { source: 3, target: 4, weight: 0.75 },
    ],
    clusters: [
      { id: 1, label: 'one', keywords: ['a'], size: 2 },
      { id: 2, label: 'two', keywords: ['b'], size: 2 },
      { id: 3, label: 'three', keywords: ['c'], size: 1 },
    ],
    byPaper: new Map([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 3],
    ]),
  };
  // One edge kept, one reweighted, one gone, two new (one given in reverse order); a paper moved,
  // a paper left out, a cluster relabelled and one gone.
  const second = {
    edges: [
      { source: 1, target: 2, weight: 0.5 },
      { source: 3, target: 2, weight: 0.3 },
      { source: 4, target: 1, weight: 0.1 },
      { source: 4, target: 6, weight: 0.2 },
    ],
    clusters: [
      { id: 1, label: 'one, renamed', keywords: ['a', 'd'], size: 3 },
      { id: 2, label: 'two', keywords: ['b'], size: 2 },
    ],
    byPaper: new Map([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 2],
      [6, 2],
    ]),
  };
  const dump = (db: Database.Database) => ({
    edges: db.prepare('SELECT source, target, weight FROM similar_edges ORDER BY source, target').all(),
    clusters: db.prepare('SELECT id, label, keywords, size FROM clusters ORDER BY id').all(),
    members: db.prepare('SELECT paper_id, cluster_id FROM paper_clusters ORDER BY paper_id').all(),
  });
  const [whole, changed] = [libraryAt3(), libraryAt3()];
  for (const db of [whole, changed]) {
    db.prepare("INSERT INTO papers (id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f')").run();
    writeTopicMap(db, first);
  }
  writeTopicMap(whole, second);
  writeTopicMap(changed, second, { changedOnly: true });
  assert.deepEqual(dump(changed), dump(whole));
  assert.deepEqual(
    dump(changed).edges.map((e) => Object.values(e as object).join(' ')),
    ['1 2 0.5', '1 4 0.1', '2 3 0.3', '4 6 0.2'],
  );
  assert.deepEqual(dump(changed).clusters.map((c) => (c as { id: number }).id), [1, 2]);
  assert.equal(readClusters(changed).byPaper.get(3), 1);
  assert.equal(readClusters(changed).byPaper.has(5), false);
});
