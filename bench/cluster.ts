/**
 * Topic-map quality on real arXiv metadata (`npm run bench:cluster`): NMI and
 * ARI of the clusters against each paper's primary arXiv category, and the
 * share of similarity edges that join two papers of one category, for the
 * hybrid similarity beside TF-IDF alone (the peer), TF-IDF+LSA, and the encoder alone.
 *
 * Each set is imported into a cache library in the temp folder and embedded
 * once with the default encoder (the slow part); later runs reuse the vectors.
 * Options: --sets dw,math,mixed  --resolution R  --k K  --no-embed (use the vectors already stored)
 *          --half A|B (cluster every other paper only: A, the even rows, is the half the settings were
 *          tuned on; B, the odd rows, is held out)  --json (last line: one JSON object of the figures)
 *          --oracle (also: spherical k-means told the true number of categories, on each view's vectors;
 *          a ceiling check, since Surveyor never knows that number)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEmbeddings } from '../db/embeddings.js';
import { openLibrary } from '../db/library.js';
import { importFiles } from '../graph/import.js';
import { ari, nmi } from '../graph/metrics.js';
import { buildTfidf, lsaVectors } from '../graph/lsa.js';
import {
  centerVectors,
  computeTopicMap,
  DEFAULT_ENCODER_WEIGHT,
  DEFAULT_LSA_DIMS,
  hybridVectors,
  type TopicOptions,
} from '../graph/topics.js';
import { embedLibrary } from '../models/embed-library.js';

const FIXTURES = path.resolve(
  process.env.SURVEYOR_FIXTURES ??
    path.join(path.dirname(new URL(import.meta.url).pathname), '../../..', 'shared', 'fixtures'),
);
const ABSTRACTS = path.join(FIXTURES, 'abstracts');

const SETS: Record<string, { name: string; files: string[] }> = {
  dw: {
    name: 'dw-dengwei JSONL days (cs.*)',
    files: [
      'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-04-15.jsonl',
      'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-05-27.jsonl',
    ],
  },
  math: { name: 'clopezvice math CSV', files: ['clopezvice__ArXiv-Scraper__dataset_arxiv_data.csv'] },
  mixed: {
    name: 'AmirYunus mixed fields CSV (label: field in words)',
    files: ['AmirYunus__IS6751_project_arxiv_classifier__data_arxiv_lite.csv'],
  },
};

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: 'dw,math' },
    resolution: { type: 'string' },
    k: { type: 'string' },
    half: { type: 'string' },
    'no-embed': { type: 'boolean' },
    oracle: { type: 'boolean' },
    json: { type: 'boolean' },
  },
});
const resolution = values.resolution ? Number(values.resolution) : undefined;
const k = values.k ? Number(values.k) : undefined;
const half = values.half?.toUpperCase();
if (half !== undefined && half !== 'A' && half !== 'B') throw new Error(`--half must be A or B (got "${values.half}")`);
const cacheDir = path.join(os.tmpdir(), 'surveyor-bench-cluster');
fs.mkdirSync(cacheDir, { recursive: true });

const fmt = (x: number) => x.toFixed(3);

/** A small deterministic generator for the k-means starts. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;

  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * Spherical k-means (unit vectors, cosine) from k-means++ starts: the best of `starts` runs by its
 * own objective (summed cosine to the centre), labels never consulted.
 */
function sphericalKmeans(v: Float32Array, n: number, dims: number, k: number, starts = 10): number[] {
  const sim = (i: number, c: Float64Array, o: number) => {
    let s = 0;
    for (let d = 0; d < dims; d++) s += v[i * dims + d] * c[o + d];
    return s;
  };
  let best: { assign: number[]; objective: number } | null = null;
  for (let run = 1; run <= starts; run++) {
    const random = lcg(run * 7919);
    const centres = new Float64Array(k * dims);
    const setCentre = (c: number, i: number) => {
      for (let d = 0; d < dims; d++) centres[c * dims + d] = v[i * dims + d];
    };
    setCentre(0, Math.floor(random() * n));
    const far = new Float64Array(n).fill(Infinity);
    for (let c = 1; c < k; c++) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        far[i] = Math.min(far[i], Math.max(0, 1 - sim(i, centres, (c - 1) * dims)));
        total += far[i] ** 2;
      }
      let t = random() * total;
      let i = 0;
      for (; i < n - 1 && (t -= far[i] ** 2) > 0; i++);
      setCentre(c, i);
    }
    const assign = new Array<number>(n).fill(-1);
    let objective = 0;
    for (let iteration = 0; iteration < 50; iteration++) {
      let moved = 0;
      objective = 0;
      for (let i = 0; i < n; i++) {
        let top = 0;
        let topSim = -Infinity;
        for (let c = 0; c < k; c++) {
          const s = sim(i, centres, c * dims);
          if (s > topSim) [top, topSim] = [c, s];
        }
        if (assign[i] !== top) moved++;
        assign[i] = top;
        objective += topSim;
      }
      if (moved === 0) break;
      centres.fill(0);
      for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) centres[assign[i] * dims + d] += v[i * dims + d];
      for (let c = 0; c < k; c++) {
        let norm = 0;
        for (let d = 0; d < dims; d++) norm += centres[c * dims + d] ** 2;
        const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let d = 0; d < dims; d++) centres[c * dims + d] *= inv;
      }
    }
    if (!best || objective > best.objective) best = { assign, objective };
  }

  return best!.assign;
}
/** Scores per set and similarity, printed as one JSON line with --json. */
const summary: { sets: Record<string, unknown>[] } = { sets: [] };

