/**
 * Property tests of the BibTeX key maker: whatever the names and titles, it never throws,
 * keys are plain ASCII letters and digits (safe in BibTeX and in \cite), unique, and stable:
 * adding papers never changes the key of a paper already there.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { citeKeys, type KeyedPaper } from '../survey/cite-keys.js';

const word = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('Attention', 'the', 'On', 'Müller', 'van der Berg', 'O’Neil', 'Łukasz', '李', 'GPT-4', '{\\"o}', '#1', 'a,b', '}'),
  fc.string({ unit: 'binary', maxLength: 5 }),
);
const paper = (id: number): fc.Arbitrary<KeyedPaper> =>
  fc.record({
    id: fc.constant(id),
    title: fc.option(fc.array(word, { maxLength: 8 }).map((w) => w.join(' '))),
    authors: fc.array(fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')), { maxLength: 4 }),
    year: fc.option(fc.integer({ min: 1900, max: 2100 })),
    arxivId: fc.option(fc.constantFrom('1706.03762', '2106.09685', 'cs/0112017', 'not-an-id', '')),
  });
/** `n` papers with ids 1..n, as a library assigns them. */
const library = (n: number) => fc.tuple(...Array.from({ length: n }, (_, i) => paper(i + 1)));

test('cite keys are BibTeX-safe ASCII, unique and deterministic for any papers', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }).chain(library), (papers) => {
      const keys = citeKeys(papers);
      const values = [...keys.values()];
      assert.equal(keys.size, papers.length);
      assert.equal(new Set(values).size, values.length, `unique: ${values.join(' ')}`);
      for (const k of values) assert.match(k, /^[a-z0-9]+$/, `safe key: ${JSON.stringify(k)}`);
      assert.deepEqual(citeKeys([...papers].reverse()), keys, 'the order papers are given in does not matter');
    }),
    { numRuns: 300 },
  );
});

test('adding papers never changes the keys of papers already in the library', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }).chain(library), fc.integer({ min: 1, max: 6 }).chain(library), (old, more) => {
      const before = citeKeys(old);
      const grown = [...old, ...more.map((p) => ({ ...p, id: p.id + old.length }))];
      const after = citeKeys(grown);
      for (const p of old) assert.equal(after.get(p.id), before.get(p.id));
    }),
    { numRuns: 200 },
  );
});
