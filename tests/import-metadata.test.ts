import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openLibrary } from '../db/library.js';
import { detectFormat, parseCsv, parseList, readMetadataFile } from '../graph/formats.js';
import { importFiles } from '../graph/import.js';
import { FIXTURES, fixturePdf, runCli, tempDir, tempLibraryPath } from './helpers.js';

const ABSTRACTS = path.join(FIXTURES, 'abstracts');
const DW = path.join(ABSTRACTS, 'dw-dengwei__daily-arXiv-ai-enhanced__data_2025-04-15.jsonl');

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);

  return file;
}

const BIB = String.raw`@article{vaswani2017,
  title={Attention is All you Need},
  author={Vaswani, Ashish and Shazeer, Noam and M{\"u}ller, J.},
  journal={arXiv preprint arXiv:1706.03762},
  year={2017},
  doi={10.48550/arXiv.1706.03762}
}
@inproceedings{he2016,
  title = {Deep Residual Learning for Image Recognition},
  author = {He, Kaiming and Zhang, Xiangyu},
  booktitle = {CVPR},
  year = 2016,
  doi = {10.1109/CVPR.2016.90}
}
`;

const RIS = `TY  - JOUR
TI  - Deep learning
AU  - LeCun, Yann
AU  - Bengio, Yoshua
PY  - 2015
DO  - 10.1038/nature14539
AB  - Deep learning allows computational models that are composed of multiple processing layers.
ER  - 
`;

test('CSV fields may hold quotes, commas and line breaks; list fields accept Python literals', () => {
  assert.deepEqual(parseCsv('a,b\n"x, ""y""","line\nbreak"\n'), [
    ['a', 'b'],
    ['x, "y"', 'line\nbreak'],
  ]);
  assert.deepEqual(parseList("['math.ST', 'stat.ML']", /\s+/), ['math.ST', 'stat.ML']);
  assert.deepEqual(parseList("['O\\'Brien, K.', \"D'Arcy\"]", /,/), ["O'Brien, K.", "D'Arcy"]);
  assert.deepEqual(parseList([{ given: 'Ada', family: 'Lovelace' }, 'Alan Turing'], /,/), [
    'Ada Lovelace',
    'Alan Turing',
  ]);
});

test('BibTeX and RIS are read with citation-js into titles, authors, years, DOIs and arXiv ids', async () => {
  const bib = await readMetadataFile('x.bib', BIB);
  assert.equal(bib.length, 2);
  assert.equal(bib[0].title, 'Attention is All you Need');
  assert.equal(bib[0].arxivId, '1706.03762', 'the arXiv DOI names the arXiv id');
  assert.equal(bib[0].doi, null);
  assert.deepEqual(bib[0].authors, ['Ashish Vaswani', 'Noam Shazeer', 'J. Müller']);
  assert.equal(bib[1].doi, '10.1109/cvpr.2016.90');
  assert.equal(bib[1].year, 2016);
  const ris = await readMetadataFile('x.ris', RIS);
  assert.equal(ris.length, 1);
  assert.equal(ris[0].title, 'Deep learning');
  assert.equal(ris[0].year, 2015);
  assert.match(ris[0].abstract ?? '', /multiple processing layers/);
});

test('arXiv JSON Lines, JSON arrays and CSV give arXiv ids, abstracts and categories', async () => {
  const jsonl = await readMetadataFile(
    'a.jsonl',
    JSON.stringify({
      id: '2504.08901v2',
      title: 'T',
      summary: 'An\nabstract',
      categories: ['cs.CV', 'cs.RO'],
      authors: ['A B'],
    }),
  );
  assert.deepEqual(
    { id: jsonl[0].arxivId, abs: jsonl[0].abstract, cats: jsonl[0].categories, year: jsonl[0].year },
    { id: '2504.08901', abs: 'An abstract', cats: ['cs.CV', 'cs.RO'], year: 2025 },
  );
  const snapshot = await readMetadataFile(
    'b.jsonl',
    JSON.stringify({
      id: 'hep-th/9901001',
      title: 'Old',
      abstract: 'x',
      categories: 'hep-th gr-qc',
      authors: 'A. One, B. Two and C. Three',
    }),
  );
  assert.deepEqual(snapshot[0].categories, ['hep-th', 'gr-qc']);
  assert.deepEqual(snapshot[0].authors, ['A. One', 'B. Two', 'C. Three']);
  assert.equal(snapshot[0].year, 1999);
  const csv = await readMetadataFile('c.csv', 'title,summary,category\n"A, title",words,computer science\n');
  assert.deepEqual(csv[0].categories, ['computer science'], 'a field named in words stays whole');
  const csl = await readMetadataFile(
    'd.json',
    JSON.stringify([
      {
        type: 'article-journal',
        title: 'CSL item',
        DOI: '10.1/ABC',
        issued: { 'date-parts': [[2021]] },
        author: [{ family: 'Doe', given: 'Jane' }],
      },
    ]),
  );
  assert.deepEqual(
    { doi: csl[0].doi, year: csl[0].year, authors: csl[0].authors },
    { doi: '10.1/abc', year: 2021, authors: ['Jane Doe'] },
  );
});

