import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { openLibrary } from '../db/library.js';
import { findMissing, readCitationEdges, readClusters, readGraph } from '../graph/store.js';
import { squash } from '../graph/text.js';
import { FIXTURE_PDFS, REPO_ROOT, runCli, tempLibraryPath } from './helpers.js';

interface Truth {
  edges: { citing: string; cited: string }[];
}

const TRUTH = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'tests', 'data', 'citation-truth.json'), 'utf8'),
) as Truth;
const file = tempLibraryPath();
let buildJson: Record<string, unknown>;

before(() => {
  const ingest = runCli(['ingest', FIXTURE_PDFS, '--library', file, '--json']);
  assert.equal(ingest.status, 0, ingest.stderr);
  const build = runCli(['build', '--library', file, '--json']);
  assert.equal(build.status, 0, build.stderr);
  buildJson = JSON.parse(build.stdout) as Record<string, unknown>;
});

test('citation edges among the fixture papers reach precision 0.97 and recall 0.92 against the truth', () => {
  const lib = openLibrary(file, { readonly: true });
  const arxiv = new Map(
    (lib.db.prepare('SELECT id, arxiv_id FROM papers').all() as { id: number; arxiv_id: string }[]).map((r) => [
      r.id,
      r.arxiv_id,
    ]),
  );
  const got = new Set(readCitationEdges(lib.db).map((e) => `${arxiv.get(e.source)}>${arxiv.get(e.target)}`));
  lib.close();
  const want = new Set(TRUTH.edges.map((e) => `${e.citing}>${e.cited}`));
  const hits = [...got].filter((e) => want.has(e)).length;
  const precision = hits / got.size;
  const recall = hits / want.size;
  const wrong = [...got].filter((e) => !want.has(e));
  assert.ok(precision >= 0.97, `precision ${precision.toFixed(3)}; edges not in the truth: ${wrong.join(', ')}`);
  assert.ok(recall >= 0.92, `recall ${recall.toFixed(3)} (${hits}/${want.size})`);
});

test('surveyor build reports what it did, and a second build of an unchanged library redoes nothing', () => {
  assert.equal(buildJson.papers, 100);
  assert.ok((buildJson.citationEdges as number) > 250);
  assert.ok((buildJson.clusters as number) >= 2);
  assert.equal(buildJson.upToDate, false);
  // 100 papers are below the size at which a grown library is built incrementally: a full fit.
  assert.deepEqual([buildJson.incremental, buildJson.foldedIn], [false, 0]);
  assert.ok(buildJson.encoderModel, 'the encoder embedded the papers and took part in the similarity');
  const again = runCli(['build', '--library', file, '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal((JSON.parse(again.stdout) as { upToDate: boolean }).upToDate, true);
});

test('graph --json has nodes with cluster and direction, cites and similar edges, and labelled clusters', () => {
  const r = runCli(['graph', '--library', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const g = JSON.parse(r.stdout) as ReturnType<typeof readGraph>;
  assert.equal(g.nodes.length, 100);
  for (const n of g.nodes) {
    assert.deepEqual(Object.keys(n).sort(), ['arxivId', 'cluster', 'direction', 'id', 'title', 'year']);
    assert.ok(
      g.clusters.some((c) => c.id === n.cluster),
      `node ${n.id} has a known cluster`,
    );
  }
  const ids = new Set(g.nodes.map((n) => n.id));
  assert.ok(g.edges.every((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target));
  assert.ok(g.edges.some((e) => e.kind === 'cites') && g.edges.some((e) => e.kind === 'similar'));
  assert.ok(g.edges.every((e) => (e.kind === 'cites' || e.kind === 'similar') && e.weight > 0));
  assert.equal(
    g.clusters.reduce((s, c) => s + c.size, 0),
    100,
  );
  const papers = JSON.parse(runCli(['papers', '--library', file, '--json']).stdout) as {
    id: number;
    cluster: number;
  }[];
  assert.ok(
    papers.every((p) => g.nodes.find((n) => n.id === p.id)!.cluster === p.cluster),
    'papers --json shows the same cluster',
  );
});

test('missing papers: cited by two or more, not in the library, variants merged, most cited first', () => {
  const r = runCli(['missing', '--library', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const missing = JSON.parse(r.stdout) as ReturnType<typeof findMissing>;
  assert.ok(missing.length > 50);
  assert.ok(
    missing.every(
      (m, i) =>
        m.citedBy >= 2 && m.citedBy === m.citingPaperIds.length && (i === 0 || missing[i - 1].citedBy >= m.citedBy),
    ),
  );
  const bert = missing.find((m) => m.arxivId === '1810.04805');
  assert.ok(bert && bert.citedBy >= 10, 'BERT is cited by many fixture papers and is not one of them');
  assert.match(bert.title ?? '', /pre-training of deep bidirectional transformers/i);
  const lib = openLibrary(file, { readonly: true });
  const have = new Set(
    (lib.db.prepare('SELECT arxiv_id FROM papers').all() as { arxiv_id: string }[]).map((p) => p.arxiv_id),
  );
  lib.close();
  assert.ok(
    missing.every((m) => !m.arxivId || !have.has(m.arxivId)),
    'nothing in the library is listed as missing',
  );
  const arxivIds = missing.filter((m) => m.arxivId).map((m) => m.arxivId);
  assert.equal(new Set(arxivIds).size, arxivIds.length, 'one entry per arXiv id');
  const titles = missing.filter((m) => m.title).map((m) => squash(m.title!));
  assert.equal(new Set(titles).size, titles.length, 'one entry per title');
  const top = runCli(['missing', '--library', file, '--limit', '3', '--min-cited-by', '5', '--json']);
  assert.equal((JSON.parse(top.stdout) as unknown[]).length, 3);
});

test('clusters of the fixture library have readable labels and every paper belongs to one', () => {
  const lib = openLibrary(file, { readonly: true });
  const { clusters, byPaper } = readClusters(lib.db);
  lib.close();
  assert.equal(byPaper.size, 100);
  for (const c of clusters) assert.ok(/^[\p{L}\p{N}-]+( [\p{L}\p{N}-]+){1,3}$/u.test(c.label), `label "${c.label}"`);
});

test('bad options name the option and the valid choices', () => {
  const r = runCli(['build', '--library', file, '--device', 'tpu']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--device must be one of auto, gpu, cpu/);
  const m = runCli(['missing', '--library', file, '--limit', 'zero']);
  assert.match(m.stderr, /--limit must be a whole number/);
});
