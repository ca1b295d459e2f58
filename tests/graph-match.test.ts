import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchReferences, ReferenceMatcher, type LibraryPaper, type ReferenceRow } from '../graph/match.js';
import { arxivIdsIn, normalizeTitle, squash } from '../graph/text.js';

const LIB: LibraryPaper[] = [
  { id: 1, title: 'Attention Is All You Need', year: 2017, arxivId: '1706.03762', doi: null },
  { id: 2, title: 'Pre-Trained Transformers for Sequence Labeling', year: 2020, arxivId: null, doi: '10.1000/xyz.42' },
  { id: 3, title: 'Segment Anything', year: 2023, arxivId: '2304.02643', doi: null },
  {
    id: 4,
    title: 'LLaMA: Open and Efficient Foundation Language Models',
    year: 2023,
    arxivId: '2302.13971',
    doi: null,
  },
  { id: 5, title: 'Über Ähnlichkeit von Flüssen in Graphen', year: 2019, arxivId: null, doi: null },
  {
    id: 6,
    title: 'REALM: Retrieval-Augmented Language Model Pre-Training',
    year: 2020,
    arxivId: '2002.08909',
    doi: null,
  },
];

let nextId = 1;
function ref(raw: string, fields: Partial<ReferenceRow> = {}): ReferenceRow {
  return { id: nextId++, paperId: 99, raw, title: null, year: null, arxivId: null, doi: null, ...fields };
}

function matchOne(raw: string, fields: Partial<ReferenceRow> = {}): number | null {
  return new ReferenceMatcher(LIB).match(ref(raw, fields))?.paper.id ?? null;
}

test('normalized titles ignore case, accents, ligatures, LaTeX and hyphenation at line ends', () => {
  assert.equal(
    normalizeTitle("Ef\uFB01cient {T}rans-\nformers for \\emph{Caf\\'e} Menus"),
    'efficient transformers for cafe menus',
  );
  assert.equal(squash('Pre-Trained  Trans- formers'), squash('pretrained transformers'));
  assert.deepEqual(arxivIdsIn('see arXiv:1706.03762v5 and https://arxiv.org/abs/2002.08909, also cs/0501001'), [
    '1706.03762',
    '2002.08909',
    'cs/0501001',
  ]);
});

test('a reference is matched by arXiv id, by DOI, and by a title found whole in the raw text', () => {
  assert.equal(matchOne('A. Vaswani et al. Some other wording. arXiv:1706.03762, 2017.'), 1);
  assert.equal(matchOne('X. Y. Something. J. Stuff, 2020. doi:10.1000/XYZ.42.'), 2);
  assert.equal(
    matchOne('Ashish Vaswani, Noam Shazeer. 2017. Attention is all you need. In NeurIPS, pages 5998–6008.'),
    1,
  );
  assert.equal(matchOne('A. Vaswani, N. Shazeer, “Attention is all you need,” in NeurIPS, 2017.'), 1);
});

test('titles broken by a line-end hyphen, ligatures, accents and LaTeX leftovers still match', () => {
  assert.equal(matchOne('J. Doe. Pre-trained trans-\nformers for sequence label-\ning. In ACL, 2020.'), 2);
  assert.equal(matchOne('J. Doe. Pre-Trained Trans\uFB01 ... no.'), null);
  assert.equal(matchOne('K. Müller. {\\"U}ber {\\"A}hnlichkeit von Fl{\\"u}ssen in Graphen. Diss., 2019.'), 5);
  assert.equal(matchOne('K. Mueller. Uber Ahnlichkeit von Flussen in Graphen. 2019.'), 5);
});

test('a title cut short with an ellipsis matches when enough of it is left', () => {
  assert.equal(matchOne('H. Touvron et al. LLaMA: Open and efficient foundation lang… arXiv, 2023.'), 4);
  assert.equal(matchOne('H. Touvron et al. LLaMA: Open… 2023.'), null, 'too little of the title left');
});

test('a title after its colon alone still matches when it is long', () => {
  assert.equal(matchOne('K. Guu, K. Lee. 2020. Retrieval augmented language model pre-training. In ICML.'), 6);
});

test('a library title inside a longer title is not a match (precision first)', () => {
  assert.equal(matchOne('L. Ke et al. Segment anything in high quality. In NeurIPS, 2023.'), null);
  assert.equal(matchOne('A. Kirillov et al. Segment anything. In ICCV, 2023.'), 3);
  assert.equal(matchOne('Z. Someone. Why attention is all you need for graphs. 2021.'), null);
});

test('an arXiv id of another paper, or a year before the paper existed, vetoes a title match', () => {
  assert.equal(matchOne('A. Vaswani. Attention is all you need. arXiv:1801.00001, 2018.'), null);
  assert.equal(matchOne('A. Vaswani. Attention is all you need. 2009.', { year: 2009 }), null);
  assert.equal(
    matchOne('A. Vaswani. Attention is all you need. 2016.', { year: 2016 }),
    1,
    'a preprint a year earlier is fine',
  );
});

test('a reference never matches its own paper; a parsed title matches exactly (a short one with a year)', () => {
  const r = ref('A. Vaswani. Attention is all you need. 2017.', { paperId: 1 });
  assert.equal(new ReferenceMatcher(LIB).match(r), null);
  const matches = matchReferences(LIB, [
    ref('garbled 2023', { title: 'Segment Anything' }),
    ref('garbled, no year', { title: 'Segment Anything' }),
    ref('nothing to see here'),
  ]);
  assert.deepEqual(
    matches.map((m) => [m.citedId, m.method]),
    [[3, 'title']],
  );
});
