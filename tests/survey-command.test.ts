import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fixturePdf, runCli, tempDir, tempLibraryPath } from './helpers.js';

const PAPERS = ['2106.09685', '1807.06521', '2302.10205', '2206.10883', '2402.09092'];

test('surveyor survey: PDFs in, the outline files out; a correction survives a re-run', () => {
  const lib = tempLibraryPath();
  const out = path.join(tempDir('surveyor-survey-'), 'survey-out');
  const first = runCli(['survey', ...PAPERS.map(fixturePdf), '--out', out, '--library', lib, '--json']);
  assert.equal(first.status, 0, first.stderr);
  const report = JSON.parse(first.stdout) as {
    ingest: { added: unknown[] };
    build: { papers: number };
    classify: { byDirection: Record<string, number> };
    files: string[];
  };
  assert.equal(report.ingest.added.length, 5);
  assert.equal(report.build.papers, 5);
  assert.equal(
    Object.values(report.classify.byDirection).reduce((a, b) => a + b, 0),
    5,
  );
  const names = ['outline.md', 'outline.tex', 'references.bib', 'graph.graphml'];
  assert.deepEqual(
    report.files,
    names.map((n) => path.join(out, n)),
  );
  for (const n of names) assert.ok(fs.statSync(path.join(out, n)).size > 500, `${n} written`);

  const md = fs.readFileSync(path.join(out, 'outline.md'), 'utf8');
  assert.equal((md.match(/^- \*\*/gm) ?? []).length, 5, 'every paper in the outline');
  const tex = fs.readFileSync(path.join(out, 'outline.tex'), 'utf8');
  const bib = fs.readFileSync(path.join(out, 'references.bib'), 'utf8');
  for (const [, key] of tex.matchAll(/\\cite\{([^}]+)\}/g))
    assert.ok(bib.includes(`{${key},`), `${key} in references.bib`);

  // The user moves ChatIE to plug-and-play; surveying the same folder again keeps that.
  const set = runCli(['set-direction', '2302.10205', 'plug-and-play', '--library', lib]);
  assert.equal(set.status, 0, set.stderr);
  const again = runCli(['survey', ...PAPERS.map(fixturePdf), '--out', out, '--library', lib]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /0 added, 5 already there, 0 failed/);
  assert.match(again.stdout, /\(1 set by you\)/);
  const md2 = fs.readFileSync(path.join(out, 'outline.md'), 'utf8');
  const plug = md2.slice(md2.indexOf('\n## Plug-and-play\n'), md2.indexOf('\n## Datasets, evaluation & surveys\n'));
  assert.match(plug, /ChatIE/);
});

test('surveyor survey refuses a call without --out, and a folder without PDFs, naming the reason', () => {
  const lib = tempLibraryPath();
  const noOut = runCli(['survey', fixturePdf(PAPERS[0]!), '--library', lib]);
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /--out DIR/);
  const empty = tempDir('surveyor-empty-');
  const none = runCli(['survey', empty, '--out', path.join(empty, 'out'), '--library', lib]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /nothing to survey: the library holds no papers/);
  assert.ok(!fs.existsSync(path.join(empty, 'out')), 'no outline is written for an empty library');
});
