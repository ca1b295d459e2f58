/**
 * Hostile and odd input: a corpus the test builds (broken, encrypted, scanned,
 * bomb, 2,000 pages, symlink loop, odd names) beside three good fixture PDFs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { before, test } from 'node:test';
import { openLibrary } from '../db/library.js';
import { ingestPaths } from '../ingest/ingest.js';
import { fixturePdf, runCli, tempDir } from './helpers.js';
import { copyTo, libraryState, spawnCli } from './ingest-helpers.js';
import { breakXref, makePdf, manyPagesPdf, prosePage } from './pdf-factory.js';

const HAS_QPDF = spawnSync('qpdf', ['--version']).status === 0;

/** The three good papers, under names with spaces, quotes and non-Latin letters. */
const GOOD = {
  '1909.00252': 'Humor "detection" with a transformer.pdf',
  '2004.12765': "ColBERT — it's 'quoted'.pdf",
  '1512.07030': 'Глубокое обучение 深度学习 S形.pdf',
};

/** Every bad file and the error code it must be reported with. */
const BAD: Record<string, string> = {
  'random bytes.pdf': 'not-a-pdf',
  'zero bytes.pdf': 'empty-file',
  'blank page.pdf': 'no-text-layer',
  'scanned.pdf': 'no-text-layer',
  'truncated.pdf': 'truncated',
  'broken xref.pdf': 'corrupt-pdf',
  'bomb.pdf': 'decompression-bomb',
  '2000 pages.pdf': 'too-many-pages',
  'sparse 600 MB.pdf': 'too-large',
};
if (HAS_QPDF) BAD['encrypted.pdf'] = 'encrypted';

let corpus: string;

/** Adds a JavaScript open action (via QDF form) and an attached file to a real PDF, using qpdf. */
function addScriptsAndAttachment(src: string, dest: string, url: string): void {
  const work = tempDir('surveyor-qdf-');
  const qdf = path.join(work, 'a.qdf');
  assert.equal(spawnSync('qpdf', ['--qdf', '--object-streams=disable', src, qdf]).status, 0);
  const js = `app.launchURL('${url}/js', true); this.exportDataObject({cName: 'payload.sh', nLaunch: 2});`;
  const escaped = js.replace(/[()]/g, (c) => '\\' + c);
  const action = `/OpenAction << /S /JavaScript /JS (${escaped}) /Next << /S /URI /URI (${url}/uri) >> >>`;
  // The catalog's own open action (a page view) makes way for the script.
  const text = fs
    .readFileSync(qdf, 'latin1')
    .replace(/\n {2}\/OpenAction (\[[\s\S]*?\n {2}\]|[^\n]*)/, '')
    .replace('/Type /Catalog', `/Type /Catalog\n  ${action}`);
  fs.writeFileSync(qdf, text, 'latin1');
  const fixed = path.join(work, 'fixed.pdf');
  const fix = spawnSync('fix-qdf', [qdf], { maxBuffer: 64 << 20 });
  fs.writeFileSync(fixed, fix.stdout);
  const payload = path.join(work, 'payload.sh');
  fs.writeFileSync(payload, '#!/bin/sh\ntouch /tmp/surveyor-was-pwned\n');
  const r = spawnSync('qpdf', [fixed, '--add-attachment', payload, '--', dest]);
  assert.equal(r.status, 0, `qpdf --add-attachment: ${r.stderr}`); // 3 would mean warnings: a malformed edit
  const expanded = spawnSync('qpdf', ['--qdf', '--object-streams=disable', dest, '-'], { maxBuffer: 256 << 20 });
  const check = expanded.stdout.toString('latin1');
  assert.ok(check.includes('/S /JavaScript') && check.includes('/EmbeddedFiles'), 'the script and attachment are in');
}

