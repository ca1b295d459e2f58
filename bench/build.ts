/**
 * `npm run bench:build`: how long `surveyor build` takes on 1,000 and 10,000
 * papers, cold and incremental, beside the all-pairs kNN it avoids (the peer).
 *
 * The papers are the fixture abstracts (dw-dengwei JSONL, clopezvice math CSV,
 * lthei JSON, AmirYunus CSV), deduplicated; above the ~6,400 distinct records
 * they hold, further papers are made by joining the first half of one abstract
 * to the second half of another of the same field (marked "(mix N)" in their
 * titles), so the text keeps the statistics of real abstracts.
 *
 * Libraries are cached in the temp folder with their embeddings: the first run
 * embeds every paper (minutes on a CPU), later runs reuse the vectors.
 * Options: --sizes 1000,10000  --no-embed  --no-peer
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLibrary, type Library } from '../db/library.js';
import { buildGraph, type BuildReport } from '../graph/build.js';
import { readMetadataFile, type MetadataRecord } from '../graph/formats.js';
import { importFiles } from '../graph/import.js';
import { computeTopicMap } from '../graph/topics.js';
import { squash } from '../graph/text.js';
import { readEmbeddings } from '../db/embeddings.js';

const FIXTURES = path.resolve(process.env.SURVEYOR_FIXTURES ?? path.join(path.dirname(new URL(import.meta.url).pathname), '../../..', 'shared', 'fixtures'));
const ABSTRACTS = path.join(FIXTURES, 'abstracts');
const FILES = [
  'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-04-15.jsonl',
  'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-05-27.jsonl',
  'clopezvice__ArXiv-Scraper__dataset_arxiv_data.csv',
  'lthei__nlp-paper-search__data_arxiv_papers.json',
  'AmirYunus__IS6751_project_arxiv_classifier__data_arxiv_lite.csv',
];

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' }, 'no-embed': { type: 'boolean' }, 'no-peer': { type: 'boolean' } } });
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
    out.push({ ...a, arxivId: null, doi: null, title: `${a.title} (mix ${i + 1})`, abstract: `${half(a.abstract!, true)} ${half(b.abstract!, false)}` });
  }

  return out;
}

function writeJsonl(file: string, records: MetadataRecord[]): void {
  fs.writeFileSync(file, records.map((r) => JSON.stringify({ id: r.arxivId, title: r.title, abstract: r.abstract, authors: r.authors, categories: r.categories, year: r.year, doi: r.doi })).join('\n') + '\n');
}

/** Copies vectors from the cluster benchmark's cache for papers with the same title and abstract (same embedded text). */
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
const stages = (r: BuildReport) => Object.entries(r.timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ');

console.log(`Surveyor build benchmark on ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? '?'}); a shared machine, so figures are noisy.`);
console.log('| papers | run | seconds | stages (s) |');
console.log('|---|---|---|---|');
for (const n of values.sizes!.split(',').map(Number)) {
  const records = await corpus(n + 100);
  const base = records.slice(0, n);
  const extra = records.slice(n);
  const file = path.join(cacheDir, `build-${n}.sqlite`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const cachedVectors = path.join(cacheDir, `vectors-${n}.sqlite`);
  const lib = openLibrary(file);

  const baseFile = path.join(cacheDir, `base-${n}.jsonl`);
  writeJsonl(baseFile, base);
  let t0 = Date.now();
  const imported = await importFiles(lib, [baseFile]);
  console.log(`| ${n} | import (${imported.added.length} added) | ${secs(Date.now() - t0)} | |`);

  const cold = await buildGraph(lib, { embed: false, force: true });
  console.log(`| ${n} | build, TF-IDF/LSA only (no vectors) | ${secs(total(cold))} | ${stages(cold)} |`);

  if (!values['no-embed']) {
    // Vectors from an earlier run of this benchmark (or of bench:cluster) spare minutes of encoding.
    if (fs.existsSync(cachedVectors)) {
      lib.db.prepare('ATTACH DATABASE ? AS src').run(cachedVectors);
      lib.db.prepare(`INSERT OR IGNORE INTO embeddings SELECT p.id, e.model, e.dim, e.vector, e.input_hash, e.created_at
        FROM src.vectors e JOIN papers p ON p.title = e.title`).run();
      lib.db.prepare('DETACH DATABASE src').run();
    }
    seedEmbeddings(lib);
    t0 = Date.now();
    const embedded = await buildGraph(lib, { force: true });
    console.log(`| ${n} | build with the encoder (embedded ${embedded.embedded} not cached) | ${secs(total(embedded))} | ${stages(embedded)} |`);
    fs.rmSync(cachedVectors, { force: true });
    lib.db.prepare('ATTACH DATABASE ? AS dst').run(cachedVectors);
    lib.db.exec(`CREATE TABLE dst.vectors AS SELECT p.title, e.model, e.dim, e.vector, e.input_hash, e.created_at FROM embeddings e JOIN papers p ON p.id = e.paper_id`);
    lib.db.prepare('DETACH DATABASE dst').run();

    const hybrid = await buildGraph(lib, { force: true });
    console.log(`| ${n} | build, hybrid, all vectors present | ${secs(total(hybrid))} | ${stages(hybrid)} |`);
  }

  const unchanged = await buildGraph(lib, { embed: !values['no-embed'] });
  console.log(`| ${n} | build again, nothing changed (up to date: ${unchanged.upToDate}) | ${secs(total(unchanged))} | ${stages(unchanged)} |`);

  const extraFile = path.join(cacheDir, `extra-${n}.jsonl`);
  writeJsonl(extraFile, extra);
  await importFiles(lib, [extraFile]);
  const grown = await buildGraph(lib, { embed: !values['no-embed'] });
  console.log(`| ${n} | build after importing 100 more papers (embedded ${grown.embedded}) | ${secs(total(grown))} | ${stages(grown)} |`);

  if (!values['no-peer']) {
    const rows = lib.db.prepare("SELECT id, coalesce(title, '') || '. ' || coalesce(abstract, '') AS text FROM papers ORDER BY id").all() as { id: number; text: string }[];
    const { vectors } = readEmbeddings(lib.db);
    const input = { ids: rows.map((r) => r.id), texts: rows.map((r) => r.text), encoder: vectors.size ? vectors : null };
    const ann = computeTopicMap(input, { exactLimit: 0 });
    const exact = computeTopicMap(input, { exactLimit: Infinity });
    // How many of the exact neighbour pairs the approximate index found.
    const key = (e: { source: number; target: number }) => `${Math.min(e.source, e.target)} ${Math.max(e.source, e.target)}`;
    const annPairs = new Set(ann.edges.map(key));
    const found = exact.edges.filter((e) => annPairs.has(key(e))).length / exact.edges.length;
    console.log(
      `| ${n} | peer: kNN by all pairs ${secs(exact.timings.knn)} s vs HNSW ${secs(ann.timings.knn)} s ` +
        `(ratio ${(exact.timings.knn / Math.max(1, ann.timings.knn)).toFixed(1)}×, HNSW edge recall ${found.toFixed(3)}) | | |`,
    );
  }
  lib.close();
}
