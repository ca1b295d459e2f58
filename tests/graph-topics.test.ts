import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { clusterGraph, graphModularity, labelClusters, makeLabel } from '../graph/cluster.js';
import { readMetadataFile } from '../graph/formats.js';
import { approximateKnn, exactKnn } from '../graph/knn.js';
import { seededRandom } from '../core/random.js';
import { surfaceForms } from '../graph/text.js';
import { buildTfidf, lsaVectors } from '../graph/lsa.js';
import { ari, nmi } from '../graph/metrics.js';
import { adaptiveEncoderWeight, computeTopicMap, DEFAULT_ENCODER_WEIGHT } from '../graph/topics.js';
import { FIXTURES } from './helpers.js';

const DW = path.join(FIXTURES, 'abstracts', 'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-05-27.jsonl');

async function dwPapers() {
  const records = await readMetadataFile(DW, fs.readFileSync(DW, 'utf8'));
  const seen = new Set<string>();
  const unique = records.filter((r) => r.arxivId && !seen.has(r.arxivId) && seen.add(r.arxivId));

  return {
    ids: unique.map((_, i) => i + 1),
    texts: unique.map((r) => `${r.title}. ${r.abstract}`),
    labels: unique.map((r) => r.categories[0]),
  };
}

test('NMI and ARI agree with their textbook values', () => {
  assert.ok(Math.abs(nmi([0, 0, 1, 1], [0, 0, 1, 2]) - 0.8) < 1e-9);
  assert.ok(Math.abs(ari([0, 0, 1, 1], [0, 0, 1, 2]) - 4 / 7) < 1e-9);
  assert.equal(nmi(['a', 'a', 'b'], [5, 5, 7]), 1);
  assert.ok(Math.abs(ari([0, 0, 0, 0], [0, 1, 2, 3])) < 1e-9);
});

test('LSA keeps the neighbours TF-IDF finds: most exact TF-IDF neighbours survive the reduction', async () => {
  const { texts } = await dwPapers();
  const tfidf = buildTfidf(texts);
  const lsa = lsaVectors(tfidf.matrix, 100);
  assert.equal(lsa.vectors.length, texts.length * lsa.dims);
  for (let r = 0; r < 5; r++) {
    const norm = Math.hypot(...lsa.vectors.subarray(r * lsa.dims, (r + 1) * lsa.dims));
    assert.ok(Math.abs(norm - 1) < 1e-4, 'rows are unit length');
  }
  const again = lsaVectors(tfidf.matrix, 100);
  assert.deepEqual(
    Array.from(again.vectors.subarray(0, 50)),
    Array.from(lsa.vectors.subarray(0, 50)),
    'seeded: the same input gives the same vectors',
  );
});

test('the approximate index finds at least 95% of the exact nearest neighbours', async () => {
  const { texts } = await dwPapers();
  const { vectors, dims } = lsaVectors(buildTfidf(texts).matrix, 100);
  const n = texts.length;
  const exact = exactKnn(vectors, n, dims, 15);
  const approx = approximateKnn(vectors, n, dims, 15);
  let found = 0;
  for (let i = 0; i < n; i++) {
    const want = new Set(exact[i].map((x) => x.index));
    found += approx[i].filter((x) => want.has(x.index)).length;
  }
  assert.ok(found / (n * 15) >= 0.95, `recall ${found / (n * 15)}`);
  assert.ok(
    approx.every((list, i) => list.every((x) => x.index !== i)),
    'a paper is never its own neighbour',
  );
});

test('clusters are deterministic, labelled in 2–4 words, and none is tiny', async () => {
  const { ids, texts } = await dwPapers();
  const a = await computeTopicMap({ ids, texts });
  const b = await computeTopicMap({ ids, texts });
  assert.deepEqual([...a.byPaper], [...b.byPaper]);
  assert.deepEqual(a.clusters, b.clusters);
  const minSize = Math.max(3, Math.round(ids.length * 0.005));
  assert.ok(a.clusters.length >= 3, `${a.clusters.length} clusters`);
  for (const c of a.clusters) {
    assert.ok(c.size >= minSize, `cluster ${c.id} has ${c.size} papers`);
    const words = c.label.split(' ').length;
    assert.ok(words >= 2 && words <= 4, `label "${c.label}"`);
    assert.ok(c.keywords.length >= 3);
  }
  assert.deepEqual(
    a.clusters.map((c) => c.id),
    a.clusters.map((_, i) => i + 1),
  );
  assert.ok(
    a.clusters.every((c, i) => i === 0 || a.clusters[i - 1].size >= c.size),
    'numbered largest first',
  );
  assert.equal([...a.byPaper.values()].length, ids.length, 'every paper has a cluster');
});

