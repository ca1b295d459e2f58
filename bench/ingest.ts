/**
 * `npm run bench:ingest`: ingests the fixture PDFs into a fresh temporary
 * library with 1 worker and with one worker per core, and prints PDFs/s,
 * pages/s, CPU use and peak memory (this process and its worker processes);
 * where poppler's `pdftotext` is installed, runs it over the same files with
 * the same parallelism and prints the ratio.
 *
 *   node dist/bench/ingest.js [--repeat N] [--limit N] [--workers 1,2] [--dir FOLDER] [--json]
 *                             [--no-pdftotext] [--no-one-core] [--no-stock]
 *
 * Where `taskset` exists it also runs one worker held to one core, in a child process:
 * the peer for "two cores give close to twice one core's speed".
 *
 * It also runs one worker per core with pdf.js's stock worker bundle instead of the build's
 * text-only copy (scripts/patch-pdfjs.mjs): the peer that shows what the patch gains.
 *
 * With --json the last line is one JSON object with the figures (for a combined table).
 *
 * Figures on a shared machine are noisy: the load average before and after each
 * run is printed, and with --repeat the best and the median are shown.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { processRssMb } from '../core/worker-pool.js';
import { openLibrary } from '../db/library.js';
import { ingestPaths } from '../ingest/ingest.js';
import { workerBundle } from '../ingest/pdf-text.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.resolve(process.env.SURVEYOR_FIXTURES ?? path.join(ROOT, '..', 'shared', 'fixtures'));

interface Run {
  label: string;
  seconds: number;
  /** CPU seconds used (all threads; for pdftotext, its processes). */
  cpu: number;
  pdfs: number;
  pages: number;
  peakRssMb: number;
  load: string;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

