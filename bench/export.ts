/**
 * `npm run bench:export`: how long the outline export takes (Markdown, LaTeX with its .bib,
 * BibTeX, GraphML: what `surveyor survey` writes, plus BibTeX alone) on the 100 fixture papers,
 * and on the ~10,000-paper library that bench:build leaves in the temp folder when it is there.
 *
 * The fixture library is made once with the real pipeline (ingest, build with the default
 * encoder, classify) and cached in the temp folder; later runs reuse it. Papers are classified
 * before the export is timed (the classification is timed on its own), so the export figures are
 * the outline, its rendering and the atomic writes. The JSON format (the outline object written
 * as it is) runs as the baseline that the other formats add their rendering to; there is no
 * outside program that writes the same outline, so no peer ratio.
 *
 *   node dist/bench/export.js [--repeat N] [--large FILE|none] [--fresh] [--json]
 *
 * With --json the last line is one JSON object with the figures (for bench/all.ts's combined
 * table). A shared machine makes the figures noisy: each is the best of --repeat runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openLibrary, type Library } from '../db/library.js';
import { buildGraph } from '../graph/build.js';
import { ingestPaths } from '../ingest/ingest.js';
import { exportOutline, type ExportFormat } from '../survey/export.js';
import { classifyLibrary } from '../survey/taxonomy.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.resolve(process.env.SURVEYOR_FIXTURES ?? path.join(ROOT, '..', 'shared', 'fixtures'));
const CACHE = path.join(os.tmpdir(), 'surveyor-bench-export');
const BUILD_10K = path.join(os.tmpdir(), 'surveyor-bench-build', 'build-10000.sqlite');

/** The file each format writes; LaTeX also writes references.bib beside it. */
const FORMATS: [ExportFormat, string][] = [
  ['json', 'outline.json'],
  ['markdown', 'outline.md'],
  ['latex', 'outline.tex'],
  ['bibtex', 'library.bib'],
  ['graphml', 'graph.graphml'],
];

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' },
    large: { type: 'string' },
    fresh: { type: 'boolean' },
    json: { type: 'boolean' },
  },
});
const repeat = Math.max(1, Number(values.repeat));

interface LibraryFigures {
  library: string;
  papers: number;
  classifySeconds: number;
  /** Best seconds per format. */
  formats: Record<string, { seconds: number; bytes: number; files: number }>;
  /** Markdown + LaTeX (with its .bib) + BibTeX + GraphML, best runs added up; JSON left out. */
  totalSeconds: number;
  /** Resident-memory high-water mark of this process once this library was done. */
  peakRssMb: number;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const paperCount = (lib: Library) => (lib.db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
const seconds = (from: number) => (performance.now() - from) / 1000;

/** The 100 fixture PDFs through ingest and build (with the encoder), cached across runs. */
async function fixtureLibrary(): Promise<Library> {
  if (values.fresh) fs.rmSync(CACHE, { recursive: true, force: true });
  fs.mkdirSync(CACHE, { recursive: true });
  const lib = openLibrary(path.join(CACHE, 'library.sqlite'));
  if (paperCount(lib) < 100) {
    process.stderr.write('making the fixture library (once): ingest, embed, build…\n');
    const t0 = performance.now();
    const ingest = await ingestPaths(lib, [path.join(FIXTURES, 'pdfs')]);
    const build = await buildGraph(lib);
    process.stderr.write(
      `${ingest.added.length} added, ${ingest.failed.length} failed, ${build.clusters} clusters ` +
        `in ${seconds(t0).toFixed(0)} s\n`,
    );
  }

  return lib;
}

/** A private copy of another benchmark's library, so classifying and exporting never touch the original. */
async function copyOf(file: string): Promise<Library> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveyor-bench-export-large-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const copy = path.join(dir, 'library.sqlite');
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // SQLite's online backup gives a consistent copy even when the WAL holds recent writes.
    await src.backup(copy);
  } finally {
    src.close();
  }

  return openLibrary(copy);
}

async function measure(lib: Library, name: string, runs: number): Promise<LibraryFigures> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'surveyor-bench-export-out-'));
  try {
    let t0 = performance.now();
    await classifyLibrary(lib);
    const classifySeconds = seconds(t0);

    const formats: LibraryFigures['formats'] = {};
    for (let r = 0; r < runs; r++) {
      for (const [format, file] of FORMATS) {
        t0 = performance.now();
        const report = await exportOutline(lib, format, path.join(out, file), { classify: false });
        const s = seconds(t0);
        const bytes = report.files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
        const best = formats[format];
        if (!best || s < best.seconds) formats[format] = { seconds: s, bytes, files: report.files.length };
      }
    }
    const totalSeconds = (['markdown', 'latex', 'bibtex', 'graphml'] as const).reduce(
      (sum, f) => sum + formats[f].seconds,
      0,
    );

    return {
      library: name,
      papers: paperCount(lib),
      classifySeconds,
      formats,
      totalSeconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function print(f: LibraryFigures): void {
  console.log(`\n${f.library}: ${f.papers} papers; classify first ${f.classifySeconds.toFixed(2)} s`);
  console.log('| format | best seconds | bytes written |');
  console.log('|---|---|---|');
  for (const [format, x] of Object.entries(f.formats)) {
    const note = x.files > 1 ? ` (${x.files} files)` : format === 'json' ? ' (outline only: baseline)' : '';
    console.log(`| ${format}${note} | ${x.seconds.toFixed(3)} | ${x.bytes} |`);
  }
  console.log(`| markdown + latex + bibtex + graphml | ${f.totalSeconds.toFixed(3)} | |`);
  console.log(`peak RSS so far ${f.peakRssMb.toFixed(0)} MB; load ${load()}`);
}

async function main(): Promise<void> {
  console.log(`export benchmark, best of ${repeat}; load ${load()} (a shared machine: figures are noisy)`);
  const summary: { fixtures: LibraryFigures | null; large: LibraryFigures | null; largeSkipped: string | null } = {
    fixtures: null,
    large: null,
    largeSkipped: null,
  };

  const lib = await fixtureLibrary();
  try {
    summary.fixtures = await measure(lib, 'fixture library (100 PDFs)', repeat);
    print(summary.fixtures);
  } finally {
    lib.close();
  }

  const large = values.large ?? BUILD_10K;
  if (large === 'none') summary.largeSkipped = 'not asked for';
  else if (!fs.existsSync(large)) summary.largeSkipped = `no ${large} (run bench:build first)`;
  else {
    const big = await copyOf(large);
    try {
      // One run: the large export takes seconds, and the copy's first run is the realistic one.
      summary.large = await measure(big, `copy of ${large}`, 1);
      print(summary.large);
    } finally {
      big.close();
    }
  }
  if (summary.largeSkipped) console.log(`\nlarge library: skipped (${summary.largeSkipped})`);

  if (values.json) console.log(JSON.stringify(summary));
}

await main();
