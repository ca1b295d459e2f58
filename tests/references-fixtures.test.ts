/**
 * Reference lists of thirteen fixture papers in different templates, checked by hand against the
 * printed PDFs (read with poppler's pdftotext): the entry count is exact, and several entries per
 * paper have their title, first author, year and arXiv id as printed.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ReferenceRecord } from '../db/papers.js';
import { parsePdfFile } from '../ingest/parse-file.js';
import { fixturePdf } from './helpers.js';

interface Expected {
  n: number;
  title: string;
  first: string | null;
  year: number | null;
  arxivId: string | null;
}

interface PaperCase {
  id: string;
  template: string;
  count: number;
  entries: Expected[];
}

const e = (n: number, title: string, first: string | null, year: number | null, arxivId: string | null = null) => ({
  n,
  title,
  first,
  year,
  arxivId,
});

const CASES: PaperCase[] = [
  {
    id: '1706.03762',
    template: 'NeurIPS, [n] labels',
    count: 40,
    entries: [
      e(1, 'Layer normalization', 'Jimmy Lei Ba', 2016, '1607.06450'),
      e(
        2,
        'Neural machine translation by jointly learning to align and translate',
        'Dzmitry Bahdanau',
        2014,
        '1409.0473',
      ),
      e(13, 'Long short-term memory', 'Sepp Hochreiter', 1997),
      e(40, 'Fast and accurate shift-reduce constituent parsing', 'Muhua Zhu', 2013),
    ],
  },
  {
    id: '1512.03385',
    template: 'CVPR, two columns, [n] labels',
    count: 50,
    entries: [
      e(1, 'Learning long-term dependencies with gradient descent is difficult', 'Y. Bengio', 1994),
      e(21, 'Imagenet classification with deep convolutional neural networks', 'A. Krizhevsky', 2012),
      e(42, 'Highway networks', 'R. K. Srivastava', 2015, '1505.00387'),
      e(50, 'Visualizing and understanding convolutional neural networks', 'M. D. Zeiler', 2014),
    ],
  },
  {
    id: '1505.04597',
    template: 'Springer LNCS, "1." labels, "Surname, I.:" authors',
    count: 14,
    entries: [
      e(1, 'Deep neural networks segment neuronal membranes in electron microscopy images', 'D.C. Ciresan', 2012),
      e(6, 'Caffe: Convolutional architecture for fast feature embedding', 'Y. Jia', 2014, '1408.5093'),
      e(12, 'Very deep convolutional networks for large-scale image recognition', 'K. Simonyan', 2014, '1409.1556'),
    ],
  },
  {
    id: '2104.08691',
    template: 'ACL/EMNLP, two columns, author-year with hanging indent',
    count: 52,
    entries: [
      e(8, 'BERT: Pre-training of deep bidirectional transformers for language understanding', 'Jacob Devlin', 2019),
      e(13, 'WARP: Word-level Adversarial ReProgramming', 'Karen Hambardzumyan', 2021),
      e(29, 'Prefix-tuning: Optimizing continuous prompts for generation', 'Xiang Lisa Li', 2021),
      e(
        52,
        'ReCoRD: Bridging the gap between human and machine commonsense reading comprehension',
        'Sheng Zhang',
        2018,
        '1810.12885',
      ),
    ],
  },
  {
    id: '2106.09685',
    template: 'ICLR, author-year, appendix after the references',
    count: 62,
    entries: [
      e(
        1,
        'Intrinsic Dimensionality Explains the Effectiveness of Language Model Fine-Tuning',
        'Armen Aghajanyan',
        2020,
        '2012.13255',
      ),
      e(27, 'The Power of Scale for Parameter-Efficient Prompt Tuning', 'Brian Lester', 2021, '2104.08691'),
      e(
        62,
        'Seq2sql: Generating structured queries from natural language using reinforcement learning',
        'Victor Zhong',
        2017,
        '1709.00103',
      ),
    ],
  },
  {
    id: '2203.00130',
    template: 'ACM, [n] labels, entries without authors',
    count: 111,
    entries: [
      e(1, 'Fermat’s Library', null, 2021),
      e(
        14,
        'Scientific Literacy: The Role of Goal-Directed Reading and Evaluation in Understanding Scientific Information',
        'Mary Anne Britt',
        2014,
      ),
      e(18, 'Language Models are Few-Shot Learners', 'Tom B. Brown', 2020, '2005.14165'),
    ],
  },
  {
    id: '2306.08302',
    template: 'IEEE Transactions, quoted titles',
    count: 268,
    entries: [
      e(
        1,
        'Bert: Pre-training of deep bidirectional transformers for language understanding',
        'J. Devlin',
        2018,
        '1810.04805',
      ),
      e(24, 'Never-ending learning', 'T. Mitchell', 2018),
      e(
        268,
        'Siren’s song in the ai ocean: A survey on hallucination in large language models',
        'Y. Zhang',
        2023,
        '2309.01219',
      ),
    ],
  },
  {
    id: '1409.7495',
    template: 'ICML 2014, "Surname, Given" authors',
    count: 35,
    entries: [
      e(1, 'Contour detection and hierarchical image segmentation', 'Pablo Arbelaez', 2011),
      e(5, 'Integrating structured biological data by kernel maximum mean discrepancy', 'Karsten M. Borgwardt', 2006),
      e(33, 'Barnes-hut-sne', 'Laurens van der Maaten', 2013, '1301.3342'),
    ],
  },
  {
    id: '2007.01547',
    template: 'ICML 2020, "Surname, I." authors, title-case titles',
    count: 19,
    entries: [
      e(3, 'Random Search for HyperParameter Optimization', 'J. Bergstra', 2012),
      e(11, 'SGDR: Stochastic Gradient Descent with Warm Restarts', 'I. Loshchilov', 2017),
      e(18, 'A Walk with SGD', 'C. Xing', 2018, '1802.08770'),
    ],
  },
  {
    id: '1803.02999',
    template: 'one-column arXiv, [n] labels',
    count: 21,
    entries: [
      e(3, 'RL2: Fast reinforcement learning via slow reinforcement learning', 'Yan Duan', 2016, '1611.02779'),
      e(
        14,
        'Few-shot autoregressive density estimation: Towards learning to learn distributions',
        'Scott Reed',
        2017,
        '1710.10304',
      ),
      e(21, 'Parallelized stochastic gradient descent', 'Martin Zinkevich', 2010),
    ],
  },
  {
    id: '1707.04873',
    template: 'AAAI, [Key Year] labels, "Surname, I.;" authors',
    count: 37,
    entries: [
      e(1, 'Neural machine translation by jointly learning to align and translate', 'D. Bahdanau', 2014),
      e(14, 'A natural policy gradient', 'S. Kakade', 2002),
      e(37, 'Neural architecture search with reinforcement learning', 'B. Zoph', 2017),
    ],
  },
  {
    id: '2101.03961',
    template: 'JMLR, author-year, a title that opens with a quoted phrase',
    count: 61,
    entries: [
      e(19, 'Long short-term memory', 'Sepp Hochreiter', 1997),
      e(
        46,
        'Outrageously large neural networks: The sparsely-gated mixture-of-experts layer',
        'Noam Shazeer',
        2017,
        '1701.06538',
      ),
      e(54, 'cloze procedure: A new tool for measuring readability', 'Wilson L Taylor', 1953),
    ],
  },
  {
    id: '2302.07302',
    template: 'ACM CHI, [n] labels, author-year inside',
    count: 65,
    entries: [
      e(5, 'SciBERT: A Pretrained Language Model for Scientific Text', 'Iz Beltagy', 2019),
      e(
        26,
        'PaperPoles: Facilitating adaptive visual exploration of scientific publications by citation links',
        'Jiangen He',
        2019,
      ),
      e(65, 'A Robust and Domain-Adaptive Approach for Low-Resource Named Entity Recognition', 'Houjin Yu', 2020),
    ],
  },
];

const parsed = new Map<string, ReferenceRecord[]>();

before(async () => {
  for (const c of CASES) parsed.set(c.id, (await parsePdfFile(fixturePdf(c.id))).references);
});

describe('reference lists checked by hand', () => {
  for (const c of CASES) {
    it(`${c.id} (${c.template}): ${c.count} entries with the printed fields`, () => {
      const refs = parsed.get(c.id)!;
      assert.equal(refs.length, c.count, `${c.id}: entry count`);
      for (const x of c.entries) {
        const r = refs[x.n - 1];
        assert.equal(r.title, x.title, `${c.id} #${x.n} title`);
        assert.equal(r.authors[0] ?? null, x.first, `${c.id} #${x.n} first author`);
        assert.equal(r.year, x.year, `${c.id} #${x.n} year`);
        assert.equal(r.arxivId, x.arxivId, `${c.id} #${x.n} arXiv id`);
      }
    });
  }

  it('numbers [n] lists from 1 without gaps', () => {
    for (const id of ['1706.03762', '1512.03385', '2203.00130', '2306.08302', '1803.02999', '2302.07302']) {
      const labels = parsed.get(id)!.map((r) => Number(/^\[(\d+)\]/.exec(r.raw)?.[1]));
      assert.deepEqual(
        labels,
        labels.map((_, i) => i + 1),
        id,
      );
    }
  });

  it('keeps DOIs whole when a line break falls inside them', () => {
    const lora = parsed.get('2106.09685')!;
    const ham = lora.find((r) => r.title?.startsWith('Grassmann discriminant analysis'));
    assert.equal(ham?.doi, '10.1145/1390156.1390204');
  });
});
