/**
 * `npm run bench:build`: how long `surveyor build` takes on 1,000 and 10,000
 * papers, cold and incremental, beside the all-pairs kNN it avoids and a full
 * refit of the grown library (the peers), with how close the incremental
 * topic map comes to that refit.
 *
 * The papers are the fixture abstracts (dw-dengwei JSONL, clopezvice math CSV,
 * lthei JSON, AmirYunus CSV), deduplicated; above the ~6,400 distinct records
 * they hold, further papers are made by joining the first half of one abstract
 * to the second half of another of the same field (marked "(mix N)" in their
 * titles), so the text keeps the statistics of real abstracts.
 *
 * Encoder vectors are copied from bench:cluster's cache (the dw-dengwei, math
 * and mixed-field sets, embedded there with the default encoder) for papers
 * with the same text; run bench:cluster first. Papers without a vector (the
 * lthei set and the mixtures) use the TF-IDF/LSA part of the similarity alone.
 * Options: --sizes 1000,10000  --no-embed  --no-peer  --json (last line: one JSON object of the figures)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLibrary, type Library } from '../db/library.js';
import { buildGraph, type BuildReport } from '../graph/build.js';
import { readMetadataFile, type MetadataRecord } from '../graph/formats.js';
import { importFiles } from '../graph/import.js';
import { nmi } from '../graph/metrics.js';
import { readCategories, readClusters } from '../graph/store.js';
import { computeTopicMap } from '../graph/topics.js';
import { squash } from '../graph/text.js';
import { readEmbeddings } from '../db/embeddings.js';
import { embedLibrary } from '../models/embed-library.js';

const FIXTURES = path.resolve(
  process.env.SURVEYOR_FIXTURES ??
    path.join(path.dirname(new URL(import.meta.url).pathname), '../../..', 'shared', 'fixtures'),
);
const ABSTRACTS = path.join(FIXTURES, 'abstracts');
const FILES = [
  'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-04-15.jsonl',
  'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-05-27.jsonl',
  'clopezvice__ArXiv-Scraper__dataset_arxiv_data.csv',
  'lthei__nlp-paper-search__data_arxiv_papers.json',
  'AmirYunus__IS6751_project_arxiv_classifier__data_arxiv_lite.csv',
];

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    'no-embed': { type: 'boolean' },
    'no-peer': { type: 'boolean' },
    json: { type: 'boolean' },
  },
});
/** Seconds and counts per size, printed as one JSON line with --json. */
const summary: { sizes: Record<string, unknown>[] } = { sizes: [] };
const figures = (r: BuildReport) => ({
  seconds: total(r) / 1000,
  papers: r.papers,
  similarEdges: r.similarEdges,
  citationEdges: r.citationEdges,
  clusters: r.clusters,
  stages: r.timings,
});
const cacheDir = path.join(os.tmpdir(), 'surveyor-bench-build');
fs.mkdirSync(cacheDir, { recursive: true });

/** Distinct fixture records, then mixtures of two abstracts of one field until there are `n`. */
async function corpus(n: number): Promise<MetadataRecord[]> {
  const seen = new Set<string>();
  const real: MetadataRecord[] = [];
  for (const f of FILES) {
    const file = path.join(ABSTRACTS, f);
    for (const r of await readMetadataFile(file, fs.readFileSync(file, 'utf8'))) {
      const key = r.arxivId ?? squash(r.title ?? '');
      if (!r.title || !r.abstract || seen.has(key)) continue;
      seen.add(key);
      real.push(r);
    }
  }
  const out = real.slice(0, n);
  const byField = new Map<string, MetadataRecord[]>();
  for (const r of real) {
    const field = r.categories[0] ?? '?';
    (byField.get(field) ?? byField.set(field, []).get(field)!).push(r);
  }
  for (let i = 0; out.length < n; i++) {
    const a = real[i % real.length];
    const peers = byField.get(a.categories[0] ?? '?')!;
    const b = peers[(i * 7919 + 13) % peers.length];
    const half = (s: string, first: boolean) => {
      const sentences = s.split(/(?<=[.!?])\s+/);
      const cut = Math.max(1, Math.floor(sentences.length / 2));

      return (first ? sentences.slice(0, cut) : sentences.slice(cut)).join(' ');
    };
    out.push({
      ...a,
      arxivId: null,
      doi: null,
      title: `${a.title} (mix ${i + 1})`,
      abstract: `${half(a.abstract!, true)} ${half(b.abstract!, false)}`,
    });
  }

  return out;
}