before(() => {
  corpus = path.join(tempDir(), 'corpus');
  const sub = path.join(corpus, 'nested', 'deeper');
  fs.mkdirSync(sub, { recursive: true });

  copyTo(fixturePdf('1909.00252'), path.join(corpus, GOOD['1909.00252']));
  copyTo(fixturePdf('2004.12765'), path.join(sub, GOOD['2004.12765']));
  copyTo(fixturePdf('1512.07030'), path.join(corpus, 'nested', GOOD['1512.07030']));

  fs.writeFileSync(path.join(corpus, 'random bytes.pdf'), crypto.randomBytes(50_000));
  fs.writeFileSync(path.join(corpus, 'zero bytes.pdf'), Buffer.alloc(0));
  fs.writeFileSync(path.join(corpus, 'blank page.pdf'), makePdf({ pages: [{}] }));
  fs.writeFileSync(path.join(sub, 'scanned.pdf'), makePdf({ pages: [{ image: true }, { image: true }] }));
  const real = fs.readFileSync(fixturePdf('1707.01083'));
  fs.writeFileSync(path.join(corpus, 'truncated.pdf'), real.subarray(0, real.length >> 1));
  const prose = makePdf({ pages: [prosePage(1), prosePage(2)] });
  fs.writeFileSync(path.join(corpus, 'broken xref.pdf'), breakXref(prose, { objects: true }));
  fs.writeFileSync(path.join(corpus, 'bomb.pdf'), makePdf({ pages: [prosePage(1)], bombBytes: 200 << 20 }));
  fs.writeFileSync(path.join(corpus, '2000 pages.pdf'), manyPagesPdf(2000));
  const sparse = path.join(corpus, 'sparse 600 MB.pdf');
  fs.writeFileSync(sparse, '%PDF-1.7\n');
  fs.truncateSync(sparse, 600 * 2 ** 20);
  fs.writeFileSync(path.join(corpus, 'notes.txt'), 'not a PDF name, so not a candidate');
  if (HAS_QPDF) {
    const out = path.join(corpus, 'encrypted.pdf');
    const src = fixturePdf('1904.05049');
    const enc = spawnSync('qpdf', ['--encrypt', 'reader-secret', 'owner-secret', '256', '--', src, out]);
    assert.equal(enc.status, 0, String(enc.stderr));
  }

  // A folder that links back to its parent: walking it naively never ends.
  fs.symlinkSync('..', path.join(sub, 'loop'), 'dir');
  fs.symlinkSync(path.join(corpus, 'missing-target.pdf'), path.join(corpus, 'dangling link.pdf'));
});

test('a hostile folder beside three good PDFs adds exactly the three and names each bad file and reason', async (t) => {
  const lib = path.join(tempDir(), 'library.sqlite');

  // A paper already stored must survive the batch untouched.
  const first = runCli(['ingest', fixturePdf('1503.02531'), '--library', lib, '--json']);
  assert.equal(first.status, 0, first.stderr);
  const before = libraryState(lib).papers;
  assert.equal(before.length, 1);

  const { done } = spawnCli(['ingest', corpus, '--library', lib, '--json', '--timeout', '60']);
  const r = await done;
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    added: { id: number; file: string; title: string | null }[];
    duplicates: unknown[];
    failed: { file: string; error: string; code: string }[];
  };

  assert.deepEqual(report.added.map((a) => path.basename(a.file)).sort(), Object.values(GOOD).sort());
  assert.deepEqual(report.duplicates, [], 'the symlink loop must not make the same file appear twice');
  for (const [name, code] of Object.entries(BAD)) {
    const f = report.failed.find((x) => path.basename(x.file) === name);
    assert.ok(f, `${name} is reported as failed`);
    assert.equal(f.code, code, `${name}: ${f.error}`);
    assert.ok(f.error.includes(name), `the message names the file: ${f.error}`);
  }
  const dangling = report.failed.find((x) => path.basename(x.file) === 'dangling link.pdf');
  assert.equal(dangling?.code, 'broken-link');
  assert.equal(report.failed.length, Object.keys(BAD).length + 1, JSON.stringify(report.failed, null, 1));

  const state = libraryState(lib);
  assert.equal(state.integrity, 'ok');
  assert.equal(state.papers.length, 4);
  assert.deepEqual(state.papers[0], before[0], 'the paper stored before the batch is unchanged');
  assert.deepEqual(
    state.papers.map((p) => p.arxivId).sort(),
    ['1503.02531', ...Object.keys(GOOD)].sort(),
    'the three good files are stored under their arXiv ids',
  );

  // Workers have a heap limit and inflation is capped: the 200 MB bomb never gets inflated.
  t.diagnostic(`peak resident memory of the ingest process: ${r.peakRssMb.toFixed(0)} MB`);
  if (!Number.isNaN(r.peakRssMb)) assert.ok(r.peakRssMb < 1200, `peak RSS ${r.peakRssMb.toFixed(0)} MB`);
});

test('each kind of bad file gets a message that says what is wrong in words', async () => {
  const lib = openLibrary(path.join(tempDir(), 'library.sqlite'));
  const deeper = path.join(corpus, 'nested', 'deeper');
  const files = Object.keys(BAD).map((n) => path.join(n === 'scanned.pdf' ? deeper : corpus, n));
  const report = await ingestPaths(lib, files, { workers: 2 });
  lib.close();
  const words: Record<string, RegExp> = {
    'not-a-pdf': /not a PDF/,
    'empty-file': /empty \(0 bytes\)/,
    'no-text-layer': /no text layer.*OCR/,
    truncated: /cut off/,
    'corrupt-pdf': /structure/,
    'decompression-bomb': /decompression bomb/,
    'too-many-pages': /2000 pages, more than the 500-page limit/,
    'too-large': /600 MB, more than the 512 MB limit/,
    encrypted: /encrypted and needs a password/,
  };
  assert.equal(report.failed.length, files.length);
  for (const f of report.failed) assert.match(f.error, words[f.code!], f.error);
});

