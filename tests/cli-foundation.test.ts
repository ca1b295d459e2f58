/** The command line's foundation: help, errors with exit statuses, choosing the library. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { resolveLibraryPath, userDataDir } from '../core/paths.js';
import { fixturePdf, runCli, tempDir } from './helpers.js';

test('surveyor --help lists ingest, papers, show, search and recover; COMMAND --help gives its usage', () => {
  const r = runCli(['--help']);
  assert.equal(r.status, 0);
  for (const c of ['ingest', 'papers', 'show', 'search', 'recover']) {
    assert.match(r.stdout, new RegExp(`^  ${c}\\b`, 'm'));
  }
  const ingest = runCli(['ingest', '--help']);
  assert.equal(ingest.status, 0);
  assert.match(ingest.stdout, /Usage: surveyor ingest PATH\.\.\. \[--library FILE\] \[--json\]/);
});

test('an unknown command names the valid ones; a bad option shows the usage; both exit 2', () => {
  const r = runCli(['injest']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "injest"; the commands are: ingest, papers/);
  const bad = runCli(['ingest', 'x.pdf', '--nope']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /Usage: surveyor ingest/);
  const none = runCli(['ingest']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /give at least one PDF file or folder/);
});

test('ingest of a path that does not exist reports it as failed and still exits 0', () => {
  const lib = path.join(tempDir(), 'library.sqlite');
  const missing = path.join(tempDir(), 'nowhere', 'paper.pdf');
  const r = runCli(['ingest', missing, '--library', lib, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { failed: { file: string; error: string }[] };
  assert.deepEqual(report.failed.map((f) => f.file), [missing]);
  assert.match(report.failed[0].error, /no such file or folder/);
});

test('the library is --library, else $SURVEYOR_LIBRARY, else library.sqlite in the user-data folder', () => {
  assert.equal(resolveLibraryPath('/x/a.sqlite', { SURVEYOR_LIBRARY: '/y/b.sqlite' }), '/x/a.sqlite');
  assert.equal(resolveLibraryPath(undefined, { SURVEYOR_LIBRARY: '/y/b.sqlite' }), '/y/b.sqlite');
  const fallback = resolveLibraryPath(undefined, { XDG_CONFIG_HOME: '/cfg' });
  assert.equal(fallback, path.join('/cfg', 'Surveyor', 'library.sqlite'));
  assert.equal(userDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32').endsWith('Surveyor'), true);

  const lib = path.join(tempDir(), 'from-env.sqlite');
  const r = runCli(['ingest', fixturePdf('1909.00252'), '--json'], { SURVEYOR_LIBRARY: lib });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.existsSync(lib), 'SURVEYOR_LIBRARY chose the file');
  assert.ok(fs.readdirSync(path.join(path.dirname(lib), 'from-env.files')).length === 1, 'the PDF copy sits beside it');
});