/** This process's children (the parse workers), from /proc; none where there is no /proc. */
function childPids(): number[] {
  try {
    return fs
      .readdirSync('/proc/self/task')
      .flatMap((tid) => fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Polls resident memory of this process and its parse workers, in MB, until stopped. */
function watchRss(): () => number {
  const now = () => process.memoryUsage.rss() / 2 ** 20 + childPids().reduce((mb, p) => mb + (processRssMb(p) ?? 0), 0);
  let peak = now();
  const t = setInterval(() => (peak = Math.max(peak, now())), 25);

  return () => {
    clearInterval(t);

    return Math.max(peak, now());
  };
}

async function ingestRun(files: string[], workers: number): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveyor-bench-'));
  try {
    const lib = openLibrary(path.join(dir, 'library.sqlite'));
    const load = loadAverage();
    const stop = watchRss();
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const w0 = childrenCpu();
    const report = await ingestPaths(lib, files, { workers });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const used = process.cpuUsage(c0);
    // This process's CPU plus that of its parse workers (counted once they have exited).
    const cpu = (used.user + used.system) / 1e6 + (childrenCpu() - w0);
    const peakRssMb = stop();
    const pages = (lib.db.prepare('SELECT coalesce(sum(pages), 0) AS n FROM papers').get() as { n: number }).n;
    lib.close();
    if (report.failed.length) console.error(`  ${report.failed.length} failed: ${report.failed[0].error}`);

    const label = `surveyor, ${workers} worker${workers > 1 ? 's' : ''}`;

    return { label, seconds, cpu, pdfs: report.added.length, pages, peakRssMb, load: `${load} → ${loadAverage()}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds used by this process's finished children (Linux /proc; NaN elsewhere). */
function childrenCpu(): number {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');

    // Fields 16 and 17 of stat (cutime, cstime), counted after the ") " that ends the name, in 1/100 s.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

/** Runs `pdftotext FILE -` over the files, `parallel` at a time, like the ingest workers. */
async function pdftotextRun(files: string[], parallel: number, pages: number): Promise<Run> {
  const load = loadAverage();
  const t0 = process.hrtime.bigint();
  const c0 = childrenCpu();
  let next = 0;
  const one = (file: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('pdftotext', ['-q', '-enc', 'UTF-8', file, '-'], { stdio: ['ignore', 'ignore', 'ignore'] });
      child.on('error', reject);
      child.on('close', () => resolve());
    });
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < files.length) await one(files[next++]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const label = `pdftotext, ${parallel} at a time`;
  const cpu = childrenCpu() - c0;

  return { label, seconds, cpu, pdfs: files.length, pages, peakRssMb: NaN, load: `${load} → ${loadAverage()}` };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);

  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function row(label: string, runs: Run[]): string {
  const pdfRates = runs.map((r) => r.pdfs / r.seconds);
  const pageRates = runs.map((r) => r.pages / r.seconds);
  const mem = Math.max(...runs.map((r) => r.peakRssMb));
  const perCpu = Math.max(...runs.map((r) => r.pages / r.cpu));
  const best = Math.max(...pdfRates);
  const spread =
    runs.length > 1 ? ` (median ${median(pdfRates).toFixed(2)}, worst ${Math.min(...pdfRates).toFixed(2)})` : '';

  return (
    `${label.padEnd(26)} ${best.toFixed(2).padStart(6)} PDFs/s${spread}  ` +
    `${Math.max(...pageRates).toFixed(1).padStart(6)} pages/s  ${perCpu.toFixed(1)} pages/CPU-s  ` +
    `${Number.isNaN(mem) ? '' : `peak RSS ${mem.toFixed(0)} MB  `}load ${runs.map((r) => r.load).join(' | ')}`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeat: { type: 'string', default: '1' },
      limit: { type: 'string' },
      workers: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean' },
      'no-pdftotext': { type: 'boolean' },
      'no-one-core': { type: 'boolean' },
      'no-stock': { type: 'boolean' },
    },
  });
  const dir = values.dir ?? path.join(FIXTURES, 'pdfs');
  let files = fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((f) => path.join(dir, f));
  if (values.limit) files = files.slice(0, Number(values.limit));
  const cores = os.availableParallelism();
  const counts = values.workers ? values.workers.split(',').map(Number) : [...new Set([1, cores])];
  const repeat = Math.max(1, Number(values.repeat));

  console.log(`ingest benchmark: ${files.length} PDFs from ${dir}`);
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(0)} GB`;
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, ${memory}, Node ${process.version}`);
  console.log(`pdf.js worker: ${workerBundle()}`);

  const results = new Map<number, Run[]>();
  for (let i = 0; i < repeat; i++) {
    for (const w of counts) {
      const r = await ingestRun(files, w);
      results.set(w, [...(results.get(w) ?? []), r]);
    }
  }
  for (const [w, runs] of results) console.log(row(runs[0].label, runs));

  const best = (w: number) => Math.max(...(results.get(w) ?? []).map((r) => r.pdfs / r.seconds));
  const top = Math.max(...counts);
  const summary: Record<string, number | string | null> = {
    machine: `${cores} cores`,
    pdfs: files.length,
    pdfsPerSec: best(top),
    pagesPerSec: Math.max(...results.get(top)!.map((r) => r.pages / r.seconds)),
    peakRssMb: Math.max(...results.get(top)!.map((r) => r.peakRssMb)),
    speedup: results.has(1) && top > 1 ? best(top) / best(1) : null,
    oneCorePdfsPerSec: null,
    speedupOverOneCore: null,
    pdftotextPagesPerSec: null,
    ratioToPdftotext: null,
  };
  const done = () => {
    if (values.json) console.log(JSON.stringify(summary));
  };
  if (results.has(1) && counts.length > 1) {
    console.log(`speed-up with ${top} workers over 1: ${(best(top) / best(1)).toFixed(2)}×`);
  }

  // The same run with pdf.js's stock worker bundle: what the build's text-only copy gains.
  if (!values['no-stock'] && workerBundle() === 'text-only') {
    const stockRuns: Run[] = [];
    process.env.SURVEYOR_PDFJS_WORKER = 'stock'; // read by the worker processes at start
    try {
      for (let i = 0; i < repeat; i++) stockRuns.push(await ingestRun(files, top));
    } finally {
      delete process.env.SURVEYOR_PDFJS_WORKER;
    }
    console.log(row(`${stockRuns[0].label}, stock pdf.js`, stockRuns));
    const stock = Math.max(...stockRuns.map((r) => r.pdfs / r.seconds));
    console.log(`text-only pdf.js worker over the stock one (${top} workers each): ${(best(top) / stock).toFixed(2)}×`);
    summary.stockPdfjsPdfsPerSec = stock;
    summary.speedupOverStockPdfjs = best(top) / stock;
  }

  // One worker alone does not keep to one core: V8 compiles its hot code and this process
  // stores papers on the other cores. The same run held to one core is the real one-core peer.
  if (top > 1 && !values['no-one-core'] && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).error === undefined) {
    const self = fileURLToPath(import.meta.url);
    const args = ['-c', '0', process.execPath, self, '--workers', '1', '--json', '--no-pdftotext', '--no-one-core'];
    const limit = values.limit ? ['--limit', values.limit] : [];
    const runArgs = [...args, '--repeat', String(repeat), '--dir', dir, ...limit];
    const pinned = spawnSync('taskset', runArgs, { encoding: 'utf8' });
    const last = pinned.stdout.trim().split('\n').pop() ?? '';
    const one = last.startsWith('{') ? (JSON.parse(last) as { pdfsPerSec: number; pagesPerSec: number }) : null;
    if (one) {
      console.log(
        `${'surveyor, 1 worker, 1 core'.padEnd(26)} ${one.pdfsPerSec.toFixed(2).padStart(6)} PDFs/s  ` +
          `${one.pagesPerSec.toFixed(1).padStart(6)} pages/s  (taskset -c 0, best of ${repeat})`,
      );
      const over = (best(top) / one.pdfsPerSec).toFixed(2);
      console.log(`speed-up with ${top} workers on ${cores} cores over 1 worker on 1 core: ${over}×`);
      summary.oneCorePdfsPerSec = one.pdfsPerSec;
      summary.speedupOverOneCore = best(top) / one.pdfsPerSec;
    } else {
      console.log(`one-core run failed: ${pinned.stderr.trim().split('\n').pop() ?? pinned.status}`);
    }
  }

  if (values['no-pdftotext']) {
    done();
    return;
  }
  const hasPdftotext = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined;
  if (!hasPdftotext) {
    console.log('pdftotext: not installed (apt-get install poppler-utils); no ratio');
    done();
    return;
  }
  const pages = results.get(top)![0].pages;
  const peers: Run[] = [];
  for (let i = 0; i < repeat; i++) peers.push(await pdftotextRun(files, top, pages));
  console.log(row(peers[0].label, peers));
  const ours = Math.max(...results.get(top)!.map((r) => r.pages / r.seconds));
  const theirs = Math.max(...peers.map((r) => r.pages / r.seconds));
  console.log(`ratio of surveyor's pages/s to pdftotext's (${top} at a time each): ${(ours / theirs).toFixed(2)}`);
  summary.pdftotextPagesPerSec = theirs;
  summary.ratioToPdftotext = ours / theirs;

  // On a busy machine wall-clock rates say more about the neighbours than about the code;
  // pages per CPU-second is steadier (though sharing a core still slows each thread).
  const cpuOurs = Math.max(...results.get(top)!.map((r) => r.pages / r.cpu));
  const cpuTheirs = Math.max(...peers.map((r) => r.pages / r.cpu));
  console.log(`ratio in pages per CPU-second: ${(cpuOurs / cpuTheirs).toFixed(2)}`);
  summary.ratioPerCpuSecond = cpuOurs / cpuTheirs;
  done();
}

await main();
