/**
 * Nothing lost, for `surveyor build`: killed with SIGKILL while it embeds, matches and
 * clusters, the library still opens, passes integrity_check, holds no half-written
 * embedding or topic map, and a re-run ends with exactly what an uninterrupted build makes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import { openLibrary } from '../db/library.js';
import { fixturePdf, fixtureRecords, runCli, tempDir } from './helpers.js';
import { copyTo, spawnCli, waitFor } from './ingest-helpers.js';

let ingested: string;
let expectedGraph: string;

function graphJson(lib: string): string {
  const r = runCli(['graph', '--json', '--library', lib]);
  assert.equal(r.status, 0, r.stderr);

  return r.stdout;
}

before(() => {
  const folder = path.join(tempDir(), 'batch');
  for (const r of fixtureRecords()
    .sort((a, b) => a.pages - b.pages || a.arxiv_id.localeCompare(b.arxiv_id))
    .slice(0, 12)) {
    copyTo(fixturePdf(r.arxiv_id), path.join(folder, `${r.arxiv_id}.pdf`));
  }
  ingested = path.join(tempDir(), 'ingested.sqlite');
  const r = runCli(['ingest', folder, '--library', ingested, '--json']);
  assert.equal(r.status, 0, r.stderr);

  const whole = path.join(tempDir(), 'whole.sqlite');
  fs.copyFileSync(ingested, whole);
  const b = runCli(['build', '--library', whole]);
  assert.equal(b.status, 0, b.stderr);
  expectedGraph = graphJson(whole);
});

function embeddingsCount(lib: string): number {
  try {
    const db = new Database(lib, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM embeddings').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** The library opens and holds only whole rows: full-length vectors, a topic map with no dangling parts. */
function assertConsistent(lib: string, when: string): void {
  openLibrary(lib).close();
  const db = new Database(lib, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `${when}: integrity_check`);
    const badVectors = db.prepare('SELECT count(*) AS n FROM embeddings WHERE length(vector) != dim * 4 OR dim = 0').get() as { n: number };
    assert.equal(badVectors.n, 0, `${when}: half-written embeddings`);
    const dangling = db
      .prepare('SELECT count(*) AS n FROM paper_clusters pc LEFT JOIN clusters c ON c.id = pc.cluster_id WHERE c.id IS NULL')
      .get() as { n: number };
    assert.equal(dangling.n, 0, `${when}: papers in clusters that do not exist`);
    const sizes = db
      .prepare('SELECT count(*) AS n FROM clusters c WHERE c.size != (SELECT count(*) FROM paper_clusters pc WHERE pc.cluster_id = c.id)')
      .get() as { n: number };
    assert.equal(sizes.n, 0, `${when}: cluster sizes disagree with their members (a topic map written in part)`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    assert.deepEqual(fk, [], `${when}: foreign keys`);
  } finally {
    db.close();
  }
}

test('SIGKILL during surveyor build leaves a whole library, and a re-run makes what an uninterrupted build makes', async () => {
  // Kill points: while the encoder loads, once vectors are stored (matching and clustering
  // run then), and a little later; each run starts from what the previous one left.
  const points: { name: string; when: (lib: string) => boolean; delayMs: number }[] = [
    { name: 'while the encoder loads', when: () => true, delayMs: 400 },
    { name: 'right after the vectors are stored', when: (lib) => embeddingsCount(lib) > 0, delayMs: 0 },
    { name: 'in the graph step', when: (lib) => embeddingsCount(lib) > 0, delayMs: 150 },
  ];
  let killedMidway = 0;
  for (const fresh of [true, false]) {
    const lib = path.join(tempDir(), 'library.sqlite');
    fs.copyFileSync(ingested, lib);
    for (const point of points) {
      if (fresh && point.name !== 'while the encoder loads') fs.copyFileSync(ingested, lib);
      const { child, done } = spawnCli(['build', '--library', lib]);
      await waitFor(() => point.when(lib), 120_000, 5);
      if (point.delayMs) await new Promise((r) => setTimeout(r, point.delayMs));
      child.kill('SIGKILL');
      const r = await done;
      if (r.signal === 'SIGKILL') killedMidway++;
      assertConsistent(lib, `after a kill ${point.name}`);
    }
    const again = runCli(['build', '--library', lib]);
    assert.equal(again.status, 0, again.stderr);
    assertConsistent(lib, 'after the re-run');
    assert.equal(graphJson(lib), expectedGraph, 'the re-run ends with the same graph, clusters and labels');
  }
  assert.ok(killedMidway >= 3, `at least three kills landed while build was running (${killedMidway})`);
});