test('a higher resolution gives more, finer clusters', async () => {
  const { ids, texts } = await dwPapers();
  const coarse = await computeTopicMap({ ids, texts }, { resolution: 0.5 });
  const fine = await computeTopicMap({ ids, texts }, { resolution: 2 });
  assert.ok(fine.clusters.length > coarse.clusters.length, `${coarse.clusters.length} vs ${fine.clusters.length}`);
});

test('clusters follow the arXiv categories far better than chance, and neighbours mostly share one', async () => {
  const { ids, texts, labels } = await dwPapers();
  const map = await computeTopicMap({ ids, texts });
  const got = ids.map((id) => map.byPaper.get(id)!);
  // The same cluster sizes dealt out at random: what NMI gives by chance alone.
  const rand = seededRandom(3);
  const shuffled = [...got];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  assert.ok(nmi(labels, got) > 0.2, `NMI ${nmi(labels, got)}`);
  assert.ok(nmi(labels, got) > 3 * nmi(labels, shuffled), 'well above a shuffled assignment');
  const label = new Map(ids.map((id, i) => [id, labels[i]]));
  const same = map.edges.filter((e) => label.get(e.source) === label.get(e.target)).length / map.edges.length;
  assert.ok(same > 0.5, `same-category share ${same}`);
});

test('a direct citation links two papers that text alone would not join', async () => {
  const texts = [
    'Quantum error correction with surface codes and logical qubits',
    'Surface codes for fault tolerant quantum computing with logical qubits',
    'Protein folding predicted from amino acid sequences with deep networks',
    'Amino acid sequences and protein structure prediction by deep networks',
  ];
  const ids = [10, 11, 12, 13];
  const plain = await computeTopicMap({ ids, texts }, { k: 1 });
  const key = (e: { source: number; target: number }) =>
    `${Math.min(e.source, e.target)}-${Math.max(e.source, e.target)}`;
  assert.ok(!plain.edges.some((e) => key(e) === '10-12'));
  const cited = await computeTopicMap({ ids, texts, citations: [{ source: 12, target: 10 }] }, { k: 1 });
  const edge = cited.edges.find((e) => key(e) === '10-12');
  assert.ok(edge && edge.weight >= 0.15, 'the citation adds an edge of at least its bonus');
});

test('a tiny community merges into the cluster it is most tied to', () => {
  // Two blocks of 10 and a pair tied weakly to the second block.
  const edges = [];
  for (const [lo, hi] of [
    [0, 10],
    [10, 20],
  ])
    for (let i = lo; i < hi; i++) for (let j = i + 1; j < hi; j++) edges.push({ a: i, b: j, weight: 1 });
  edges.push({ a: 20, b: 21, weight: 1 }, { a: 21, b: 15, weight: 0.05 }, { a: 20, b: 3, weight: 0.01 });
  const assign = clusterGraph(22, edges, { minSize: 3 });
  assert.equal(new Set(assign).size, 2);
  assert.equal(assign[20], assign[15]);
  assert.equal(assign[21], assign[15]);
});

test('a cancel during the topic map stops it at the next stage with a cancellation', async () => {
  const { ids, texts } = await dwPapers();
  const controller = new AbortController();
  const stages: string[] = [];
  await assert.rejects(
    computeTopicMap(
      { ids, texts },
      {
        signal: controller.signal,
        onProgress: (e) => {
          stages.push(e.item ?? '');
          if (e.item === 'lsa') controller.abort();
        },
      },
    ),
    (err: Error & { kind?: string }) => err.kind === 'cancelled',
  );
  assert.deepEqual(stages, ['tfidf', 'lsa'], 'nothing ran after the cancel');
});

