/**
 * `npm run bench:extract`: what metadata and reference extraction costs on top of pdf.js.
 * Reads each fixture PDF once with pdf.js (timed), then runs extractPaper on its text runs
 * several times (the best run counts, as the machine is shared), and prints per-paper and total
 * figures and the ratio of extraction to pdf.js parsing. Both are process CPU time.
 *
 *   node dist/bench/extract.js [--repeat N] [--limit N] [--dir FOLDER] [--json]
 *
 * With --json the last line is one JSON object with the figures (for bench/all.ts's combined table).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractPaper } from '../ingest/extract.js';
import { readPdf } from '../ingest/pdf-text.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.resolve(process.env.SURVEYOR_FIXTURES ?? path.join(ROOT, '..', 'shared', 'fixtures'));

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' },
    limit: { type: 'string', default: '1000' },
    dir: { type: 'string', default: path.join(FIXTURES, 'pdfs') },
    json: { type: 'boolean' },
  },
});

const files = fs
  .readdirSync(values.dir!)
  .filter((f) => f.endsWith('.pdf'))
  .sort()
  .slice(0, Number(values.limit));
const repeat = Math.max(1, Number(values.repeat));

const load = os.loadavg()[0].toFixed(1);
console.log(`${files.length} PDFs from ${values.dir}, best of ${repeat} extraction runs; load ${load}`);

let parseMs = 0;
let extractMs = 0;
let pages = 0;
const perPaper: { file: string; ms: number; pages: number }[] = [];
for (const f of files) {
  const data = fs.readFileSync(path.join(values.dir!, f));
  const t0 = process.cpuUsage();
  const content = await readPdf(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), f);
  const parseCpu = process.cpuUsage(t0);
  parseMs += (parseCpu.user + parseCpu.system) / 1000;
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    // CPU time, not wall time: on a shared machine the wall clock mostly measures the other jobs.
    const t = process.cpuUsage();
    extractPaper(content.pages, f);
    const used = process.cpuUsage(t);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  extractMs += best;
  pages += content.pageCount;
  perPaper.push({ file: f, ms: best, pages: content.pageCount });
}

const sorted = perPaper.map((p) => p.ms).sort((a, b) => a - b);
const q = (x: number): number => sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))];
const perPage = (extractMs / pages).toFixed(2);
console.log(`extraction CPU: ${(extractMs / files.length).toFixed(1)} ms per paper on average, ${perPage} ms per page`);
const slowest = sorted[sorted.length - 1].toFixed(1);
console.log(`  median ${q(0.5).toFixed(1)} ms, 90th percentile ${q(0.9).toFixed(1)} ms, slowest ${slowest} ms`);
for (const p of [...perPaper].sort((a, b) => b.ms - a.ms).slice(0, 3)) {
  console.log(`  ${p.file}: ${p.ms.toFixed(1)} ms for ${p.pages} pages`);
}
console.log(`pdf.js text extraction (process CPU time): ${(parseMs / files.length).toFixed(1)} ms per paper`);
console.log(`extraction / pdf.js ratio: ${(extractMs / parseMs).toFixed(2)}`);
if (values.json) {
  const summary = {
    pdfs: files.length,
    pages,
    extractMsPerPaper: extractMs / files.length,
    extractMsPerPage: extractMs / pages,
    medianMs: q(0.5),
    pdfjsMsPerPaper: parseMs / files.length,
    ratioToPdfjs: extractMs / parseMs,
  };
  console.log(JSON.stringify(summary));
}
