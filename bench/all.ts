/**
 * `npm run bench`: every benchmark script in `bench/`, one after another, each in a child process
 * with `--json`, gathered into one table with the machine it ran on.
 *
 *   node dist/bench/all.js [--quick] [--only ingest,embed,...] [--update] [--write-readme] [--readme FILE]
 *                          [--from RESULTS.json] [--timeout SECONDS]
 *
 * Each step's figures are the JSON object that ends its script's output (on one line, or printed
 * over several). Peak memory is the largest total memory (PSS) of the step's process tree (the
 * script, its workers, a server or browser it starts), sampled from /proc four times a second, and
 * never less than the exact peak of its largest process as the kernel reports it to /usr/bin/time;
 * without either, the figure the script reports itself. A step whose script is missing, fails or
 * runs past its time shows as "n/a (reason)" and the others still run.
 *
 * --quick runs every step with small inputs (a smoke test of the scripts, figures not comparable);
 * the default uses the scripts' own inputs with fewer repeats. The results are saved as JSON in the
 * temp folder; --from renders a saved run again, and --update with --only measures those steps again
 * in place of their rows of the saved run. --write-readme replaces the part of README.md
 * between <!-- bench:start --> and <!-- bench:end --> (creating a "## Benchmarks" section if
 * needed) with the table.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const DIST = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(DIST, '../..');
const TIME = '/usr/bin/time';
/** The page size of /proc/PID/statm: 4 KiB on the x86-64 and arm64 Linux this runs on. */
const PAGE_BYTES = 4096;
const RESULTS = path.join(os.tmpdir(), 'surveyor-bench-all', 'latest.json');
/** Where bench/export.ts caches the fixture library. */
const EXPORT_LIBRARY = path.join(os.tmpdir(), 'surveyor-bench-export', 'library.sqlite');
export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

// Each script prints its own shape of figures; this file reads the fields it knows and prints the rest as they are.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

interface Step {
  id: string;
  /** The script in dist/bench/, without .js. */
  script: string;
  args: string[];
  quickArgs: string[] | null;
  /** Extra environment for the child, decided when the step starts. */
  env?: () => Record<string, string>;
}

export interface StepResult {
  id: string;
  command: string;
  ok: boolean;
  /** Why there are no figures (missing script, exit status, time-out, unreadable output). */
  reason?: string;
  figures?: Json;
  wallSeconds: number;
  /** Peak resident memory of the step in MB (see the header for how it is measured). */
  peakRssMb: number | null;
  /** group: the sampled PSS total of its process tree; time: its largest process; script: its own report. */
  peakRssFrom: 'group' | 'time' | 'script' | null;
  load: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  loadBefore: string;
  loadAfter: string;
  date: string;
  quick: boolean;
  /** Steps measured again later into the same results with --update, and when. */
  rerun?: string;
}

export interface Results {
  machine: Machine;
  steps: StepResult[];
  /** The steps the run meant to take, so a run stopped part-way shows what it never reached. */
  planned?: string[];
}

/**
 * The order matters: bench:cluster fills the vector caches that bench:build copies, and
 * bench:export classifies and exports the 10,000-paper library that bench:build leaves behind.
 */
const STEPS: Step[] = [
  { id: 'ingest', script: 'ingest', args: [], quickArgs: ['--limit', '6', '--workers', '2'] },
  {
    id: 'embed',
    script: 'embed',
    args: ['--repeat', '2'],
    quickArgs: ['--papers', '8', '--repeat', '1', '--peer-papers', '1'],
  },
  { id: 'cluster', script: 'cluster', args: ['--sets', 'dw,math'], quickArgs: ['--sets', 'dw', '--no-embed'] },
  { id: 'build-1k', script: 'build', args: ['--sizes', '1000'], quickArgs: ['--sizes', '1000', '--no-peer'] },
  // The all-pairs peer takes minutes at 10,000 papers; its ratio is shown at 1,000.
  { id: 'build-10k', script: 'build', args: ['--sizes', '10000', '--no-peer'], quickArgs: null },
  { id: 'export', script: 'export', args: ['--repeat', '2'], quickArgs: ['--repeat', '1', '--large', 'none'] },
  {
    id: 'graph-load',
    script: 'graph-load',
    args: [],
    quickArgs: [],
    // bench:export's cached fixture library is ingested and built already: it spares the ingest here.
    env: (): Record<string, string> =>
      fs.existsSync(EXPORT_LIBRARY) ? { SURVEYOR_BENCH_FIXTURE_LIBRARY: EXPORT_LIBRARY } : {},
  },
  // Extraction's share of ingest and the classifier's quality last: the issue's figures come first.
  { id: 'extract', script: 'extract', args: ['--repeat', '1'], quickArgs: ['--limit', '6', '--repeat', '1'] },
  { id: 'taxonomy', script: 'taxonomy-eval', args: ['--draws', '5'], quickArgs: ['--draws', '1'] },
];

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function machine(quick: boolean): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGb: os.totalmem() / 2 ** 30,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadBefore: loadAverage(),
    loadAfter: '',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    quick,
  };
}

