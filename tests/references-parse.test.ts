/**
 * The reference-entry parser on entries as printed by each template (copied from the fixture
 * PDFs' reference lists), and the text clean-up it relies on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinLines, normalizeChars, normalizeTitle } from '../ingest/extract-text.js';
import { parseReference } from '../ingest/references.js';

function fields(raw: string): { title: string | null; authors: string[]; year: number | null; arxivId: string | null } {
  const r = parseReference(raw);

  return { title: r.title, authors: r.authors, year: r.year, arxivId: r.arxivId };
}

describe('parseReference reads each template', () => {
  it('NeurIPS/ICLR: "Given Surname, ... and Given Surname. Title. Venue, year."', () => {
    assert.deepEqual(
      fields(
        '[2] Dzmitry Bahdanau, Kyunghyun Cho, and Yoshua Bengio. Neural machine translation by jointly learning ' +
          'to align and translate. CoRR, abs/1409.0473, 2014.',
      ),
      {
        title: 'Neural machine translation by jointly learning to align and translate',
        authors: ['Dzmitry Bahdanau', 'Kyunghyun Cho', 'Yoshua Bengio'],
        year: 2014,
        arxivId: '1409.0473',
      },
    );
  });

  it('ACL: "Authors. Year. Title. Venue." and a question mark inside a title', () => {
    const r = fields(
      'A. Kembhavi, M. Seo, D. Schwenk, J. Choi, A. Farhadi, and H. Hajishirzi. 2017. Are you smarter than a ' +
        'sixth grader? textbook question answering for multimodal machine comprehension. In CVPR, pages 5376–5384.',
    );
    assert.equal(
      r.title,
      'Are you smarter than a sixth grader? textbook question answering for multimodal machine comprehension',
    );
    assert.equal(r.year, 2017);
    assert.equal(r.authors.length, 6);
  });

  it('IEEE: quoted titles after a long author list', () => {
    const r = fields(
      '[7] J. Wei, Y. Tay, R. Bommasani, C. Raffel, B. Zoph, S. Borgeaud, D. Yogatama, M. Bosma, D. Zhou, ' +
        'D. Metzler et al., “Emergent abilities of large language models,” Transactions on Machine Learning Research.',
    );
    assert.equal(r.title, 'Emergent abilities of large language models');
    assert.deepEqual(r.authors.slice(0, 2), ['J. Wei', 'Y. Tay']);
  });

  it('Springer: "Surname, I., ...: Title (year), arXiv:id"', () => {
    assert.deepEqual(
      fields(
        '6. Jia, Y., Shelhamer, E., Donahue, J., Karayev, S., Long, J., Girshick, R., Guadarrama, S., Darrell, T.: ' +
          'Caffe: Convolutional architecture for fast feature embedding (2014), arXiv:1408.5093 [cs.CV]',
      ).title,
      'Caffe: Convolutional architecture for fast feature embedding',
    );
    const r = fields(
      '7. Krizhevsky, A., Sutskever, I., Hinton, G.E.: Imagenet classification with deep convolutional neural ' +
        'networks. In: NIPS. pp. 1106–1114 (2012)',
    );
    assert.deepEqual(r.authors, ['A. Krizhevsky', 'I. Sutskever', 'G.E. Hinton']);
    assert.equal(r.year, 2012);
  });

  it('ICML: "Surname, I., and Surname, I. Title." with title-case titles, and "Surname, Given"', () => {
    const a = fields(
      'Loshchilov, I. and Hutter, F. SGDR: Stochastic Gradient Descent with Warm Restarts. In ICLR, 2017.',
    );
    assert.equal(a.title, 'SGDR: Stochastic Gradient Descent with Warm Restarts');
    assert.deepEqual(a.authors, ['I. Loshchilov', 'F. Hutter']);
    const b = fields(
      'Borgwardt, Karsten M., Gretton, Arthur, Rasch, Malte J., Kriegel, Hans-Peter, Schölkopf, Bernhard, and ' +
        'Smola, Alexander J. Integrating structured biological data by kernel maximum mean discrepancy. In ISMB, 2006.',
    );
    assert.equal(b.title, 'Integrating structured biological data by kernel maximum mean discrepancy');
    assert.equal(b.authors[3], 'Hans-Peter Kriegel');
  });

  it('AAAI: "[Key Year] Surname, I.; Surname, I.; and Surname, I. Year. Title."', () => {
    const r = fields(
      '[Bahdanau, Cho, and Bengio 2014] Bahdanau, D.; Cho, K.; and Bengio, Y. 2014. Neural machine translation ' +
        'by jointly learning to align and translate. ICLR.',
    );
    assert.equal(r.title, 'Neural machine translation by jointly learning to align and translate');
    assert.deepEqual(r.authors, ['D. Bahdanau', 'K. Cho', 'Y. Bengio']);
    assert.equal(r.year, 2014);
  });

  it('ACM: an entry without authors that opens with its year', () => {
    const r = fields('[1] 2021. Fermat’s Library. https://fermatslibrary.com/');
    assert.equal(r.title, 'Fermat’s Library');
    assert.equal(r.year, 2021);
    assert.deepEqual(r.authors, []);
  });

  it('finds arXiv ids in their printed forms and mends DOIs broken at a line end', () => {
    assert.equal(fields('A. B. Title. arXiv preprint arXiv:2106.09685v2, 2021.').arxivId, '2106.09685');
    assert.equal(fields('A. B. Title. URL http://arxiv.org/abs/1905.10337.').arxivId, '1905.10337');
    assert.equal(fields('Agarwal, N. and Zhang, C. A title. arXiv preprint: 2002.11803, 2020.').arxivId, '2002.11803');
    const r = parseReference(
      'Jihun Ham and Daniel D. Lee. Grassmann discriminant analysis. In ICML, 2008. ' +
        'URL https://doi.org/10.1145/1390156. 1390204.',
    );
    assert.equal(r.doi, '10.1145/1390156.1390204');
  });
});

describe('text clean-up', () => {
  it('replaces ligatures and puts LaTeX spacing accents back on their letters', () => {
    assert.equal(normalizeChars('eﬃcient ﬁne-tuning'), 'efficient fine-tuning');
    assert.equal(normalizeChars('D ́epartement, Cand`es, Ondˇrej Duˇsek'), 'Département, Candès, Ondřej Dušek');
  });

  it('joins a word broken at a line end unless the paper writes it with a hyphen', () => {
    assert.equal(joinLines(['a new repre-', 'sentation']), 'a new representation');
    assert.equal(joinLines(['large-scale pre-', 'training'], new Set(['pre-training'])), 'large-scale pre-training');
    assert.equal(joinLines(['an end-', 'to-end model']), 'an end-to-end model');
    assert.equal(joinLines(['GPT-', '4 is']), 'GPT-4 is');
  });

  it('compares titles without case, accents or punctuation', () => {
    assert.equal(
      normalizeTitle('U-Net: Convolutional Networks — for Biomedical Image Segmentation'),
      'u net convolutional networks for biomedical image segmentation',
    );
    assert.equal(normalizeTitle('Réseaux'), 'reseaux');
  });
});
