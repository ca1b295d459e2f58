import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openLibrary } from '../db/library.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { buildGraph } from '../graph/build.js';
import { readMetadataFile, type MetadataRecord } from '../graph/formats.js';
import { importFiles } from '../graph/import.js';
import { buildTfidf, foldIn, lsaVectors, tfidfRows } from '../graph/lsa.js';
import { nmi } from '../graph/metrics.js';
import { readCategories, readClusters, readSimilarEdges } from '../graph/store.js';
import { readTopicFit } from '../graph/topic-store.js';
import { FIXTURES, tempDir } from './helpers.js';

const MATH = path.join(FIXTURES, 'abstracts', 'clopezvice__ArXiv-Scraper__dataset_arxiv_data.csv');
const DW = path.join(FIXTURES, 'abstracts', 'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-05-27.jsonl');

async function records(file: string): Promise<MetadataRecord[]> {
  const seen = new Set<string>();

  return (await readMetadataFile(file, fs.readFileSync(file, 'utf8'))).filter(
    (r) => r.title && r.abstract && !seen.has(r.title) && seen.add(r.title),
  );
}

function jsonl(dir: string, name: string, rs: MetadataRecord[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    rs
      .map((r) =>
        JSON.stringify({ id: r.arxivId, title: r.title, abstract: r.abstract, categories: r.categories, authors: r.authors }),
      )
      .join('\n') + '\n',
  );

  return file;
}

test('papers of the fitted library fold back in to their own LSA vectors', async () => {
  const texts = (await records(MATH)).slice(0, 600).map((r) => `${r.title}. ${r.abstract}`);
  const tfidf = buildTfidf(texts);
  const lsa = lsaVectors(tfidf.matrix, 100);
  const index = new Map(tfidf.vocabulary.map((t, i) => [t, i]));
  const folded = foldIn(tfidfRows(tfidf.docTerms, index, tfidf.idf), tfidf.matrix, lsa.vectors, lsa.norms, lsa.sigmas);
  const cosines = texts.map((_, r) => {
    let s = 0;
    for (let d = 0; d < lsa.dims; d++) s += folded.vectors[r * lsa.dims + d] * lsa.vectors[r * lsa.dims + d];

    return s;
  });
  cosines.sort((a, b) => a - b);
  // The SVD is a randomized one, so folding in reproduces the fitted vectors closely, not exactly.
  assert.ok(cosines[0] > 0.95, `worst fold-in cosine ${cosines[0]}`);
  assert.ok(cosines[cosines.length >> 1] > 0.98, `median fold-in cosine ${cosines[cosines.length >> 1]}`);
  assert.ok(Math.abs(folded.capture / lsa.capture - 1) < 0.1, `capture ${folded.capture} vs ${lsa.capture}`);
});

