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
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEmbeddings } from '../db/embeddings.js';
import { openLibrary } from '../db/library.js';
import { importFiles } from '../graph/import.js';
import { ari, nmi } from '../graph/metrics.js';
import { computeTopicMap, DEFAULT_ENCODER_WEIGHT, type TopicOptions } from '../graph/topics.js';
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
}
if (values.json) console.log(JSON.stringify(summary));
