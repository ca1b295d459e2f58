/**
 * Nothing lost: `surveyor ingest` killed with SIGKILL at several points leaves a
 * library that opens, passes integrity_check and holds only complete papers; a
 * re-run finishes the job with no duplicates. Two writers at once both succeed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { openLibrary } from '../db/library.js';
import { fixturePdf, fixtureRecords, runCli, tempDir } from './helpers.js';
import { copyTo, countPapers, libraryState, spawnCli, waitFor, type PaperState } from './ingest-helpers.js';

let folder: string;
let batch: string[];
/** Each paper as an uninterrupted run stores it, by arXiv id. */
let reference: Map<string, PaperState>;

function comparable(p: PaperState): Omit<PaperState, 'id'> {
  const { id: _id, ...rest } = p;

  return rest;
}

before(() => {
  folder = path.join(tempDir(), 'batch');
  batch = fixtureRecords()
    .sort((a, b) => a.pages - b.pages || a.arxiv_id.localeCompare(b.arxiv_id))
    .slice(0, 10)
    .map((r) => copyTo(fixturePdf(r.arxiv_id), path.join(folder, `${r.arxiv_id}.pdf`)));
  const lib = path.join(tempDir(), 'library.sqlite');
  const r = runCli(['ingest', folder, '--library', lib, '--json']);
  assert.equal(r.status, 0, r.stderr);
  reference = new Map(libraryState(lib).papers.map((p) => [p.arxivId!, p]));
  assert.equal(reference.size, batch.length);
});

/** Checks a library holds only whole papers, each exactly as an uninterrupted run stores it. */
function assertOnlyCompletePapers(lib: string, when: string): number {
  // It opens (a kill before the first migration committed leaves a file that is migrated now).
  openLibrary(lib).close();
  const state = libraryState(lib);
  assert.equal(state.integrity, 'ok', `${when}: integrity_check`);
  assert.equal(state.orphanRefs, 0, `${when}: references without their paper`);
  assert.equal(state.orphanFiles, 0, `${when}: file rows without their paper`);
  assert.equal(state.papersWithoutFile, 0, `${when}: papers without their file row`);
  assert.equal(state.duplicateKeys, 0, `${when}: duplicate papers`);
  for (const p of state.papers) {
    const want = reference.get(p.arxivId!);
    assert.ok(want, `${when}: unexpected paper ${p.arxivId}`);
    assert.deepEqual(comparable(p), comparable(want), `${when}: paper ${p.arxivId} is whole (references, text, file)`);
  }

  return state.papers.length;
}

test('SIGKILL at several points leaves only whole papers, and a re-run finishes the job without duplicates', async () => {
  const lib = path.join(tempDir(), 'library.sqlite');

  // Kill points: as soon as the library file exists (mid-migration or first parse),
  // then after 2, 5 and 8 stored papers; each run resumes the previous one's work.
  const points = [0, 2, 5, 8];
  const seen: number[] = [];
  for (const at of points) {
    const { child, done } = spawnCli(['ingest', folder, '--library', lib, '--json']);
    const reached = await waitFor(() => (at === 0 ? fs.existsSync(lib) : countPapers(lib) >= at), 90_000, 5);
    assert.ok(reached, `reached ${at} papers`);
    child.kill('SIGKILL');
    const r = await done;
    assert.equal(r.signal, 'SIGKILL', `the run was killed at ${at}, not finished first: ${r.stdout.slice(0, 80)}`);
    seen.push(assertOnlyCompletePapers(lib, `after a kill at ${at}`));
  }
  assert.ok(seen.some((n) => n > 0 && n < batch.length), `some kills landed mid-batch: ${seen}`);

  const last = runCli(['ingest', folder, '--library', lib, '--json']);
  assert.equal(last.status, 0, last.stderr);
  const report = JSON.parse(last.stdout) as { added: unknown[]; duplicates: unknown[]; failed: unknown[] };
  assert.deepEqual(report.failed, []);
  assert.equal(report.added.length + report.duplicates.length, batch.length);
  assert.equal(assertOnlyCompletePapers(lib, 'after the re-run'), batch.length);
});

test('two writers on one library at once both succeed', async () => {
  const lib = path.join(tempDir(), 'library.sqlite');
  const half = Math.ceil(batch.length / 2);
  const a = spawnCli(['ingest', ...batch.slice(0, half), '--library', lib, '--json', '--workers', '1']);
  const b = spawnCli(['ingest', ...batch.slice(half), '--library', lib, '--json', '--workers', '1']);
  const [ra, rb] = await Promise.all([a.done, b.done]);
  for (const r of [ra, rb]) {
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { failed: unknown[] };
    assert.deepEqual(report.failed, [], r.stderr);
  }
  assert.equal(libraryState(lib).papers.length, batch.length);
  assertOnlyCompletePapers(lib, 'after two writers');
});