test('unreadable files fail with a message naming the file and the reason; the rest is stored', async () => {
  const dir = tempDir();
  const lib = openLibrary(tempLibraryPath());
  const bad = write(dir, 'broken.jsonl', '{"id": "2401.00001", "title": "fine"}\nnot json\n');
  const odd = write(dir, 'notes.txt', 'just some text');
  const good = write(dir, 'refs.bib', BIB);
  const report = await importFiles(lib, [bad, odd, good, path.join(dir, 'absent.ris')]);
  assert.equal(report.added.length, 2);
  assert.equal(report.failed.length, 3);
  assert.match(report.failed[0].error, /broken\.jsonl: line 2 is not a JSON object/);
  assert.match(report.failed[1].error, /notes\.txt: not a metadata file/);
  assert.match(report.failed[2].error, /absent\.ris: no such file/);
  assert.throws(() => detectFormat('x.txt', 'hello'), /x\.txt/);
  lib.close();
});

test('importing records twice adds nothing; a PDF with the same arXiv id fills the imported record in', async () => {
  const dir = tempDir();
  const file = tempLibraryPath();
  const lib = openLibrary(file);
  const meta = write(
    dir,
    'lora.jsonl',
    JSON.stringify({
      id: '2106.09685',
      title: 'LoRA: Low-Rank Adaptation of Large Language Models',
      summary: 'adapters',
      categories: ['cs.CL', 'cs.LG'],
    }) + '\n',
  );
  const first = await importFiles(lib, [meta]);
  const second = await importFiles(lib, [meta]);
  assert.equal(first.added.length, 1);
  assert.equal(second.added.length, 0);
  assert.equal(second.duplicates.length, 1);
  lib.close();

  const ingest = runCli(['ingest', fixturePdf('2106.09685'), '--library', file, '--json']);
  assert.equal(ingest.status, 0, ingest.stderr);
  const papers = JSON.parse(runCli(['papers', '--library', file, '--json']).stdout) as {
    id: number;
    file: string | null;
    categories: string[];
    cluster: number | null;
  }[];
  assert.equal(papers.length, 1, 'the PDF joined the imported record');
  assert.ok(papers[0].file, 'the record now has its PDF');
  assert.deepEqual(papers[0].categories, ['cs.CL', 'cs.LG'], 'imported categories are kept');
  assert.equal(papers[0].cluster, null, 'no cluster before surveyor build');
});

test('surveyor import --json on the fixture JSONL dedupes on id and shows categories in papers --json', () => {
  const file = tempLibraryPath();
  const r = runCli(['import', DW, DW, '--library', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { added: unknown[]; duplicates: unknown[]; failed: unknown[] };
  const lines = fs
    .readFileSync(DW, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const ids = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
  assert.equal(report.added.length, ids.size);
  assert.equal(report.duplicates.length, 2 * lines.length - ids.size);
  assert.equal(report.failed.length, 0);
  const papers = JSON.parse(runCli(['papers', '--library', file, '--json']).stdout) as {
    categories: string[];
    arxivId: string;
  }[];
  const one = papers.find((p) => p.arxivId === '2504.08901');
  assert.ok(one);
  assert.equal(one.categories[0], 'cs.CV');
});

test('a cancelled import stops between batches and keeps what it stored', async () => {
  const lib = openLibrary(tempLibraryPath());
  const controller = new AbortController();
  const report = await importFiles(lib, [DW], {
    signal: controller.signal,
    onProgress: (e) => {
      if (e.done >= 200) controller.abort();
    },
  });
  const stored = (lib.db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  lib.close();
  assert.equal(report.cancelled, true);
  assert.equal(stored, report.added.length, 'every reported paper is stored, none half-way');
  assert.ok(stored > 0 && stored < 351, `${stored} papers kept`);
});