/** Unit vectors, seeded: pure noise, or noise around one direction per label. */
function unitVectors(count: number, dims: number, seed: number, groupOf?: (i: number) => number): Float32Array[] {
  const rand = seededRandom(seed);
  const centres = Array.from({ length: 40 }, () => Float32Array.from({ length: dims }, () => rand() * 2 - 1));

  return Array.from({ length: count }, (_, i) => {
    const centre = groupOf ? centres[groupOf(i)] : null;
    const v = Float32Array.from({ length: dims }, (_, d) => rand() * 2 - 1 + (centre ? 3 * centre[d] : 0));
    const norm = Math.hypot(...v);

    return v.map((x) => x / norm);
  });
}

test("'auto' drops an encoder that shows less structure than the text, and never raises it above 0.3", async () => {
  const { ids, texts, labels } = await dwPapers();
  const { vectors, dims } = lsaVectors(buildTfidf(texts).matrix, 100);

  // Noise: no topic structure at all, so its kNN graph is far less modular than the text's.
  const noise = unitVectors(ids.length, 64, 5);
  const dropped = adaptiveEncoderWeight(vectors, dims, ids, new Map(ids.map((id, i) => [id, noise[i]])), 15);
  assert.ok(dropped.encoderModularity < dropped.textModularity, JSON.stringify(dropped));
  assert.equal(dropped.weight, 0);

  // Vectors that follow the arXiv categories exactly: more structure than the text, weight stays at the default.
  const cats = [...new Set(labels)];
  const clean = unitVectors(ids.length, 64, 6, (i) => cats.indexOf(labels[i]));
  const kept = adaptiveEncoderWeight(vectors, dims, ids, new Map(ids.map((id, i) => [id, clean[i]])), 15);
  assert.ok(kept.encoderModularity > kept.textModularity, JSON.stringify(kept));
  assert.equal(kept.weight, DEFAULT_ENCODER_WEIGHT);

  // The text's own vectors as the "encoder": equal structure, so the weight is (about) the default.
  const same = new Map(ids.map((id, i) => [id, vectors.slice(i * dims, (i + 1) * dims)]));
  const equal = adaptiveEncoderWeight(vectors, dims, ids, same, 15);
  assert.ok(Math.abs(equal.encoderModularity - equal.textModularity) < 0.02, JSON.stringify(equal));
  assert.ok(equal.weight > 0.27 && equal.weight <= DEFAULT_ENCODER_WEIGHT, JSON.stringify(equal));

  // Too few papers with a vector to judge: the default weight.
  const few = adaptiveEncoderWeight(vectors, dims, ids, new Map(ids.slice(0, 20).map((id, i) => [id, noise[i]])), 15);
  assert.equal(few.weight, DEFAULT_ENCODER_WEIGHT);
});

test("with an encoder, 'auto' is deterministic, and an encoder of noise leaves the text's map", async () => {
  const { ids, texts } = await dwPapers();
  const noise = unitVectors(ids.length, 64, 9);
  const encoder = new Map(ids.map((id, i) => [id, noise[i]]));
  const a = await computeTopicMap({ ids, texts, encoder });
  const b = await computeTopicMap({ ids, texts, encoder: new Map(encoder) });
  assert.deepEqual([...a.byPaper], [...b.byPaper]);
  assert.deepEqual(a.weightChoice, b.weightChoice);
  assert.equal(a.encoderWeight, 0);
  const textOnly = await computeTopicMap({ ids, texts }, { encoderWeight: 0 });
  assert.deepEqual([...a.byPaper], [...textOnly.byPaper], 'weight 0 is the TF-IDF/LSA map itself');
  const fixed = await computeTopicMap({ ids, texts, encoder }, { encoderWeight: 0.3 });
  assert.equal(fixed.encoderWeight, 0.3);
  assert.equal(fixed.weightChoice, undefined, 'a fixed weight skips the comparison');
});

test('modularity: two separate cliques score 0.5, a graph without edges 0', () => {
  const edges = [];
  for (const [lo, hi] of [
    [0, 6],
    [6, 12],
  ])
    for (let i = lo; i < hi; i++) for (let j = i + 1; j < hi; j++) edges.push({ a: i, b: j, weight: 1 });
  assert.ok(Math.abs(graphModularity(12, edges) - 0.5) < 1e-9);
  assert.equal(graphModularity(5, []), 0);
});