test('a per-file time limit is reported as such and the batch goes on', () => {
  const lib = path.join(tempDir(), 'library.sqlite');
  const r = runCli(['ingest', fixturePdf('1909.00252'), '--library', lib, '--json', '--timeout', '0.05']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { failed: { file: string; error: string; code: string }[] };
  assert.equal(report.failed.length, 1);
  assert.equal(report.failed[0].code, 'timeout');
  assert.match(report.failed[0].error, /1909\.00252\.pdf: gave up after 50 ms \(the per-file time limit\)/);
});

test('a 2,000-page file is read page by page when the page limit allows it', async () => {
  const lib = openLibrary(path.join(tempDir(), 'library.sqlite'));
  const report = await ingestPaths(lib, [path.join(corpus, '2000 pages.pdf')], { maxPages: 2500, storeCopies: false });
  const pages = lib.db.prepare('SELECT pages FROM papers').pluck().get();
  lib.close();
  assert.deepEqual(report.failed, []);
  assert.equal(report.added.length, 1);
  assert.equal(pages, 2000);
});

test('a broken cross-reference table with intact objects is rebuilt, not refused', async () => {
  const dir = tempDir();
  const good = makePdf({ pages: [prosePage(1), prosePage(2)] });
  const file = path.join(dir, 'xref zeroed.pdf');
  fs.writeFileSync(file, breakXref(good));
  const lib = openLibrary(path.join(dir, 'library.sqlite'));
  const report = await ingestPaths(lib, [file]);
  const text = lib.db.prepare('SELECT full_text FROM papers').pluck().get() as string;
  lib.close();
  assert.equal(report.added.length, 1, JSON.stringify(report.failed));
  assert.match(text, /Page 2\./);
});

test('a bomb pdf.js decodes in its own code is stopped by the memory bound; a good file beside it gets in', async () => {
  const dir = tempDir();
  const bomb = path.join(dir, 'chained bomb.pdf');
  // 12 KB on disk, 1 GB once decoded: the platform's inflater (and its cap) is not used for it.
  fs.writeFileSync(bomb, makePdf({ pages: [prosePage(1)], chainedBombBytes: 1 << 30 }));
  const lib = openLibrary(path.join(dir, 'library.sqlite'));
  const bound = Math.round(process.memoryUsage.rss() / 2 ** 20 + 500);
  const report = await ingestPaths(lib, [bomb, fixturePdf('1909.00252')], { workers: 2, maxRssMb: bound });
  lib.close();
  const added = report.added.map((a) => path.basename(a.file));
  assert.deepEqual(added, ['1909.00252.pdf'], JSON.stringify(report.failed));
  assert.equal(report.failed.length, 1);
  assert.equal(report.failed[0].code, 'out-of-memory');
  assert.match(report.failed[0].error, new RegExp(`chained bomb\\.pdf: memory use went past ${bound} MB`));
});

test('nothing in a PDF runs: JavaScript, links, launch actions and attachments stay inert', async () => {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const dir = tempDir();
    const marker = path.join(dir, 'pwned');
    const crafted = path.join(dir, 'in', 'crafted.pdf');
    fs.mkdirSync(path.dirname(crafted));
    fs.writeFileSync(
      crafted,
      makePdf({
        pages: [prosePage(1), prosePage(2)],
        javascript: `app.launchURL('${url}/open'); var f = require('fs'); f.writeFileSync('${marker}', 'x');`,
        embeddedFile: { name: 'payload.sh', data: Buffer.from(`#!/bin/sh\ntouch ${marker}\n`) },
        uriLink: `${url}/link`,
        launch: `/bin/sh -c "touch ${marker}"`,
      }),
    );
    const inputs = [crafted];
    if (HAS_QPDF) inputs.push(path.join(dir, 'in', 'real with script.pdf'));
    if (HAS_QPDF) addScriptsAndAttachment(fixturePdf('1707.01083'), inputs[1], url);

    const lib = path.join(dir, 'library.sqlite');
    const before = new Set(fs.readdirSync(dir));
    const { done } = spawnCli(['ingest', ...inputs, '--library', lib, '--json']);
    const r = await done;
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { added: { file: string }[]; failed: unknown[] };
    assert.equal(report.added.length, inputs.length, JSON.stringify(report.failed));

    await new Promise((res) => setTimeout(res, 200));
    assert.deepEqual(requests, [], 'no URL was opened');
    assert.equal(fs.existsSync(marker), false, 'no file was written by the PDF');
    const created = fs.readdirSync(dir).filter((f) => !before.has(f));
    assert.ok(created.includes('library.sqlite'));
    const libraryOnly = created.every((f) => /^library\.(files|sqlite(-wal|-shm)?)$/.test(f));
    assert.ok(libraryOnly, `only the library was written: ${created}`);
    const stored = fs.readdirSync(path.join(dir, 'library.files'));
    assert.ok(stored.every((f) => /^[0-9a-f]{64}\.pdf$/.test(f)), `only hash-named PDF copies are stored: ${stored}`);
  } finally {
    server.close();
  }
});
