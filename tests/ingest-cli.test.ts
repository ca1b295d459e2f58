/**
 * `surveyor ingest`, `papers`, `show` and `search` on real fixture PDFs, through the
 * real command line: JSON shapes, duplicates, arXiv versions, progress, Ctrl-C.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { REPO_ROOT, fixturePdf, fixtureRecords, runCli, tempDir } from './helpers.js';
import { copyTo, countPapers, libraryState, spawnCli, waitFor } from './ingest-helpers.js';

interface Report {
  added: { id: number; file: string; title: string | null; updated?: boolean }[];
  duplicates: { file: string; id: number }[];
  failed: { file: string; error: string }[];
  cancelled?: boolean;
}

const IDS = ['1908.10084', '1909.00252', '2004.12765', '1512.07030', '1503.02531'];
let dir: string;
let lib: string;
let first: Report;

function ingest(args: string[], library = lib): Report {
  const r = runCli(['ingest', ...args, '--library', library, '--json']);
  assert.equal(r.status, 0, r.stderr);

  return JSON.parse(r.stdout) as Report;
}

before(() => {
  dir = tempDir();
  lib = path.join(dir, 'library.sqlite');
  const folder = path.join(dir, 'papers');
  copyTo(fixturePdf(IDS[0]), path.join(folder, `${IDS[0]}.pdf`));
  copyTo(fixturePdf(IDS[1]), path.join(folder, 'a', `${IDS[1]}.pdf`));
  copyTo(fixturePdf(IDS[2]), path.join(folder, 'a', 'b', 'c', `${IDS[2]}.PDF`));
  fs.writeFileSync(path.join(folder, 'a', 'README.txt'), 'not a pdf');
  first = ingest([folder, fixturePdf(IDS[3])]);
});

test('ingest --json prints {added, duplicates, failed} with the contract fields, folders walked recursively', () => {
  const contract = ['added', 'duplicates', 'failed'];
  assert.deepEqual(Object.keys(first).filter((k) => contract.includes(k)).sort(), contract);
  assert.equal(first.added.length, 4);
  assert.deepEqual(first.duplicates, []);
  assert.deepEqual(first.failed, []);
  const truth = new Map(fixtureRecords().map((r) => [r.arxiv_id, r.title]));
  for (const a of first.added) {
    assert.equal(typeof a.id, 'number');
    assert.ok(path.isAbsolute(a.file), a.file);
    assert.equal(typeof a.title, 'string');
    const id = path.basename(a.file).replace(/\.pdf$/i, '');
    assert.equal(a.title!.toLowerCase().slice(0, 20), truth.get(id)!.toLowerCase().slice(0, 20));
  }
  // In the order the files were found: folders walked in name order, then the next argument.
  const names = first.added.map((a) => path.basename(a.file));
  assert.deepEqual(names, [`${IDS[0]}.pdf`, `${IDS[1]}.pdf`, `${IDS[2]}.PDF`, `${IDS[3]}.pdf`]);
});

test('the same PDF again, under any name, is one paper reported as a duplicate with its id', () => {
  const again = ingest([fixturePdf(IDS[0]), copyTo(fixturePdf(IDS[1]), path.join(dir, 'renamed copy.pdf'))]);
  assert.deepEqual(again.added, []);
  assert.equal(again.duplicates.length, 2);
  const ids = new Map(first.added.map((a) => [path.basename(a.file).replace(/\.pdf$/i, ''), a.id]));
  assert.equal(again.duplicates.find((d) => d.file === fixturePdf(IDS[0]))?.id, ids.get(IDS[0]));
  assert.equal(again.duplicates.find((d) => d.file.endsWith('renamed copy.pdf'))?.id, ids.get(IDS[1]));
  assert.equal(libraryState(lib).papers.length, 4);

  // Two copies in one batch: one is added, the other is its duplicate.
  const other = path.join(tempDir(), 'library.sqlite');
  const twice = ingest([fixturePdf(IDS[4]), copyTo(fixturePdf(IDS[4]), path.join(dir, 'twice', 'copy.pdf'))], other);
  assert.equal(twice.added.length, 1);
  assert.equal(twice.duplicates.length, 1);
  assert.equal(twice.duplicates[0].id, twice.added[0].id);
});

/** Two "versions" of a paper without an arXiv stamp: same text, file names v1 and v3, bytes differ by one. */
function versions(): { v1: string; v3: string } {
  const d = tempDir();
  const v1 = copyTo(fixturePdf('1908.10084'), path.join(d, '1908.10084v1.pdf'));
  const v3 = path.join(d, '1908.10084v3.pdf');
  fs.writeFileSync(v3, Buffer.concat([fs.readFileSync(v1), Buffer.from('\n')]));

  return { v1, v3 };
}

test('two arXiv versions are one paper: the newer replaces the older, and both versions are remembered', () => {
  const { v1, v3 } = versions();
  const library = path.join(tempDir(), 'library.sqlite');
  const a = ingest([v1], library);
  const b = ingest([v3], library);
  assert.equal(b.added.length, 1);
  assert.equal(b.added[0].id, a.added[0].id);
  assert.equal(b.added[0].updated, true);
  const show = runCli(['show', '1908.10084', '--library', library, '--json']);
  const paper = JSON.parse(show.stdout) as { arxivVersion: number; versions: number[]; sourceFile: string };
  assert.equal(paper.arxivVersion, 3);
  assert.deepEqual(paper.versions, [1, 3]);
  assert.equal(paper.sourceFile, v3);
  assert.equal(libraryState(library).papers.length, 1);
});