test('a grown library folds its new papers in, keeps its topics, and fits again when it must', async () => {
  const dir = tempDir();
  const math = await records(MATH);
  // Every 20th paper is held back, so the papers added later are of the same field and categories.
  const base = math.filter((_, i) => i % 20 !== 0).slice(0, 800);
  const extra = math.filter((_, i) => i % 20 === 0).slice(0, 40);
  const lib = openLibrary(path.join(dir, 'library.sqlite'));
  const opts = { embed: false, incremental: { minPapers: 100 } } as const;
  try {
    await importFiles(lib, [jsonl(dir, 'base.jsonl', base)]);
    const first = await buildGraph(lib, opts);
    assert.equal(first.incremental, false);
    assert.equal(first.foldedIn, 0);
    assert.equal(readTopicFit(lib.db)?.fit.lsa.size, 800);
    const before = readClusters(lib.db).byPaper;

    await importFiles(lib, [jsonl(dir, 'extra.jsonl', extra)]);
    const grown = await buildGraph(lib, opts);
    assert.equal(grown.incremental, true);
    assert.equal(grown.foldedIn, 40);
    assert.equal(grown.papers, 840);
    const after = readClusters(lib.db).byPaper;
    const old = [...before.keys()];
    const fresh = [...after.keys()].filter((id) => !before.has(id));
    assert.equal(fresh.length, 40);
    // The papers already there keep their topics (the numbers may change order, the grouping does not).
    assert.equal(
      nmi(
        old.map((id) => before.get(id)!),
        old.map((id) => after.get(id)!),
      ),
      1,
    );
    // ...and their numbers, so a topic keeps its colour in the app.
    assert.ok(
      old.every((id) => after.get(id) === before.get(id)),
      'older papers keep their cluster ids',
    );
    const linked = new Set(readSimilarEdges(lib.db).flatMap((e) => [e.source, e.target]));
    assert.ok(
      fresh.every((id) => linked.has(id)),
      'every new paper has similarity edges',
    );
    assert.equal(readTopicFit(lib.db)?.fit.lsa.size, 840);
    assert.equal((await buildGraph(lib, opts)).upToDate, true);

    // The same grown library fitted whole: the incremental map sorts papers by category about as well.
    const categories = readCategories(lib.db);
    const truth = (m: Map<number, number>) => {
      const ids = [...m.keys()];

      return nmi(
        ids.map((id) => m.get(id)!),
        ids.map((id) => categories.get(id)![0]),
      );
    };
    const incrementalNmi = truth(after);
    const whole = await buildGraph(lib, { ...opts, force: true });
    assert.equal(whole.incremental, false);
    const wholeNmi = truth(readClusters(lib.db).byPaper);
    assert.ok(incrementalNmi > wholeNmi - 0.05, `incremental ${incrementalNmi} vs whole ${wholeNmi}`);

    // A new resolution with no new paper: the stored neighbours are clustered again, nothing refitted.
    const finer = await buildGraph(lib, { ...opts, resolution: 3 });
    assert.equal(finer.incremental, true);
    assert.equal(finer.foldedIn, 0);
    assert.ok(finer.clusters > whole.clusters, `${finer.clusters} clusters at resolution 3 vs ${whole.clusters}`);

    // Papers of another field are described poorly by the fitted model: the library is fitted again.
    const cs = (await records(DW)).slice(0, 60);
    await importFiles(lib, [jsonl(dir, 'cs.jsonl', cs)]);
    const foreign = await buildGraph(lib, { ...opts, resolution: 3 });
    assert.equal(foreign.incremental, false);
    assert.equal(readTopicFit(lib.db)?.fit.lsa.size, 900);

    // One more paper of the field folds in; then a paper whose text changed (it was fitted on its old
    // text) makes the next build a full one.
    const same = math.filter((_, i) => i % 20 === 0);
    await importFiles(lib, [jsonl(dir, 'one.jsonl', same.slice(40, 41))]);
    const oneMore = await buildGraph(lib, { ...opts, resolution: 3 });
    assert.deepEqual([oneMore.incremental, oneMore.foldedIn], [true, 1]);
    lib.db
      .prepare(
        "UPDATE papers SET abstract = abstract || ' Revised.', " +
          "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second') WHERE id = 1",
      )
      .run();
    const changed = await buildGraph(lib, { ...opts, resolution: 3 });
    assert.equal(changed.upToDate, false);
    assert.equal(changed.incremental, false);

    await importFiles(lib, [jsonl(dir, 'two.jsonl', same.slice(41, 43))]);
    const off = await buildGraph(lib, { ...opts, resolution: 3, incremental: false });
    assert.deepEqual([off.incremental, off.papers], [false, 903]);
  } finally {
    lib.close();
  }
});

test('migration 6 adds the topic model tables, and a deleted paper takes its stored vectors along', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 5);
  db.prepare("INSERT INTO papers (id, title) VALUES (1, 'kept'), (2, 'gone')").run();
  assert.deepEqual(migrate(db, MIGRATIONS, 6), [6]);
  const put = db.prepare(
    "INSERT INTO topic_vectors (paper_id, stamp, lsa, lsa_norm, neighbour_ids, neighbour_sims) " +
      "VALUES (?, 's', x'00', 1, x'00', x'00')",
  );
  put.run(1);
  put.run(2);
  db.prepare('DELETE FROM papers WHERE id = 2').run();
  assert.deepEqual(db.prepare('SELECT paper_id FROM topic_vectors').all(), [{ paper_id: 1 }]);
  const columns = (db.prepare('PRAGMA table_info(topic_model)').all() as { name: string }[]).map((c) => c.name);
  for (const c of ['vocabulary', 'idf', 'sigmas', 'capture', 'encoder_mean', 'encoder_weight', 'fitted_papers'])
    assert.ok(columns.includes(c), `topic_model lacks ${c}`);
  assert.deepEqual(db.prepare('SELECT title FROM papers').all(), [{ title: 'kept' }]);
});
