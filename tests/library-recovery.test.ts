/**
 * A damaged library gives a clear message and a way back, never a silent empty
 * library; a backup is kept before each schema upgrade.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import { listBackups, openLibrary } from '../db/library.js';
import { latestVersion, migrate, schemaVersion } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { fixturePdf, runCli, tempDir } from './helpers.js';
import { libraryState } from './ingest-helpers.js';

/** Eight small fixture papers: enough rows that the papers table spans several pages. */
const IDS = [
  ...['1909.00252', '2004.12765', '1512.07030', '1707.01083'],
  ...['1904.05049', '2002.08909', '1905.03197', '1503.02531'],
];
let pristine: string;

/** A library of eight real papers, made once and copied for each test. */
before(() => {
  pristine = path.join(tempDir(), 'library.sqlite');
  const r = runCli(['ingest', ...IDS.map(fixturePdf), '--library', pristine, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(libraryState(pristine).papers.length, IDS.length);
});

/** A copy of the pristine library (and its stored PDFs) in a fresh folder. */
function copyLibrary(): string {
  const dir = tempDir();
  const file = path.join(dir, 'library.sqlite');
  fs.copyFileSync(pristine, file);
  fs.cpSync(pristine.replace(/\.sqlite$/, '.files'), path.join(dir, 'library.files'), { recursive: true });

  return file;
}

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Writes junk over whole pages of the file, from page `first` on. */
function junkPages(file: string, first: number, count: number): void {
  const pageSize = 4096;
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, crypto.randomBytes(pageSize * count), 0, pageSize * count, pageSize * (first - 1));
  fs.closeSync(fd);
}

test('junk bytes inside a library give a clear message naming the file and the way back, and change nothing', () => {
  const file = copyLibrary();
  junkPages(file, 2, 6);
  const before = sha(file);
  const r = runCli(['papers', '--library', file, '--json']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '', 'no list, not even an empty one');
  assert.match(r.stderr, /cannot be read as a Surveyor library/);
  assert.ok(r.stderr.includes(file), 'the message names the file');
  assert.match(r.stderr, /surveyor recover --library/);
  assert.equal(sha(file), before, 'the damaged file is left as it was');

  const ingest = runCli(['ingest', fixturePdf('1707.01083'), '--library', file, '--json']);
  assert.equal(ingest.status, 1, 'ingest refuses to write into a damaged library');
  assert.equal(sha(file), before);
});

test('surveyor recover copies what still reads and re-reads the stored PDFs of what does not', () => {
  const file = copyLibrary();
  junkPages(file, 3, 4);
  const out = path.join(path.dirname(file), 'new.sqlite');
  const json = path.join(path.dirname(file), 'export.json');
  const r = runCli(['recover', '--library', file, '--out', out, '--export-json', json, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { papers: number; reingested: number; failed: unknown[]; out: string };
  assert.equal(report.out, out);
  assert.deepEqual(report.failed, []);
  assert.equal(report.papers + report.reingested, IDS.length, JSON.stringify(report));

  const state = libraryState(out);
  assert.equal(state.integrity, 'ok');
  assert.deepEqual(state.papers.map((p) => p.arxivId).sort(), [...IDS].sort());
  assert.equal(state.papersWithoutFile, 0);
  const exported = JSON.parse(fs.readFileSync(json, 'utf8')) as { papers: { id: number; references: unknown[] }[] };
  assert.equal(exported.papers.length, report.papers);

  const listed = JSON.parse(runCli(['papers', '--library', out, '--json']).stdout) as { file: string }[];
  assert.ok(listed.every((p) => fs.existsSync(p.file) && p.file.startsWith(out.replace(/\.sqlite$/, '.files'))));
});

test('with one page of the papers table destroyed, the rows on the other pages are copied and the rest re-read', () => {
  const file = copyLibrary();
  const db = new Database(file, { readonly: true });
  const leaves = db
    .prepare("SELECT pageno FROM dbstat WHERE name = 'papers' AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all() as number[];
  db.close();
  assert.ok(leaves.length >= 2, `the papers table spans ${leaves.length} leaf pages`);
  junkPages(file, leaves[0], 1);

  const out = path.join(path.dirname(file), 'partial.sqlite');
  const r = runCli(['recover', '--library', file, '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  type Report = { papers: number; unreadable: number[]; reingested: number; failed: unknown[] };
  const report = JSON.parse(r.stdout) as Report;
  assert.ok(report.papers > 0 && report.reingested > 0, JSON.stringify(report));
  assert.equal(report.unreadable.length + report.papers, IDS.length, 'every id is either read or reported unreadable');
  assert.deepEqual(report.failed, []);
  const state = libraryState(out);
  assert.equal(state.integrity, 'ok');
  assert.deepEqual(state.papers.map((p) => p.arxivId).sort(), [...IDS].sort());
});

test('a library whose header is destroyed is recovered from its stored PDFs', () => {
  const file = copyLibrary();
  junkPages(file, 1, 1);
  const r = runCli(['show', '1', '--library', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot be read as a Surveyor library \(file is not a database\)/);

  const out = path.join(path.dirname(file), 'again.sqlite');
  const rec = runCli(['recover', '--library', file, '--out', out, '--json']);
  assert.equal(rec.status, 0, rec.stderr);
  const report = JSON.parse(rec.stdout) as { papers: number; reingested: number };
  assert.equal(report.papers, 0);
  assert.equal(report.reingested, IDS.length);
  assert.equal(libraryState(out).papers.length, IDS.length);
});

test('a library emptied to 0 bytes with stored PDFs beside it is reported, not opened as a new one', () => {
  const file = copyLibrary();
  fs.truncateSync(file, 0);
  const r = runCli(['papers', '--library', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the file is empty \(0 bytes\) but stored PDFs or backups sit beside it/);
  assert.equal(fs.statSync(file).size, 0, 'nothing was written into it');
});

test('an upgrade keeps a backup of the library as it was, readable at its old version', () => {
  const file = path.join(tempDir(), 'library.sqlite');
  const old = new Database(file);
  migrate(old, MIGRATIONS, 1);
  old.prepare("INSERT INTO papers (title, arxiv_id) VALUES ('Attention Is All You Need', '1706.03762')").run();
  old.close();

  const lib = openLibrary(file);
  assert.equal(schemaVersion(lib.db), latestVersion());
  lib.close();
  assert.deepEqual(listBackups(file), [`${file}.bak-v1`]);
  const backup = new Database(`${file}.bak-v1`, { readonly: true });
  assert.equal(schemaVersion(backup), 1);
  assert.equal(backup.prepare('SELECT title FROM papers').pluck().get(), 'Attention Is All You Need');
  backup.close();
});

test('the damaged-library message lists the backups there are', () => {
  const file = copyLibrary();
  fs.copyFileSync(file, `${file}.bak-v1`);
  junkPages(file, 2, 6);
  const r = runCli(['papers', '--library', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Backups made before upgrades: library\.sqlite\.bak-v1/);
});