function writeJsonl(file: string, records: MetadataRecord[]): void {
  fs.writeFileSync(
    file,
    records
      .map((r) =>
        JSON.stringify({
          id: r.arxivId,
          title: r.title,
          abstract: r.abstract,
          authors: r.authors,
          categories: r.categories,
          year: r.year,
          doi: r.doi,
        }),
      )
      .join('\n') + '\n',
  );
}

/** Copies vectors from bench:cluster's cache for papers with the same title and abstract (the same embedded text). */
function seedEmbeddings(lib: Library): number {
  let copied = 0;
  const dir = path.join(os.tmpdir(), 'surveyor-bench-cluster');
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite')) : []) {
    lib.db.prepare('ATTACH DATABASE ? AS src').run(path.join(dir, name));
    try {
      copied += lib.db
        .prepare(
          `INSERT OR IGNORE INTO embeddings (paper_id, model, dim, vector, input_hash)
           SELECT p.id, e.model, e.dim, e.vector, e.input_hash FROM src.papers sp
             JOIN src.embeddings e ON e.paper_id = sp.id
             JOIN papers p ON p.title = sp.title AND p.abstract = sp.abstract`,
        )
        .run().changes;
    } finally {
      lib.db.prepare('DETACH DATABASE src').run();
    }
  }

  return copied;
}

const secs = (ms: number) => (ms / 1000).toFixed(1);
const total = (r: BuildReport) => Object.values(r.timings).reduce((a, b) => a + b, 0);
const stages = (r: BuildReport) =>
  Object.entries(r.timings)
    .map(([k, v]) => `${k} ${secs(v)}`)
    .join(', ');
const count = (lib: Library, sql: string) => (lib.db.prepare(sql).get() as { n: number }).n;