test('an older version after a newer one is a duplicate and does not replace it', () => {
  const { v1, v3 } = versions();
  const library = path.join(tempDir(), 'library.sqlite');
  ingest([v3], library);
  const older = ingest([v1], library);
  assert.deepEqual(older.added, []);
  assert.equal(older.duplicates.length, 1);
  const shown = runCli(['show', '1908.10084', '--library', library, '--json']);
  const paper = JSON.parse(shown.stdout) as { arxivVersion: number; versions: number[] };
  assert.equal(paper.arxivVersion, 3);
  assert.deepEqual(paper.versions, [1, 3]);
});

test('papers --json lists every paper with the contract fields', () => {
  const r = runCli(['papers', '--library', lib, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const papers = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.equal(papers.length, 4);
  for (const p of papers) {
    const fields = ['id', 'title', 'authors', 'year', 'arxivId', 'doi', 'abstract', 'pages', 'referenceCount', 'file'];
    for (const k of fields) assert.ok(k in p, `papers --json has ${k}`);
    assert.ok(Array.isArray(p.authors));
    assert.equal(typeof p.pages, 'number');
    assert.ok(fs.existsSync(p.file as string), 'the stored copy exists');
  }
  const truthPages = new Map(fixtureRecords().map((r) => [r.arxiv_id, r.pages]));
  for (const p of papers) assert.equal(p.pages, truthPages.get(p.arxivId as string));
});

test('show finds a paper by id, by arXiv id with or without version and prefix, with its references', () => {
  const listed = runCli(['papers', '--library', lib, '--json']).stdout;
  const papers = JSON.parse(listed) as { id: number; arxivId: string; referenceCount: number }[];
  const p = papers.find((x) => x.arxivId === '1908.10084')!;
  for (const key of [String(p.id), '1908.10084', '1908.10084v2', 'arXiv:1908.10084']) {
    const r = runCli(['show', key, '--library', lib, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const shown = JSON.parse(r.stdout) as { id: number; references: unknown[] };
    assert.equal(shown.id, p.id, key);
    assert.equal(shown.references.length, p.referenceCount);
  }
  const missing = runCli(['show', '9999.99999', '--library', lib]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no paper "9999\.99999"/);
});

test('search ranks the paper that is about the words first', () => {
  const r = runCli(['search', 'siamese BERT sentence embeddings', '--library', lib, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const hits = JSON.parse(r.stdout) as { id: number; arxivId: string; score: number }[];
  assert.ok(hits.length >= 1);
  assert.equal(hits[0].arxivId, '1908.10084');
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score, 'best first');
  const laugh = runCli(['search', 'transformer last laugh', '--library', lib, '--json']).stdout;
  const humor = JSON.parse(laugh) as { arxivId: string }[];
  assert.equal(humor[0].arxivId, '1909.00252');
});

// util-linux's `script` (Debian's bsdutils, always installed there) gives the child a pseudo-terminal.
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

test('progress goes to standard error on a terminal, and not when it is a pipe', { skip: !HAS_SCRIPT }, () => {
  const library = path.join(tempDir(), 'library.sqlite');
  const bin = path.join(REPO_ROOT, 'bin', 'surveyor.js');
  const cmd = [process.execPath, bin, 'ingest', fixturePdf(IDS[1]), fixturePdf(IDS[2]), '--library', library]
    .map((a) => `'${a}'`)
    .join(' ');
  // `script` runs the command on a pseudo-terminal, as a user's shell would.
  const tty = spawnSync('script', ['-qec', `stty cols 150; ${cmd} >/dev/null`, '/dev/null'], { encoding: 'utf8' });
  assert.equal(tty.status, 0, tty.stderr);
  assert.match(tty.stdout, /ingest \[[#-]+\] 2\/2 [\d.]+ PDFs\/s, \S+ left/);

  const piped = runCli(['ingest', fixturePdf(IDS[1]), '--library', path.join(tempDir(), 'library.sqlite')]);
  assert.equal(piped.status, 0);
  assert.doesNotMatch(piped.stderr, /PDFs\/s/);
});

test('Ctrl-C stops cleanly: finished papers are kept and a second run adds the rest', async () => {
  const library = path.join(tempDir(), 'library.sqlite');
  const folder = path.join(tempDir(), 'batch');
  const batch = fixtureRecords()
    .sort((a, b) => a.pages - b.pages)
    .slice(0, 8)
    .map((r) => copyTo(fixturePdf(r.arxiv_id), path.join(folder, `${r.arxiv_id}.pdf`)));
  const { child, done } = spawnCli(['ingest', folder, '--library', library, '--json', '--workers', '1']);
  const some = await waitFor(() => countPapers(library) >= 2, 60_000);
  assert.ok(some, 'two papers stored within a minute');
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.status, 130, r.stderr);
  assert.match(r.stderr, /stopping after the work in flight/);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.cancelled, true);
  const state = libraryState(library);
  assert.equal(state.integrity, 'ok');
  assert.equal(state.papers.length, report.added.length, 'every paper reported as added is stored, and no other');
  assert.ok(state.papers.length < batch.length, 'it stopped before the end');
  assert.equal(state.papersWithoutFile, 0);

  const rest = ingest([folder], library);
  assert.equal(rest.duplicates.length, report.added.length, 'the kept papers are recognised');
  assert.equal(rest.added.length, batch.length - report.added.length);
  assert.equal(libraryState(library).papers.length, batch.length);
});
