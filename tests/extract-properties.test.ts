/**
 * Property tests: the reference parser, the title/arXiv-id extraction and the whole extractor
 * never throw, whatever strings and text runs they are given, and keep their output shapes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { arxivIdFromFileName, extractPaper } from '../ingest/extract.js';
import { arxivIdIn, findTitle, looksLikeName } from '../ingest/extract-meta.js';
import { joinLines, normalizeChars, normalizeTitle } from '../ingest/extract-text.js';
import { pageLines } from '../ingest/layout.js';
import type { PageContent, TextItem } from '../ingest/pdf-text.js';
import { parseReference, splitAuthors } from '../ingest/references.js';

/** Text that looks a little like a reference or a title: words, names, years, ids, punctuation. */
const token = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('and', 'et al.', 'In', 'arXiv:', 'arXiv preprint', 'doi:', '10.1145/', 'pp.', '“', '”', '"'),
  fc.constantFrom('2019.', '(2020)', '1706.03762v5', 'abs/1409.0473', 'J.', 'Smith,', 'A. B.', '[12]', '3.', '-'),
  fc.constantFrom(':', ';', ',', '.', '?', ' ', '\n', 'ﬁ', 'ﬂ', '\u00ad', ' ́e', 'ˇs', '`e', '\u0000', '\ud800'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const textish = fc.array(token, { maxLength: 40 }).map((parts) => parts.join(' '));

const item: fc.Arbitrary<TextItem> = fc.record({
  str: textish,
  x: fc.double({ min: -1e4, max: 1e4, noNaN: false }),
  y: fc.double({ min: -1e4, max: 1e4, noNaN: false }),
  w: fc.double({ min: -100, max: 1e4, noNaN: false }),
  size: fc.oneof(fc.double({ min: -5, max: 100, noNaN: false }), fc.constant(0), fc.constant(Infinity)),
  font: fc.constantFrom('g_d0_f1', 'g_d0_f2', ''),
  eol: fc.boolean(),
  rotated: fc.boolean(),
});

const page = (n: number): fc.Arbitrary<PageContent> =>
  fc.record({
    number: fc.constant(n),
    width: fc.double({ min: 1, max: 2000, noNaN: true }),
    height: fc.double({ min: 1, max: 2000, noNaN: true }),
    items: fc.array(item, { maxLength: 60 }),
  });

describe('extraction never throws on arbitrary input', () => {
  it('parses any string as a reference, with well-formed fields', () => {
    fc.assert(
      fc.property(textish, (s) => {
        const r = parseReference(s);
        assert.equal(typeof r.raw, 'string');
        assert.ok(r.title === null || (typeof r.title === 'string' && r.title.length > 0));
        assert.ok(Array.isArray(r.authors) && r.authors.every((a) => typeof a === 'string' && a.length > 0));
        assert.ok(r.year === null || (Number.isInteger(r.year) && r.year >= 1950 && r.year <= 2049));
        assert.ok(r.arxivId === null || /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})$/.test(r.arxivId));
        assert.ok(r.doi === null || r.doi.startsWith('10.'));
      }),
      { numRuns: 2000 },
    );
  });

  it('splits any string into author names and normalizes any text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ unit: 'binary' }), (a: string, b: string) => {
        splitAuthors(a);
        looksLikeName(b);
        assert.equal(typeof normalizeChars(b), 'string');
        assert.match(normalizeTitle(b), /^[a-z0-9 ]*$/);
        assert.equal(typeof joinLines([a, b, a]), 'string');
      }),
      { numRuns: 2000 },
    );
  });

  it('finds arXiv ids only in the arXiv form, in any text or file name', () => {
    fc.assert(
      fc.property(textish, fc.string(), (s, name) => {
        const a = arxivIdIn(s);
        assert.ok(a === null || /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})$/.test(a.id));
        const f = arxivIdFromFileName(name);
        assert.ok(f === null || f.version === null || Number.isInteger(f.version));
      }),
      { numRuns: 2000 },
    );
    assert.deepEqual(arxivIdIn('arXiv:1706.03762v7 [cs.CL] 2 Aug 2023'), { id: '1706.03762', version: 7 });
    assert.deepEqual(arxivIdFromFileName('/papers/2106.09685v2.pdf'), { id: '2106.09685', version: 2 });
  });

  it('builds lines and finds a title in arbitrary text runs', () => {
    fc.assert(
      fc.property(page(1), (p) => {
        const lines = pageLines(p);
        const t = findTitle(lines, p.height);
        assert.ok(t.title === null || typeof t.title === 'string');
      }),
      { numRuns: 500 },
    );
  });

  it('extracts a paper from arbitrary pages without throwing', () => {
    fc.assert(
      fc.property(page(1), page(2), (p1, p2) => {
        const x = extractPaper([p1, p2], 'odd name.pdf');
        assert.equal(x.pages, 2);
        assert.ok(Array.isArray(x.references) && Array.isArray(x.headings) && Array.isArray(x.authors));
      }),
      { numRuns: 300 },
    );
    assert.equal(extractPaper([], '1406.2661.pdf').arxivId, '1406.2661');
  });
});
