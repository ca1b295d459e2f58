import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { openLibrary } from '../db/library.js';
import { buildGraph } from '../graph/build.js';
import { ingestPaths } from '../ingest/ingest.js';
import { baseKey, citeKeys, displayTitle, splitName } from '../survey/cite-keys.js';
import { exportOutline } from '../survey/export.js';
import { latexText } from '../survey/latex-text.js';
import type { Outline } from '../survey/outline.js';
import { correctDirection } from '../survey/taxonomy.js';
import { fixturePdf, runCli, tempDir, tempLibraryPath } from './helpers.js';

// Six real papers that cite each other a little (LoRA, prompt tuning, CBAM, focal loss, ChatIE, TruthfulQA).
const PAPERS = ['2106.09685', '2104.08691', '1807.06521', '1708.02002', '2302.10205', '2109.07958'];
const DIRECTION_NAMES = [
  'Efficiency',
  'Existing models & new directions',
  'Plug-and-play',
  'Datasets, evaluation & surveys',
];

let libPath = '';
let out = '';
let corrected = 0;

before(async () => {
  libPath = tempLibraryPath();
  out = tempDir('surveyor-export-');
  const lib = openLibrary(libPath);
  const report = await ingestPaths(lib, PAPERS.map(fixturePdf));
  assert.equal(report.failed.length, 0, JSON.stringify(report.failed));
  await buildGraph(lib);
  // The user puts focal loss (a plug-in loss) among the datasets and evaluation papers.
  corrected = (lib.db.prepare("SELECT id FROM papers WHERE arxiv_id = '1708.02002'").get() as { id: number }).id;
  await correctDirection(lib, corrected, 'datasets-evaluation');
  for (const [format, file] of [
    ['markdown', 'outline.md'],
    ['latex', 'outline.tex'],
    ['json', 'outline.json'],
    ['graphml', 'graph.graphml'],
    ['bibtex', 'alone.bib'],
  ] as const) {
    await exportOutline(lib, format, path.join(out, file));
  }
  lib.close();
});

const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');

test('keys are readable (author, year, first title word), unique, and stable when papers are added', () => {
  assert.equal(
    baseKey({ id: 1, title: 'Attention Is All You Need', authors: ['Ashish Vaswani'], year: 2017, arxivId: null }),
    'vaswani2017attention',
  );
  assert.equal(
    baseKey({ id: 1, title: 'The Müller Effect', authors: ['Jörg Müller'], year: null, arxivId: '2301.00001' }),
    'muller2023muller',
  );
  assert.equal(baseKey({ id: 1, title: null, authors: [], year: null, arxivId: null }), 'anonnduntitled');
  assert.deepEqual(splitName('Ludwig van Beethoven'), { given: 'Ludwig', family: 'van Beethoven' });
  assert.deepEqual(splitName('Vaswani, Ashish'), { given: 'Ashish', family: 'Vaswani' });

  const a = { id: 1, title: 'Deep learning', authors: ['Yann LeCun'], year: 2015, arxivId: null };
  const b = { ...a, id: 2 };
  const c = { ...a, id: 3 };
  const two = citeKeys([b, a]);
  assert.deepEqual([two.get(1), two.get(2)], ['lecun2015deep', 'lecun2015deepb']);
  const three = citeKeys([a, b, c]);
  assert.deepEqual(
    [three.get(1), three.get(2), three.get(3)],
    ['lecun2015deep', 'lecun2015deepb', 'lecun2015deepc'],
    'earlier keys unchanged',
  );
});

test('titles printed in capitals are shown in title case, acronyms kept; others untouched', () => {
  assert.equal(
    displayTitle('LORA: LOW-RANK ADAPTATION OF LARGE LANGUAGE MODELS'),
    'Lora: Low-Rank Adaptation of Large Language Models',
  );
  assert.equal(displayTitle('TOWARDS SAM FOR MEDICAL IMAGES: A SURVEY'), 'Towards SAM for Medical Images: A Survey');
  assert.equal(
    displayTitle('GPT-NER: Named Entity Recognition via LLMs'),
    'GPT-NER: Named Entity Recognition via LLMs',
  );
});

test('LaTeX text: specials escaped, accents as commands, unknown scripts dropped', () => {
  assert.equal(
    latexText('50% of $x_1 & {y} #2 ~ ^'),
    '50\\% of \\$x\\_1 \\& \\{y\\} \\#2 \\textasciitilde{} \\textasciicircum{}',
  );
  const expected = 'M{\\"{u}}ller ``quoted\'\' --- na{\\"{\\i}}ve $\\alpha$';
  assert.equal(latexText('Müller “quoted” — naïve α'), expected);
  assert.equal(latexText('数据 ok'), ' ok');
});