test('small clusters stay when the minimum size allows them; an isolated one joins the largest cluster', () => {
  const edges = [];
  for (const [lo, hi] of [
    [0, 12],
    [12, 20],
  ])
    for (let i = lo; i < hi; i++) for (let j = i + 1; j < hi; j++) edges.push({ a: i, b: j, weight: 1 });
  // A pair tied weakly to the second block, and an isolated pair (22, 23) with no edge to anyone else.
  edges.push({ a: 20, b: 21, weight: 1 }, { a: 21, b: 15, weight: 0.05 }, { a: 22, b: 23, weight: 1 });
  const loose = clusterGraph(24, edges, { minSize: 1 });
  assert.equal(new Set(loose).size, 4, 'two blocks and two pairs');
  const merged = clusterGraph(24, edges, { minSize: 3 });
  assert.equal(new Set(merged).size, 2);
  assert.equal(merged[20], merged[15], 'the tied pair joins the block it is tied to');
  assert.equal(merged[22], merged[0], 'the isolated pair joins the largest block');
  assert.equal(merged[0], 0, 'cluster 0 is the largest');
});

test('labels and keywords show the words the papers use, not stems ("vertices", "series")', async () => {
  const file = path.join(FIXTURES, 'abstracts', 'clopezvice__ArXiv-Scraper__dataset_arxiv_data.csv');
  const records = await readMetadataFile(file, fs.readFileSync(file, 'utf8'));
  const texts = records.map((r) => `${r.title}. ${r.abstract}`);
  // Every stem a label could show maps to a word that occurs in the texts.
  const stems = new Set(['vertice', 'sery', 'graph', 'matrice', 'model', 'schrodinger', 'kahler']);
  const forms = surfaceForms(texts, stems);
  assert.equal(forms.get('schrodinger'), 'schrödinger', 'the accents the papers write come back');
  assert.equal(forms.get('kahler'), 'kähler');
  assert.equal(forms.get('vertice'), 'vertices');
  assert.equal(forms.get('sery'), 'series');
  assert.equal(forms.get('matrice'), 'matrices');
  assert.equal(forms.get('graph'), 'graph', 'a stem the papers use as a word stays as it is');
  assert.equal(forms.get('model'), 'model');

  // The combinatorics papers (math.CO) form one cluster; its label and keywords read as words.
  const assign = records.map((r) => (r.categories[0] === 'math.CO' ? 1 : 0));
  const labels = labelClusters(texts, assign);
  const words = new Set(texts.join(' ').toLowerCase().match(/[\p{L}\p{N}-]+/gu));
  for (const l of labels) {
    for (const w of [...l.label.split(' '), ...l.keywords.flatMap((k) => k.split(' '))]) {
      assert.ok(w === 'papers' || words.has(w), `"${w}" (label "${l.label}") is a word of the texts`);
    }
  }
  assert.ok(labels[1].keywords.includes('vertices'), labels[1].keywords.join(', '));
});

test('labels read as the papers write them: word order, and a phrase carried on', () => {
  const written = new Map([
    ['optimal control', 50],
    ['control system', 20],
    ['system optimal', 1],
  ]);
  assert.equal(makeLabel(['system', 'control', 'optimal', 'model']), 'system control optimal');
  assert.equal(makeLabel(['system', 'control', 'optimal', 'model'], written), 'optimal control system');
  // Pairs written in fewer than two papers, or none at all, leave the keywords' order.
  assert.equal(makeLabel(['surface', 'curve', 'variety'], written), 'surface curve variety');
  assert.equal(makeLabel(['graph'], written), 'graph papers');
  // Of two equally good orders, the one with the best-ranked word earliest.
  const one = new Map([['pre-trained transformer', 2]]);
  assert.equal(makeLabel(['transformer', 'parameter', 'pre-trained'], one), 'pre-trained transformer parameter');

  // A leading phrase goes on while the next pair is at least half as common as the lead.
  const phrase = new Map([
    ['multimodal large', 30],
    ['large language', 28],
    ['language model', 27],
    ['model performance', 20],
    ['large scale', 3],
  ]);
  assert.equal(makeLabel(['multimodal large', 'visual', 'image'], phrase), 'multimodal large language model');
  const weak = new Map([
    ['convolutional neural', 40],
    ['neural network', 40],
    ['network architecture', 12],
  ]);
  assert.equal(
    makeLabel(['neural network', 'convolutional neural', 'deep'], weak),
    'convolutional neural network',
    'a pair under half as common as the lead is not added',
  );
});