console.log(
  `Surveyor build benchmark on ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? '?'}); ` +
    'a shared machine, so figures are noisy.',
);
console.log('| papers | run | seconds | stages (s) |');
console.log('|---|---|---|---|');
for (const n of values.sizes!.split(',').map(Number)) {
  const records = await corpus(n + 100);
  const file = path.join(cacheDir, `build-${n}.sqlite`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const lib = openLibrary(file);
  const fig: Record<string, unknown> = { papers: n };
  summary.sizes.push(fig);
  const row = (what: string, r: BuildReport | number, extra = '') =>
    console.log(
      typeof r === 'number'
        ? `| ${n} | ${what} | ${secs(r)} | ${extra} |`
        : `| ${n} | ${what} | ${secs(total(r))} | ${stages(r)} |`,
    );

  const baseFile = path.join(cacheDir, `base-${n}.jsonl`);
  writeJsonl(baseFile, records.slice(0, n));
  let t0 = Date.now();
  const imported = await importFiles(lib, [baseFile]);
  fig.importSeconds = (Date.now() - t0) / 1000;
  row(`import (${imported.added.length} added)`, Date.now() - t0);

  const lexical = await buildGraph(lib, { embed: false, force: true });
  fig.tfidfBuild = figures(lexical);
  row('build, TF-IDF/LSA only (no vectors yet)', lexical);

  // Vectors of the same texts by the same encoder, made by bench:cluster, spare minutes of encoding here.
  const seeded = values['no-embed'] ? 0 : seedEmbeddings(lib);
  const papers = count(lib, 'SELECT count(*) AS n FROM papers');
  const complete = seeded === papers;
  if (seeded > 0) {
    const hybrid = await buildGraph(lib, { embed: false, force: true });
    fig.hybridBuild = { ...figures(hybrid), vectors: seeded };
    row(`build, hybrid (encoder vectors for ${seeded} of ${papers} papers)`, hybrid);
  }

  // With every vector present the embedding step is checked (and skipped) as in real use; otherwise
  // it would first encode the papers bench:cluster never embedded, which is not what is measured here.
  const unchanged = await buildGraph(lib, { embed: complete });
  fig.unchangedSeconds = total(unchanged) / 1000;
  row(`build again, nothing changed (up to date: ${unchanged.upToDate})`, unchanged);

  const before = readClusters(lib.db).byPaper;
  const extraFile = path.join(cacheDir, `extra-${n}.jsonl`);
  writeJsonl(extraFile, records.slice(n));
  await importFiles(lib, [extraFile]);
  // Seeded vectors carry the input hashes of bench:cluster's run, so the encoder would redo them all
  // here; the new papers' embedding is timed on its own below instead.
  const grown = await buildGraph(lib, { embed: false });
  const grownMap = readClusters(lib.db).byPaper;
  fig.grownBuild = { ...figures(grown), incremental: grown.incremental, foldedIn: grown.foldedIn };
  row(
    `build after importing 100 more papers (graph part; ${grown.incremental ? `incremental, ${grown.foldedIn} folded in` : 'full fit'})`,
    grown,
  );
  // The peer: the same grown library fitted whole, and how far the folded-in map is from it.
  const refit = await buildGraph(lib, { embed: false, force: true });
  const refitMap = readClusters(lib.db).byPaper;
  const ids = [...refitMap.keys()];
  const categories = readCategories(lib.db);
  const truth = ids.map((id) => categories.get(id)?.[0] ?? '?');
  const old = ids.filter((id) => before.has(id));
  const agree = {
    /** How much a whole refit reshuffles the topics the papers had before the 100 were added. */
    nmiRefitVsBefore: nmi(
      old.map((id) => before.get(id)!),
      old.map((id) => refitMap.get(id)!),
    ),
    nmiBetween: nmi(
      ids.map((id) => grownMap.get(id) ?? 0),
      ids.map((id) => refitMap.get(id)!),
    ),
    nmiIncremental: nmi(
      ids.map((id) => grownMap.get(id) ?? 0),
      truth,
    ),
    nmiFull: nmi(
      ids.map((id) => refitMap.get(id)!),
      truth,
    ),
  };
  fig.refitBuild = { ...figures(refit), ...agree };
  row(
    `peer: the same grown library fitted whole (${(total(refit) / Math.max(1, total(grown))).toFixed(1)}× the time of ` +
      `the build after +100; NMI between the two maps ${agree.nmiBetween.toFixed(3)}, between the refit and the topics before the ` +
      `100 ${agree.nmiRefitVsBefore.toFixed(3)}; NMI vs category ${agree.nmiIncremental.toFixed(3)} ` +
      `after +100, ${agree.nmiFull.toFixed(3)} fitted whole)`,
    refit,
  );
  if (!values['no-embed']) {
    // The embedding part of that step, timed alone: the same 100 papers in a library of their own.
    const alone = openLibrary(path.join(cacheDir, `extra-${n}.sqlite`));
    alone.db.exec('DELETE FROM papers');
    await importFiles(alone, [extraFile]);
    t0 = Date.now();
    const r = await embedLibrary(alone, {});
    fig.embed100Seconds = (Date.now() - t0) / 1000;
    row(`embedding those 100 papers (${r.embedded} embedded, ${r.provider})`, Date.now() - t0);
    alone.close();
  }

  if (!values['no-peer']) {
    const rows = lib.db
      .prepare("SELECT id, coalesce(title, '') || '. ' || coalesce(abstract, '') AS text FROM papers ORDER BY id")
      .all() as { id: number; text: string }[];
    const { vectors } = readEmbeddings(lib.db);
    const input = {
      ids: rows.map((r) => r.id),
      texts: rows.map((r) => r.text),
      encoder: vectors.size ? vectors : null,
    };
    const ann = await computeTopicMap(input, { exactLimit: 0 });
    const exact = await computeTopicMap(input, { exactLimit: Infinity });
    // How many of the exact neighbour pairs the approximate index found.
    const key = (e: { source: number; target: number }) =>
      `${Math.min(e.source, e.target)} ${Math.max(e.source, e.target)}`;
    const annPairs = new Set(ann.edges.map(key));
    const found = exact.edges.filter((e) => annPairs.has(key(e))).length / exact.edges.length;
    fig.peer = { exactKnnSeconds: exact.timings.knn / 1000, hnswKnnSeconds: ann.timings.knn / 1000, recall: found };
    console.log(
      `| ${n} | peer: kNN by all pairs ${secs(exact.timings.knn)} s vs HNSW ${secs(ann.timings.knn)} s ` +
        `(${(exact.timings.knn / Math.max(1, ann.timings.knn)).toFixed(1)}× faster; ` +
        `HNSW finds ${(100 * found).toFixed(1)}% of the exact edges) | | |`,
    );
  }
  lib.close();
}
if (values.json) console.log(JSON.stringify(summary));
