/**
 * Embedding a library: only what is missing or stale, stored with the model's
 * identity, in batches with progress, cancellable without losing finished batches.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancelledError } from '../core/errors.js';
import type { ProgressEvent } from '../core/progress.js';
import { currentEmbeddingModel, readEmbeddings } from '../db/embeddings.js';
import type { Library } from '../db/library.js';
import { embedLibrary } from '../models/embed-library.js';
import { loadEncoder, type ModelEncoder } from '../models/encoder.js';
import { nearestPapers } from '../models/similar.js';
import { paperWindows, windowsHash } from '../models/paper-text.js';
import { tempDir, tempLibraryPath } from './helpers.js';
import { fixtureAbstracts, libraryFromAbstracts } from './models-support.js';
import { writeTinyBert } from './models-tiny-bert.js';

describe('what a paper embeds as', () => {
  // The longest of the first 50 abstracts: past the model's 128 tokens for sure.
  const paper = fixtureAbstracts(50).sort((a, b) => b.abstract.length - a.abstract.length)[0];

  it('is sentence-aligned windows of title + abstract, each within the token budget', async () => {
    const enc = await loadEncoder({ device: 'cpu' });
    try {
      const count = (t: string) => enc.countTokens(t);
      const windows = paperWindows(paper, { countTokens: count, maxTokens: 128 });
      assert.ok(windows.length >= 2, `${windows.length} windows`);
      assert.ok(windows[0].startsWith(paper.title));
      for (const w of windows) assert.ok(count(w) <= 128 && /[.!?]$/.test(w), w);
      // Nothing lost: the windows hold every word of title and abstract, in order.
      const words = (s: string) => s.replace(/\s+/g, ' ').trim().split(' ');
      assert.deepEqual(words(windows.join(' ')), words(`${paper.title}. ${paper.abstract}`));
    } finally {
      await enc.close();
    }
  });

  it('copes with a whole paper body: long texts are segmented in chunks (V8 copies the input per segment)', () => {
    const count = (t: string) => t.split(' ').length;
    const sentence = 'Graph neural networks propagate features along the edges of a citation graph. ';
    const body = sentence.repeat(4000) + 'word '.repeat(3000);
    const windows = paperWindows({ title: 'A body', abstract: body }, { countTokens: count, maxTokens: 128 });
    assert.ok(windows.every((w) => count(w) <= 128));
    assert.equal(windows.join(' ').split(' ').length, body.trim().split(' ').length + 2);
  });

  it('splits a sentence longer than the budget at word boundaries, and is empty with no text', () => {
    const count = (t: string) => t.split(' ').length;
    const windows = paperWindows(
      { title: null, abstract: 'one two three four five six seven' },
      { countTokens: count, maxTokens: 3 },
    );
    assert.deepEqual(windows, ['one two three', 'four five six', 'seven']);
    assert.deepEqual(paperWindows({ title: null, abstract: '  ' }), []);
    assert.notEqual(windowsHash(['a b']), windowsHash(['a', 'b']));
  });
});

describe('embedLibrary', () => {
  let lib: Library;
  let enc: ModelEncoder;
  const papers = fixtureAbstracts(40);

  before(async () => {
    lib = libraryFromAbstracts(tempLibraryPath(), papers);
    lib.db.prepare('INSERT INTO papers (title, abstract) VALUES (NULL, NULL)').run();
    enc = await loadEncoder({ device: 'cpu' });
  });
  after(async () => {
    await enc.close();
    lib.close();
  });

  it('embeds every paper with text, reports progress, and stores unit vectors under the model id', async () => {
    const events: ProgressEvent[] = [];
    const report = await embedLibrary(lib, { encoder: enc, batchPapers: 16, onProgress: (e) => events.push(e) });
    assert.deepEqual(
      {
        embedded: report.embedded,
        total: report.total,
        skipped: report.skipped,
        model: report.model,
        provider: report.provider,
      },
      { embedded: 40, total: 41, skipped: 1, model: enc.id, provider: 'cpu' },
    );
    assert.deepEqual(
      events.map((e) => e.done),
      [0, 16, 32, 40],
    );
    const { model, vectors } = readEmbeddings(lib.db);
    assert.equal(model, enc.id);
    assert.equal(vectors.size, 40);
    for (const v of vectors.values()) {
      assert.equal(v.length, 512);
      assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5);
    }
  });

  it('stores for each paper the normalized mean of its windows', async () => {
    const row = lib.db.prepare('SELECT id, title, abstract FROM papers ORDER BY id LIMIT 1').get() as {
      id: number;
      title: string;
      abstract: string;
    };
    const windows = paperWindows(row, { countTokens: (t) => enc.countTokens(t) });
    const parts = await enc.embed(windows);
    const mean = parts[0].map((_, k) => parts.reduce((s, p) => s + p[k], 0));
    const norm = Math.hypot(...mean);
    assert.ok(windows.length >= 2, `${windows.length} windows`);
    const stored = readEmbeddings(lib.db).vectors.get(row.id)!;
    stored.forEach((x, k) => assert.ok(Math.abs(x - mean[k] / norm) < 1e-5));
  });

  it('embeds nothing the second time, and only the changed or added papers after that', async () => {
    assert.equal((await embedLibrary(lib, { encoder: enc })).embedded, 0);
    lib.db.prepare('UPDATE papers SET abstract = abstract || ? WHERE id = 3').run(' We also release the code.');
    libraryFromAbstracts(lib.path, fixtureAbstracts(41).slice(40)).close();
    const report = await embedLibrary(lib, { encoder: enc });
    assert.equal(report.embedded, 2);
    assert.equal(report.current, 39);
  });

  it('drops the vector of a paper whose title and abstract are gone', async () => {
    const other = libraryFromAbstracts(tempLibraryPath(), papers.slice(0, 3));
    try {
      await embedLibrary(other, { encoder: enc });
      other.db.prepare('UPDATE papers SET title = NULL, abstract = NULL WHERE id = 2').run();
      const report = await embedLibrary(other, { encoder: enc });
      assert.deepEqual([report.embedded, report.skipped], [0, 1]);
      assert.deepEqual([...readEmbeddings(other.db).vectors.keys()], [1, 3]);
    } finally {
      other.close();
    }
  });

  it('keeps the batches finished before a cancel', async () => {
    const other = libraryFromAbstracts(tempLibraryPath(), papers.slice(0, 20));
    const controller = new AbortController();
    try {
      await assert.rejects(
        embedLibrary(other, {
          encoder: enc,
          batchPapers: 8,
          signal: controller.signal,
          onProgress: (e) => e.done === 8 && controller.abort(),
        }),
        CancelledError,
      );
      assert.equal(readEmbeddings(other.db).vectors.size, 8);
      assert.equal((await embedLibrary(other, { encoder: enc })).embedded, 12);
    } finally {
      other.close();
    }
  });

  it('reports progress while reading a large library, and can be cancelled there', async () => {
    const big = libraryFromAbstracts(tempLibraryPath(), fixtureAbstracts(600));
    const controller = new AbortController();
    const phases: string[] = [];
    try {
      await assert.rejects(
        embedLibrary(big, {
          encoder: enc,
          signal: controller.signal,
          onProgress: (e) => {
            phases.push(`${e.phase} ${e.done}/${e.total}`);
            controller.abort();
          },
        }),
        CancelledError,
      );
      assert.deepEqual(phases, ['embed: reading papers 250/600']);
      assert.equal(readEmbeddings(big.db).vectors.size, 0);
    } finally {
      big.close();
    }
  });

  it('re-embeds everything for another model and keeps both sets apart', async () => {
    const bert = writeTinyBert(path.join(tempDir(), 'tiny-model'), { pooling: 'mean' });
    const report = await embedLibrary(lib, { model: bert.dir, device: 'cpu' });
    assert.equal(report.embedded, 41);
    assert.match(report.model, /^tiny-model@/);
    assert.equal(readEmbeddings(lib.db, report.model).vectors.get(1)?.length, 8);
    assert.equal(readEmbeddings(lib.db, enc.id).vectors.size, 41);
    assert.ok([enc.id, report.model].includes(currentEmbeddingModel(lib.db) ?? ''));
  });

  it('finds nearest papers with cosine scores, best first, itself excluded', () => {
    const { vectors } = readEmbeddings(lib.db, enc.id);
    const near = nearestPapers(lib.db, vectors, 1, 5)!;
    assert.equal(near.length, 5);
    assert.ok(near.every((n) => n.id !== 1 && n.score <= 1 && n.score > -1));
    for (let k = 1; k < near.length; k++) assert.ok(near[k - 1].score >= near[k].score);
    assert.equal(nearestPapers(lib.db, vectors, 9999), null);
  });
});
