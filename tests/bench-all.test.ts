/**
 * `npm run bench`'s table: reading a script's figures, "n/a" rows for steps without figures, and
 * the README section it rewrites. (The benchmarks themselves are not run here: they measure speed.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { END, lastJsonLine, renderTable, replaceSection, START, type Results } from '../bench/all.js';
import { REPO_ROOT, tempDir } from './helpers.js';

const machine: Results['machine'] = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGb: 8,
  node: 'v20.0.0',
  os: 'Linux',
  loadBefore: '1.0 1.0 1.0',
  loadAfter: '2.0 1.0 1.0',
  date: '2026-12-03T19:00:00Z',
  quick: false,
};

test('the figures are the JSON object that ends the output, on one line or indented over several', () => {
  assert.deepEqual(lastJsonLine('ingest benchmark\n| a | b |\n{"pdfsPerSec": 2.5}\n\n'), { pdfsPerSec: 2.5 });
  const pretty = JSON.stringify({ libraries: [{ loadMs: 12 }] }, null, 2);
  assert.deepEqual(lastJsonLine(`| table |\n{"not": "this one"}\n${pretty}\n`), { libraries: [{ loadMs: 12 }] });
  assert.equal(lastJsonLine('{"early": 1}\nthe last line is text\n'), null);
  assert.equal(lastJsonLine('{"broken": \n'), null);
  assert.equal(lastJsonLine('[1, 2]\n'), null, 'an array is not a set of figures');
  assert.equal(lastJsonLine(''), null);
});

test('a step without figures shows n/a with its reason, and the others keep their figures', () => {
  const table = renderTable({
    machine,
    steps: [
      {
        id: 'ingest',
        command: 'node dist/bench/ingest.js --json',
        ok: true,
        figures: {
          pdfs: 100,
          pdfsPerSec: 2.5,
          pagesPerSec: 40,
          speedup: 1.6,
          pdftotextPagesPerSec: 400,
          ratioToPdftotext: 0.1,
        },
        wallSeconds: 80,
        peakRssMb: 512.4,
        peakRssFrom: 'time',
        load: '1 → 2',
      },
      {
        id: 'graph-load',
        command: 'node dist/bench/graph-load.js --json',
        ok: false,
        reason: 'exit status 1',
        wallSeconds: 3,
        peakRssMb: null,
        peakRssFrom: null,
        load: '1 → 1',
      },
    ],
  });
  const rows = table.split('\n').filter((l) => l.startsWith('| '));
  assert.equal(rows.length, 3, 'a header and one row per step');
  assert.match(rows[1], /2\.50 PDFs\/s, 40\.0 pages\/s/);
  assert.match(rows[1], /pdftotext 400\.0 pages\/s; ratio 0\.10/);
  assert.match(rows[1], /\| 512 MB \| 80 s \|$/);
  assert.match(rows[2], /^\| Graph load, headless Chromium \| n\/a \(exit status 1\) \|/);
  assert.match(table, /Machine: .*Test CPU, 2 cores, 8 GB memory, Node v20\.0\.0.*load average 1\.0 1\.0 1\.0 before/);
});

test('a run stopped part-way lists the steps it never reached', () => {
  const table = renderTable({ machine, steps: [], planned: ['ingest', 'build-10k'] });
  const rows = table.split('\n').filter((l) => l.startsWith('| ')).slice(1);
  assert.equal(rows.length, 2);
  for (const row of rows) assert.match(row, /n\/a \(not reached: the run was stopped before it\)/);
});

test('the README section is created once, then only the part between the markers changes', () => {
  const readme = '# Surveyor\n\nintro\n\n## Export\n\ntext\n';
  const first = replaceSection(readme, '| table 1 |\n');
  assert.ok(first.startsWith(readme.trimEnd()), 'what was there stays');
  assert.equal(first.match(/^## Benchmarks$/gm)?.length, 1);
  assert.ok(first.includes(`${START}\n| table 1 |\n${END}`));

  const edited = first.replace('intro', 'intro edited meanwhile') + '\n## Later section\n';
  const second = replaceSection(edited, '| table 2 |\n');
  assert.equal(second.match(/^## Benchmarks$/gm)?.length, 1, 'no second section');
  assert.ok(!second.includes('table 1'));
  assert.ok(second.includes(`${START}\n| table 2 |\n${END}`));
  assert.ok(second.includes('intro edited meanwhile') && second.endsWith('## Later section\n'));
});

test('--from renders a saved run and --write-readme writes it into the given file', () => {
  const dir = tempDir();
  const saved = path.join(dir, 'results.json');
  const results: Results = {
    machine,
    steps: [
      {
        id: 'extract',
        command: 'node dist/bench/extract.js --json',
        ok: false,
        reason: 'no bench/extract.ts yet',
        wallSeconds: 0,
        peakRssMb: null,
        peakRssFrom: null,
        load: '',
      },
    ],
  };
  fs.writeFileSync(saved, JSON.stringify(results));
  const readme = path.join(dir, 'README.md');
  fs.writeFileSync(readme, '# Title\n');

  const r = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'dist', 'bench', 'all.js'), '--from', saved, '--write-readme', '--readme', readme],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /n\/a \(no bench\/extract\.ts yet\)/);
  const written = fs.readFileSync(readme, 'utf8');
  assert.ok(written.startsWith('# Title\n'));
  assert.ok(written.includes(START) && written.includes(END));
  assert.ok(written.includes('n/a (no bench/extract.ts yet)'));
});

test("a real script's --json figures fill its row (bench/extract.ts on two fixture PDFs)", () => {
  const r = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'dist', 'bench', 'extract.js'), '--limit', '2', '--repeat', '1', '--json'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const figures = lastJsonLine(r.stdout);
  assert.ok(figures, 'the last line is a JSON object');
  const table = renderTable({
    machine,
    steps: [
      {
        id: 'extract',
        command: '',
        ok: true,
        figures,
        wallSeconds: 1,
        peakRssMb: 100,
        peakRssFrom: 'time',
        load: '',
      },
    ],
  });
  const row = table.split('\n')[2];
  assert.match(row, /^\| Metadata \+ reference extraction \(2 PDFs\) \| \d[\d,]*\.\d ms per paper/);
  assert.match(row, /pdf\.js text \d[\d,]*\.\d ms per paper; ratio \d+\.\d\d/);
  assert.doesNotMatch(row, /n\/a/);
});