/**
 * The JSON object that ends the output: its last line, or, when the script printed it indented over
 * several lines, the text from the last line that is a lone "{" on. Null when the output ends otherwise.
 */
export function lastJsonLine(stdout: string): Json | null {
  const lines = stdout.trimEnd().split('\n');
  const last = lines[lines.length - 1]?.trim() ?? '';
  const parse = (text: string) => {
    try {
      const value: unknown = JSON.parse(text);

      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
    } catch {
      return null;
    }
  };
  if (last.startsWith('{')) return parse(last);
  if (last !== '}') return null;
  const open = lines.lastIndexOf('{');

  return open >= 0 ? parse(lines.slice(open).join('\n')) : null;
}

/**
 * Memory in MB of a process and all its descendants, from /proc (Linux); null elsewhere. Each
 * process counts its proportional set size (PSS: a page shared by k processes counts 1/k in each,
 * so Chromium's many processes are not counted over and over), or its resident set where PSS
 * cannot be read. Descendants, not the process group: Playwright starts Chromium in a group of its own.
 */
function treeRssMb(root: number): number | null {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    try {
      // The fields after the command name (which may hold spaces and parentheses): state, ppid, ...
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let kb = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    kb += processKb(pid);
    todo.push(...(children.get(pid) ?? []));
  }

  return kb / 1024;
}

/** PSS of one process in kB from smaps_rollup, else its RSS from statm; 0 once it has ended. */
function processKb(pid: number): number {
  try {
    const pss = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (pss) return Number(pss[1]);
  } catch {
    // No smaps_rollup (Linux before 4.14) or no permission: the resident set below.
  }
  try {
    return (Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES) / 1024;
  } catch {
    return 0;
  }
}

const haveTime = () => spawnSync(TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;

/** Runs one script as a child process, echoing its output to stderr, and reads its figures. */
async function runStep(step: Step, quick: boolean, timeoutS: number, useTime: boolean): Promise<StepResult> {
  const script = path.join(DIST, `${step.script}.js`);
  const args = [...((quick ? step.quickArgs : step.args) ?? []), '--json'];
  const command = `node dist/bench/${step.script}.js ${args.join(' ')}`;
  const load = loadAverage();
  const base = { id: step.id, command, wallSeconds: 0, peakRssMb: null, peakRssFrom: null, load } as const;
  if (quick && step.quickArgs === null) return { ...base, ok: false, reason: 'skipped with --quick' };
  if (!fs.existsSync(script)) return { ...base, ok: false, reason: `no bench/${step.script}.ts yet` };

  const timeFile = path.join(os.tmpdir(), `surveyor-bench-all-${process.pid}-${step.id}.time`);
  const [cmd, argv] = useTime
    ? [TIME, ['-f', '%M', '-o', timeFile, process.execPath, script, ...args]]
    : [process.execPath, [script, ...args]];
  process.stderr.write(`\n== ${step.id}: ${command} (load ${load})\n`);
  const started = performance.now();
  // Its own process group, so a time-out ends the script and whatever it started (workers, a browser).
  const env = { ...process.env, ...step.env?.() };
  const child = spawn(cmd, argv, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    process.stderr.write(d);
  });
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  let groupPeak: number | null = null;
  const sampler = setInterval(() => {
    const mbNow = treeRssMb(child.pid!);
    if (mbNow !== null && mbNow > 0) groupPeak = Math.max(groupPeak ?? 0, mbNow);
  }, 250);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, timeoutS * 1000);
  const status = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  clearInterval(sampler);
  const wallSeconds = (performance.now() - started) / 1000;

  let peakRssMb: number | null = null;
  let peakRssFrom: StepResult['peakRssFrom'] = null;
  if (useTime && fs.existsSync(timeFile)) {
    // The last line holds %M; earlier lines say "Command exited with non-zero status N".
    const kb = Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop());
    fs.rmSync(timeFile, { force: true });
    if (kb > 0) [peakRssMb, peakRssFrom] = [kb / 1024, 'time'];
  }
  if (groupPeak !== null && groupPeak > (peakRssMb ?? 0)) [peakRssMb, peakRssFrom] = [groupPeak, 'group'];
  const after = `${load} → ${loadAverage()}`;
  const done: StepResult = { ...base, ok: false, wallSeconds, peakRssMb, peakRssFrom, load: after };
  if (timedOut) return { ...done, ok: false, reason: `timed out after ${timeoutS} s` };
  if (status !== 0) return { ...done, ok: false, reason: `exit status ${status}` };
  const figures = lastJsonLine(stdout);
  if (!figures) return { ...done, ok: false, reason: 'its output does not end with JSON figures' };
  if (peakRssMb === null && typeof figures.peakRssMb === 'number') {
    [done.peakRssMb, done.peakRssFrom] = [figures.peakRssMb, 'script'];
  }

  return { ...done, ok: true, figures };
}