for (const key of values.sets!.split(',')) {
  const set = SETS[key];
  if (!set) throw new Error(`unknown set "${key}"; the sets are ${Object.keys(SETS).join(', ')}`);
  const lib = openLibrary(path.join(cacheDir, `${key}.sqlite`));
  if ((lib.db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n === 0) {
    const report = await importFiles(
      lib,
      set.files.map((f) => path.join(ABSTRACTS, f)),
    );
    console.log(`${set.name}: imported ${report.added.length} papers (${report.duplicates.length} duplicates dropped)`);
  }
  let embedSeconds = 0;
  if (!values['no-embed']) {
    const t0 = Date.now();
    const r = await embedLibrary(lib, {});
    embedSeconds = (Date.now() - t0) / 1000;
    if (r.embedded > 0)
      console.log(`${set.name}: embedded ${r.embedded} papers in ${embedSeconds.toFixed(0)} s (${r.provider})`);
  }
  const rows = (
    lib.db
      .prepare(
        "SELECT id, coalesce(title, '') || '. ' || coalesce(abstract, '') AS text, categories FROM papers ORDER BY id",
      )
      .all() as { id: number; text: string; categories: string }[]
  ).filter((_, i) => half === undefined || (i % 2 === 0) === (half === 'A'));
  const ids = rows.map((r) => r.id);
  const texts = rows.map((r) => r.text);
  const truth = new Map(rows.map((r) => [r.id, (JSON.parse(r.categories) as string[])[0] ?? '?']));
  const { model, vectors } = readEmbeddings(lib.db);
  lib.close();

  const labels = [...truth.values()];
  const scores: Record<string, unknown>[] = [];
  summary.sets.push({
    set: half ? `${key}:${half}` : key,
    papers: rows.length,
    categories: new Set(labels).size,
    model,
    embedSeconds,
    scores,
  });
  console.log(
    `\n## ${set.name}${half ? ` (half ${half}: ${half === 'A' ? 'even rows, tuning' : 'odd rows, held out'})` : ''}: ` +
      `${rows.length} papers, ${new Set(labels).size} primary categories, encoder ${model ?? 'none'}` +
      `${resolution ? `, resolution ${resolution}` : ''}`,
  );
  console.log('| similarity | clusters | NMI | ARI | same-category share of similar edges | seconds |');
  console.log('|---|---|---|---|---|---|');
  const runs: [string, TopicOptions, boolean][] = [
    ['TF-IDF alone (peer)', { lsaDims: 0 }, false],
    ['TF-IDF + LSA', { encoderWeight: 0 }, false],
    ['encoder alone', { encoderWeight: 1 }, true],
    ...[DEFAULT_ENCODER_WEIGHT, 0.5].map((w): [string, TopicOptions, boolean] => [
      `hybrid, fixed encoder weight ${w}`,
      { encoderWeight: w },
      true,
    ]),
    ['hybrid, auto encoder weight (default)', { encoderWeight: 'auto' }, true],
  ];
  for (const [name, opts, needsEncoder] of runs) {
    if (needsEncoder && vectors.size === 0) continue;
    const t0 = Date.now();
    const map = await computeTopicMap(
      { ids, texts, encoder: needsEncoder ? vectors : null },
      { ...opts, resolution, k },
    );
    const seconds = (Date.now() - t0) / 1000;
    const choice = map.weightChoice;
    const shown = choice
      ? name.replace('auto encoder weight', `auto encoder weight ${map.encoderWeight.toFixed(2)}`) +
        ` [modularity text ${fmt(choice.textModularity)}, encoder ${fmt(choice.encoderModularity)}]`
      : name;
    const got = ids.map((id) => map.byPaper.get(id)!);
    const same =
      map.edges.filter((e) => truth.get(e.source) === truth.get(e.target)).length / Math.max(1, map.edges.length);
    const nmiScore = nmi(labels, got);
    const ariScore = ari(labels, got);
    scores.push({
      similarity: shown,
      encoderWeight: map.encoderWeight,
      clusters: map.clusters.length,
      nmi: nmiScore,
      ari: ariScore,
      sameCategoryShare: same,
      seconds,
    });
    console.log(
      `| ${shown} | ${map.clusters.length} | ${fmt(nmi(labels, got))} | ${fmt(ari(labels, got))} | ${fmt(same)} ` +
        `| ${seconds.toFixed(1)} |`,
    );
  }
  if (values.oracle) {
    const k = new Set(labels).size;
    const n = ids.length;
    const lsa = lsaVectors(buildTfidf(texts).matrix, DEFAULT_LSA_DIMS, 42);
    const encoder = vectors.size > 0 ? centerVectors(vectors).vectors : null;
    const views: [string, { vectors: Float32Array; dims: number }][] = [
      ['TF-IDF + LSA', { vectors: lsa.vectors, dims: lsa.dims }],
    ];
    if (encoder) {
      views.push(['encoder alone', hybridVectors(new Float32Array(n * lsa.dims), lsa.dims, ids, encoder, 1)]);
      for (const w of [DEFAULT_ENCODER_WEIGHT, 0.5])
        views.push([`hybrid, encoder weight ${w}`, hybridVectors(lsa.vectors, lsa.dims, ids, encoder, w)]);
    }
    console.log(`\nSpherical k-means told the true number of categories (${k}; a ceiling check, not Surveyor's method):`);
    console.log('| vectors | NMI | ARI |');
    console.log('|---|---|---|');
    for (const [name, view] of views) {
      const got = sphericalKmeans(view.vectors, n, view.dims, k);
      const oracle = { similarity: `k-means, true k: ${name}`, clusters: k, nmi: nmi(labels, got), ari: ari(labels, got) };
      scores.push(oracle);
      console.log(`| ${name} | ${fmt(oracle.nmi)} | ${fmt(oracle.ari)} |`);
    }
  }
}
if (values.json) console.log(JSON.stringify(summary));