test('the Markdown outline: title, counts, directions in order, topics, papers with summaries and citations', () => {
  const md = read('outline.md');
  assert.match(
    md,
    /^# Survey outline\n\n6 papers in \d of 4 research directions, \d+ topic clusters, \d+ most-cited missing papers\./,
  );
  const at = DIRECTION_NAMES.map((n) => md.indexOf(`\n## ${n}\n`));
  assert.ok(
    at.every((i) => i > 0),
    'every direction has its section',
  );
  assert.deepEqual(
    [...at].sort((x, y) => x - y),
    at,
    'in the contract order',
  );
  assert.ok(md.indexOf('\n## Missing papers most cited by the library\n') > at[3]!, 'missing papers close the outline');
  assert.ok((md.match(/^### /gm) ?? []).length >= 4, 'topic subsections');
  const lines = md.split('\n').filter((l) => l.startsWith('- **'));
  assert.equal(lines.length, PAPERS.length, 'each paper once');
  for (const l of lines) assert.match(l, /\*\* \(20\d\d\)\. .+ \[@[a-z]+\d{4}[a-z0-9]+\] · \[arXiv:/);
  const lora = lines.find((l) => l.includes('arXiv:2106.09685'))!;
  assert.ok(
    !lora.includes('An important paradigm of natural language processing'),
    'not the opening sentence of the abstract',
  );
  assert.match(lora, /We propose Low-Rank Adaptation/);
});

test('a paper the user corrected lands in its corrected section', () => {
  const outline = JSON.parse(read('outline.json')) as Outline;
  const home = outline.sections.find((s) => s.subsections.some((x) => x.papers.some((p) => p.id === corrected)))!;
  assert.equal(home.direction, 'datasets-evaluation');
  const paper = home.subsections.flatMap((x) => x.papers).find((p) => p.id === corrected)!;
  assert.equal(paper.directionSource, 'user');
  const md = read('outline.md');
  const section = md.slice(md.indexOf('\n## Datasets, evaluation & surveys\n'), md.indexOf('\n## Missing papers'));
  assert.ok(
    section.includes('Focal Loss'),
    'focal loss is listed under datasets, evaluation & surveys in the Markdown too',
  );
});

test('the JSON outline carries paper ids, keys and the missing papers', () => {
  const outline = JSON.parse(read('outline.json')) as Outline;
  assert.deepEqual(
    outline.sections.map((s) => s.direction),
    ['efficiency', 'existing-models', 'plug-and-play', 'datasets-evaluation'],
  );
  const papers = outline.sections.flatMap((s) => s.subsections.flatMap((x) => x.papers));
  assert.equal(papers.length, PAPERS.length);
  assert.equal(new Set(papers.map((p) => p.key)).size, PAPERS.length, 'keys are unique');
  for (const p of papers) assert.ok(Number.isInteger(p.id) && p.title.length > 3);
  assert.equal(outline.counts.missing, outline.missing.length);
  for (const m of outline.missing) assert.ok(m.citedBy >= 2);
});

test('every \\cite key of the LaTeX is in the .bib beside it, and the .bib parses back', async () => {
  const tex = read('outline.tex');
  assert.match(tex, /\\section\{Efficiency\}/);
  assert.match(tex, /\\subsection\{/);
  assert.match(tex, /\\bibliography\{references\}/);
  const cited = [...tex.matchAll(/\\cite\{([^}]+)\}/g)].map((m) => m[1]!);
  assert.equal(cited.length, PAPERS.length);
  const bib = read('references.bib');
  const parsed = await Cite.async(bib);
  const keys = parsed.data.map((d) => d['citation-key'] as string);
  assert.equal(keys.length, PAPERS.length);
  for (const k of cited) assert.ok(keys.includes(k), `\\cite{${k}} is in references.bib`);
  const lora = parsed.data.find((d) => /low-rank adaptation/i.test(String(d.title)))!;
  assert.ok(Array.isArray(lora.author) && (lora.author as unknown[]).length > 0, 'authors come back');
  assert.equal(read('alone.bib'), bib, '--format bibtex writes the same entries');
});

test('the LaTeX compiles with pdflatex and bibtex, every citation resolved', (t) => {
  const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!have('pdflatex') || !have('bibtex')) {
    t.skip('pdflatex or bibtex is not installed (apt-get install texlive-latex-base texlive-binaries)');
    return;
  }
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: out, encoding: 'utf8', timeout: 120_000 });
  const first = run('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'outline.tex']);
  assert.equal(first.status, 0, first.stdout.slice(-2000));
  const bib = run('bibtex', ['outline']);
  assert.equal(bib.status, 0, bib.stdout);
  run('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'outline.tex']);
  const last = run('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'outline.tex']);
  assert.equal(last.status, 0, last.stdout.slice(-2000));
  const log = fs.readFileSync(path.join(out, 'outline.log'), 'utf8');
  assert.doesNotMatch(log, /Citation `[^']+' on page \d+ undefined/);
  assert.doesNotMatch(log, /There were undefined references/);
  const bbl = fs.readFileSync(path.join(out, 'outline.bbl'), 'utf8');
  assert.equal((bbl.match(/\\bibitem/g) ?? []).length, PAPERS.length);
  assert.ok(fs.statSync(path.join(out, 'outline.pdf')).size > 10_000);
});

test('the GraphML holds every paper with its direction and cluster, and the edges', () => {
  const xml = read('graph.graphml');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<graphml /);
  const nodes = [...xml.matchAll(/<node id="p(\d+)">([\s\S]*?)<\/node>/g)];
  assert.equal(nodes.length, PAPERS.length);
  for (const [, , body] of nodes) {
    assert.match(body!, /<data key="direction">(efficiency|existing-models|plug-and-play|datasets-evaluation)<\/data>/);
    assert.match(body!, /<data key="cluster">\d+<\/data>/);
    assert.match(body!, /<data key="citeKey">[a-z]+\d{4}\w+<\/data>/);
  }
  assert.match(xml, new RegExp(`<node id="p${corrected}">[\\s\\S]*?<data key="directionSource">user</data>`));
  const ids = new Set(nodes.map((n) => n[1]));
  const edges = [...xml.matchAll(/<edge id="e\d+" source="p(\d+)" target="p(\d+)"/g)];
  assert.ok(edges.length > 0);
  for (const [, s, t] of edges) assert.ok(ids.has(s) && ids.has(t), 'edges join papers of the graph');
  assert.equal(xml.match(/<graphml/g)!.length, 1);
  assert.ok(xml.trimEnd().endsWith('</graphml>'));
});

test('surveyor export: bad format and missing --out are refused with the choices', () => {
  const bad = runCli(['export', '--format', 'docx', '--out', path.join(out, 'x'), '--library', libPath]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format must be one of markdown, latex, bibtex, json, graphml \(got "docx"\)/);
  const noOut = runCli(['export', '--format', 'markdown', '--library', libPath]);
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /--out FILE/);
  const ok = runCli([
    'export',
    '--format',
    'markdown',
    '--out',
    path.join(out, 'cli.md'),
    '--library',
    libPath,
    '--json',
  ]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual((JSON.parse(ok.stdout) as { files: string[] }).files, [path.join(out, 'cli.md')]);
  assert.equal(read('cli.md'), read('outline.md'));
});

test('an export that cannot be written names the file and the reason, and leaves nothing behind', () => {
  const blocker = path.join(out, 'not-a-folder');
  fs.writeFileSync(blocker, 'a file where a folder should be');
  const r = runCli(['export', '--format', 'markdown', '--out', path.join(blocker, 'outline.md'), '--library', libPath]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not-a-folder\/outline\.md: cannot be written \((ENOTDIR|EEXIST)\)/);
  assert.equal(fs.readFileSync(blocker, 'utf8'), 'a file where a folder should be');
});

test("the app's API: a correction is in force when setDirection returns; LaTeX downloads carry their .bib", async () => {
  const api = await import('../survey/api.js');
  const { readDirection } = await import('../survey/store.js');
  const lib = openLibrary(libPath);
  try {
    const chatie = (lib.db.prepare("SELECT id FROM papers WHERE arxiv_id = '2302.10205'").get() as { id: number }).id;
    api.setDirection(lib, chatie, 'efficiency');
    assert.deepEqual(
      [readDirection(lib.db, chatie)!.direction, readDirection(lib.db, chatie)!.source],
      ['efficiency', 'user'],
    );
    api.setDirection(lib, chatie, 'auto');
    assert.equal(readDirection(lib.db, chatie)!.source, 'auto');

    const file = await api.exportOutline(lib, 'latex');
    assert.deepEqual([file.fileName, file.mime], ['outline.tex', 'application/x-tex']);
    assert.match(file.content, /^\\begin\{filecontents\*\}\[overwrite\]\{references\.bib\}\n@misc\{/);
    const bib = file.content.slice(0, file.content.indexOf('\\end{filecontents*}'));
    for (const [, key] of file.content.matchAll(/\\cite\{([^}]+)\}/g)) assert.ok(bib.includes(`{${key},`), key);
    const graph = await api.exportOutline(lib, 'graphml');
    assert.equal(graph.fileName, 'graph.graphml');
    assert.throws(() => api.setDirection(lib, chatie, 'efficient' as never), /unknown direction "efficient"/);
  } finally {
    lib.close();
  }
});

test('titles set in capitals take the spellings the abstract uses (LoRA, ZeRO) and plain short words', async () => {
  const { displayTitle } = await import('../survey/cite-keys.js');
  assert.equal(
    displayTitle('LORA: LOW-RANK ADAPTATION OF LARGE LANGUAGE MODELS', 'We propose Low-Rank Adaptation, or LoRA, which'),
    'LoRA: Low-Rank Adaptation of Large Language Models',
  );
  assert.equal(
    displayTitle('AN IMAGE IS WORTH 16X16 WORDS: TRANSFORMERS FOR IMAGE RECOGNITION', 'this reliance on CNNs is not necessary'),
    'An Image Is Worth 16X16 Words: Transformers for Image Recognition',
  );
  assert.equal(displayTitle('SAM ADAPTS TO MEDICAL IMAGES WELL', null), 'SAM Adapts to Medical Images Well', 'no text: short words stay acronyms');
});