// Formatting -------------------------------------------------------------------------------------

const n = (x: unknown, digits = 1): string =>
  typeof x === 'number' && Number.isFinite(x)
    ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';
const int = (x: unknown) => n(x, 0);
const mb = (r: StepResult) =>
  r.peakRssMb === null ? 'n/a' : `${int(r.peakRssMb)} MB${r.peakRssFrom === 'script' ? ' (script)' : ''}`;

interface Row {
  what: string;
  result: string;
  peer: string;
  /** This row's own peak memory, where the step measures it per row. */
  memory?: string;
}

/** Top-level numbers and strings of a script's figures, for a step this file has no layout for. */
function generic(f: Json): string {
  return Object.entries(f)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .map(([k, v]) => `${k} ${typeof v === 'number' ? n(v, Number.isInteger(v) ? 0 : 2) : String(v)}`)
    .join(', ');
}

function buildRow(label: string, f: Json): Row {
  const size = (f.sizes as Json[] | undefined)?.[0];
  if (!size) return { what: label, result: generic(f), peer: '' };
  const main = size.hybridBuild ?? size.tfidfBuild;
  const kind = size.hybridBuild
    ? `hybrid (encoder vectors for ${int(size.hybridBuild.vectors)} of ${int(size.hybridBuild.papers)})`
    : 'TF-IDF/LSA only';
  const result =
    `${n(main?.seconds)} s cold, ${kind}: ${int(main?.similarEdges)} similarity edges, ` +
    `${int(main?.clusters)} clusters; TF-IDF/LSA only ${n(size.tfidfBuild?.seconds)} s; ` +
    `+100 papers ${n(size.grownBuild?.seconds)} s (graph, ` +
    `${size.grownBuild?.incremental ? 'incremental' : 'full fit'}) + ${n(size.embed100Seconds)} s (embedding); ` +
    `import ${n(size.importSeconds)} s`;
  const refit = size.refitBuild
    ? `the grown library fitted whole ${n(size.refitBuild.seconds)} s; NMI vs category ` +
      `${n(size.refitBuild.nmiIncremental, 3)} after +100 vs ${n(size.refitBuild.nmiFull, 3)} fitted whole`
    : '';
  const knnPeer = size.peer
    ? `kNN over all pairs ${n(size.peer.exactKnnSeconds)} s vs HNSW ${n(size.peer.hnswKnnSeconds)} s ` +
      `(${n(size.peer.exactKnnSeconds / size.peer.hnswKnnSeconds)}×; HNSW finds ` +
      `${n(100 * size.peer.recall)}% of the exact edges)`
    : 'all-pairs kNN peer not run at this size';
  const peer = refit ? `${refit}; ${knnPeer}` : knnPeer;

  return { what: label, result, peer };
}

function exportRow(label: string, x: Json | null | undefined, skipped?: string): Row {
  if (!x) return { what: label, result: `n/a (${skipped ?? 'no figures'})`, peer: '' };
  const f = x.formats as Record<string, { seconds: number }>;

  return {
    what: `${label}, ${int(x.papers)} papers`,
    result:
      `${n(x.totalSeconds, 2)} s for Markdown + LaTeX + BibTeX + GraphML ` +
      `(${['markdown', 'latex', 'bibtex', 'graphml'].map((k) => `${k} ${n(f[k]?.seconds, 2)}`).join(', ')}); ` +
      `classifying first ${n(x.classifySeconds, 1)} s`,
    peer: `JSON outline alone (baseline) ${n(f.json?.seconds, 2)} s`,
  };
}

/** One or more table rows per step; a failed step gives one "n/a (reason)" row. */
function rowsOf(r: StepResult): { rows: Row[]; memory: string; wall: string } {
  const memory = mb(r);
  const wall = `${int(r.wallSeconds)} s`;
  const labels: Record<string, string> = {
    ingest: 'Ingest, fixture PDFs',
    extract: 'Metadata + reference extraction',
    embed: 'Embedding, fixture abstracts',
    cluster: 'Topic map quality (NMI vs arXiv category)',
    'build-1k': 'Build (graph + clusters), 1,000 papers',
    'build-10k': 'Build (graph + clusters), 10,000 papers',
    taxonomy: 'Direction classifier, 100 fixture papers',
    export: 'Outline export',
    'graph-load': 'Graph load, headless Chromium',
  };
  const label = labels[r.id] ?? r.id;
  if (!r.ok || !r.figures) return { rows: [{ what: label, result: `n/a (${r.reason})`, peer: '' }], memory, wall };
  const f = r.figures;

  switch (r.id) {
    case 'ingest':
      return {
        rows: [
          {
            what: `${label} (${int(f.pdfs)} PDFs, one worker per core)`,
            result:
              `${n(f.pdfsPerSec, 2)} PDFs/s, ${n(f.pagesPerSec)} pages/s` +
              (f.speedupOverOneCore
                ? ` (${n(f.speedupOverOneCore, 2)}× over 1 worker on 1 core; ` +
                  `${n(f.speedup, 2)}× over 1 worker free to use both)`
                : f.speedup
                  ? ` (${n(f.speedup, 2)}× over 1 worker)`
                  : ''),
            peer:
              f.ratioToPdftotext === null
                ? 'pdftotext not installed'
                : `pdftotext ${n(f.pdftotextPagesPerSec)} pages/s; ratio ${n(f.ratioToPdftotext, 2)}` +
                  (f.speedupOverStockPdfjs
                    ? `; stock pdf.js worker ${n(f.stockPdfjsPdfsPerSec, 2)} PDFs/s (text-only ${n(f.speedupOverStockPdfjs, 2)}× it)`
                    : ''),
          },
        ],
        memory,
        wall,
      };
    case 'extract':
      return {
        rows: [
          {
            what: `${label} (${int(f.pdfs)} PDFs)`,
            result: `${n(f.extractMsPerPaper)} ms per paper (median ${n(f.medianMs)} ms)`,
            peer: `pdf.js text ${n(f.pdfjsMsPerPaper)} ms per paper; ratio ${n(f.ratioToPdfjs, 2)}`,
          },
        ],
        memory,
        wall,
      };
    case 'embed':
      return {
        rows: [
          {
            what: `${label} (${int(f.papers)} abstracts, ${f.provider})`,
            result: `${n(f.abstractsPerSec)} abstracts/s end to end (batch ${f.bestBatch})`,
            peer:
              `raw ONNX Runtime ${n(f.rawAbstractsPerSec)}/s (ratio ${n(f.ratioToRaw, 2)}); ` +
              (f.tfjsAbstractsPerSec === null
                ? 'TF.js original not run'
                : `TF.js original ${n(f.tfjsAbstractsPerSec, 2)}/s on ${int(f.tfjsPapers)} ` +
                  `(${int(f.ratioToTfjs)}× faster)`),
          },
        ],
        memory,
        wall,
      };
    case 'cluster':
      return {
        rows: (f.sets as Json[]).map((s) => {
          const scores = s.scores as Json[];
          const hybrid =
            scores.find((x) => String(x.similarity).includes('(default)')) ??
            scores.find((x) => String(x.similarity).startsWith('hybrid'));
          const peer = scores.find((x) => String(x.similarity).includes('peer'));

          return {
            what: `${label}, ${s.set} set (${int(s.papers)} papers)`,
            result: hybrid
              ? `NMI ${n(hybrid.nmi, 3)}, ARI ${n(hybrid.ari, 3)} (${hybrid.similarity})`
              : 'no encoder vectors',
            peer: peer ? `TF-IDF alone: NMI ${n(peer.nmi, 3)}, ARI ${n(peer.ari, 3)}` : '',
          };
        }),
        memory,
        wall,
      };
    case 'build-1k':
    case 'build-10k':
      return { rows: [buildRow(label, f)], memory, wall };
    case 'taxonomy':
      return {
        rows: [
          {
            what: label,
            result:
              `macro-F1 ${n(f.macroF1, 3)} (held-out half ${n(f.heldOutMacroF1, 3)}), ` +
              `accuracy ${n(100 * f.accuracy)}%`,
            peer:
              'after 5 corrections per direction: macro-F1 ' +
              `${f.correctionGainMacroF1 >= 0 ? '+' : ''}${n(f.correctionGainMacroF1, 3)} on the other papers`,
          },
        ],
        memory,
        wall,
      };
    case 'export':
      // One process exports both libraries: the fixture row shows its high-water mark when it was done,
      // the 10k row the whole step's.
      return {
        rows: [
          { ...exportRow(`${label}, fixture library`, f.fixtures), memory: `${int(f.fixtures?.peakRssMb)} MB` },
          {
            ...exportRow(`${label}, 10k library`, f.large, f.largeSkipped ?? undefined),
            memory: f.large ? memory : 'n/a',
          },
        ],
        memory,
        wall,
      };
    case 'graph-load':
      if (!Array.isArray(f.libraries)) break;
      return {
        rows: (f.libraries as Json[]).map((x) => ({
          what: `${label}, ${x.library} (${int(x.papers)} papers, ${int(x.edges)} edges)`,
          result:
            `${int(x.loadMs)} ms to the laid-out graph (layout ${int(x.layoutMs)} ms); frame p50/p95 ` +
            `pan ${n(x.pan?.p50)}/${n(x.pan?.p95)} ms, zoom ${n(x.zoom?.p50)}/${n(x.zoom?.p95)} ms`,
          peer:
            `cytoscape's cose layout${x.coseIterations ? ` (${x.coseIterations} iterations)` : ''} ` +
            `${int(x.coseMs)} ms (ratio ${n(x.layoutMs / x.coseMs, 2)})`,
        })),
        memory,
        wall,
      };
  }

  return { rows: [{ what: label, result: generic(f), peer: '' }], memory, wall };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function machineLine(m: Machine): string {
  return (
    `${m.cpu}, ${m.cores} cores, ${n(m.memoryGb, 0)} GB memory, Node ${m.node}, ${m.os}; ` +
    `started ${m.date.replace('T', ' ').replace('Z', ' UTC')}; ` +
    `load average ${m.loadBefore} before, ${m.loadAfter} after${m.quick ? '; --quick (small inputs)' : ''}` +
    (m.rerun ? `; measured again: ${m.rerun}` : '')
  );
}

export function renderTable(results: Results): string {
  const lines = [
    '| benchmark | result | peer / ratio | peak memory | wall |',
    '|---|---|---|---|---|',
  ];
  const notReached = (id: string): StepResult => ({
    ...{ id, command: '', ok: false, reason: 'not reached: the run was stopped before it' },
    ...{ wallSeconds: 0, peakRssMb: null, peakRssFrom: null, load: '' },
  });
  const steps = (results.planned ?? results.steps.map((s) => s.id)).map(
    (id) => results.steps.find((s) => s.id === id) ?? notReached(id),
  );
  for (const r of steps) {
    const { rows, memory, wall } = rowsOf(r);
    rows.forEach((row, i) => {
      const rowMemory = row.memory ?? (i === 0 ? memory : '″');
      const rowWall = i === 0 ? wall : '″';
      lines.push(`| ${cell(row.what)} | ${cell(row.result)} | ${cell(row.peer)} | ${rowMemory} | ${rowWall} |`);
    });
  }

  return `${lines.join('\n')}\n\nMachine: ${machineLine(results.machine)}.\n`;
}

const README_INTRO = `## Benchmarks

\`npm run bench\` runs every script in \`bench/\` in turn, each in a child process with \`--json\`, and
prints one table; \`npm run bench -- --write-readme\` puts it here (\`--quick\` is a smoke test with small
inputs, \`--only ingest,embed\` picks steps). Each script also runs alone and prints more detail than
the table holds: \`npm run bench:ingest\`, \`bench:extract\`, \`bench:embed\`, \`bench:cluster\`,
\`bench:build\`, \`bench:export\`, \`bench:ui\` (graph load) and \`eval:taxonomy\`.

- Ingest: the 100 fixture PDFs into a fresh library (read, extract, store), one worker and one per
  core; the peers are poppler's \`pdftotext\` on the same files with the same parallelism, and the
  same ingest with pdf.js's stock worker bundle instead of the build's text-only copy.
- Embedding: fixture abstracts through the whole step (windows, tokenizer, ONNX Runtime, SQLite); the
  peers are ONNX Runtime alone on the same token batches and the TensorFlow.js original model.
- Build: \`surveyor build\` (similarity graph and clusters) on 1,000 and 10,000 papers made from the
  fixture metadata sets; the peer is an exact all-pairs kNN beside the HNSW index.
- Outline export: Markdown, LaTeX, BibTeX and GraphML of the fixture library and of the 10,000-paper
  build library, each paper classified first (timed apart).
- Graph load: \`surveyor serve\` and its page in headless Chromium (software rendering), from
  navigation to the laid-out graph; the peer is cytoscape's stock \`cose\` layout on the same graph.
- Peak memory: the largest total memory of the step's processes (script, workers, server, browser;
  proportional set size, so pages they share count once), sampled four times a second, and at least
  the exact peak resident set of the largest one from \`/usr/bin/time\`. Times are wall-clock seconds.
  The machine is shared with other work, so the figures are noisy: the load average is given with them.
`;

/** Replaces the text between the markers, or appends a Benchmarks section holding them. */
export function replaceSection(readme: string, table: string): string {
  const block = `${START}\n${table.trimEnd()}\n${END}`;
  const at = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (at >= 0 && end > at) return readme.slice(0, at) + block + readme.slice(end + END.length);

  return `${readme.trimEnd()}\n\n${README_INTRO}\n${block}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      'write-readme': { type: 'boolean' },
      readme: { type: 'string', default: path.join(ROOT, 'README.md') },
      from: { type: 'string' },
      update: { type: 'boolean' },
      timeout: { type: 'string', default: '1500' },
    },
  });
  let results: Results;
  if (values.from) {
    results = JSON.parse(fs.readFileSync(values.from, 'utf8')) as Results;
  } else {
    const quick = values.quick === true;
    const only = values.only?.split(',');
    const unknown = only?.filter((id) => !STEPS.some((s) => s.id === id));
    if (unknown?.length) {
      const ids = STEPS.map((s) => s.id).join(', ');
      process.stderr.write(`bench: unknown step ${unknown.join(', ')}; the steps are ${ids}\n`);
      process.exitCode = 2;
      return;
    }
    const timeout = Number(values.timeout);
    const useTime = haveTime();
    if (!useTime) {
      process.stderr.write(`bench: ${TIME} not found (apt-get install time); peak memory as the scripts report it\n`);
    }
    const planned = STEPS.filter((s) => !only || only.includes(s.id));
    results = { machine: machine(quick), steps: [], planned: planned.map((s) => s.id) };
    if (values.update && fs.existsSync(RESULTS)) {
      // Measure the chosen steps again and put them in place of their rows in the saved run.
      const saved = JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Results;
      const now = new Date().toISOString().slice(11, 16);
      const rerun = `${planned.map((s) => s.id).join(', ')} at ${now} UTC (load ${loadAverage()})`;
      saved.machine.rerun = saved.machine.rerun ? `${saved.machine.rerun}; ${rerun}` : rerun;
      results = saved;
    }
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    for (const step of planned) {
      const r = await runStep(step, quick, timeout, useTime);
      const at = results.steps.findIndex((x) => x.id === r.id);
      if (at >= 0) results.steps[at] = r;
      else results.steps.push(r);
      // Saved after every step, so a run stopped part-way can still be shown with --from.
      if (!results.machine.rerun) results.machine.loadAfter = loadAverage();
      fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2));
    }
    process.stderr.write(`\nresults saved in ${RESULTS}\n`);
  }

  const table = renderTable(results);
  process.stdout.write(`\n${table}`);
  if (values['write-readme']) {
    const file = path.resolve(values.readme!);
    // Read just before writing: other people edit the README too.
    fs.writeFileSync(file, replaceSection(fs.readFileSync(file, 'utf8'), table));
    process.stderr.write(`wrote the table into ${file}\n`);
  }
}

// Run only as a script, so tests can import the formatting functions.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
