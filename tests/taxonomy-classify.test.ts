import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import { openLibrary, type Library } from '../db/library.js';
import { migrate, schemaVersion } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { buildGraph } from '../graph/build.js';
import { ingestPaths } from '../ingest/ingest.js';
import { classifyPapers, textViews } from '../survey/classify.js';
import { DIRECTION_IDS, type DirectionId } from '../survey/directions.js';
import { contributionSentence, splitSentences } from '../survey/sentences.js';
import { readCorrections, readDirection, readDirections } from '../survey/store.js';
import { classifyLibrary, correctDirection, readClassifierData } from '../survey/taxonomy.js';
import { fixturePdf, runCli, tempLibraryPath } from './helpers.js';

// Five real papers, each a clear case of its direction (the survey and the dataset paper share one).
const CASES: Record<string, DirectionId> = {
  '2106.09685': 'efficiency', // LoRA
  '1807.06521': 'plug-and-play', // CBAM, an attention module for any CNN
  '2302.10205': 'existing-models', // ChatIE, zero-shot extraction by prompting ChatGPT
  '2206.10883': 'datasets-evaluation', // Multi-LexSum, a dataset
  '2402.09092': 'datasets-evaluation', // a survey of activation functions
};

let libPath = '';
let ids = new Map<string, number>();

before(async () => {
  libPath = tempLibraryPath();
  const lib = openLibrary(libPath);
  const report = await ingestPaths(lib, Object.keys(CASES).map(fixturePdf));
  assert.equal(report.failed.length, 0, JSON.stringify(report.failed));
  await buildGraph(lib);
  ids = new Map(
    (lib.db.prepare('SELECT id, arxiv_id FROM papers').all() as { id: number; arxiv_id: string }[]).map((r) => [
      r.arxiv_id,
      r.id,
    ]),
  );
  lib.close();
});

function withLibrary<T>(fn: (lib: Library) => Promise<T> | T): Promise<T> {
  const lib = openLibrary(libPath);

  return Promise.resolve(fn(lib)).finally(() => lib.close());
}

test('migration 4 keeps the user and the classifier apart, and `direction` is the one in force', () => {
  const db = new Database(':memory:');
  assert.deepEqual(migrate(db, MIGRATIONS, 4).at(-1), 4);
  assert.equal(schemaVersion(db), 4);
  db.pragma('foreign_keys = ON');
  db.prepare("INSERT INTO papers (id, title) VALUES (1, 'a'), (2, 'b')").run();
  db.prepare(
    `INSERT INTO paper_directions (paper_id, auto_direction, auto_confidence)
     VALUES (1, 'efficiency', 0.7), (2, 'plug-and-play', 0.6)`,
  ).run();
  db.prepare("UPDATE paper_directions SET user_direction = 'datasets-evaluation' WHERE paper_id = 2").run();
  const rows = db.prepare('SELECT paper_id, direction FROM paper_directions ORDER BY paper_id').all();
  assert.deepEqual(rows, [
    { paper_id: 1, direction: 'efficiency' },
    { paper_id: 2, direction: 'datasets-evaluation' },
  ]);
  assert.throws(
    () => db.prepare("UPDATE paper_directions SET user_direction = 'efficient' WHERE paper_id = 1").run(),
    /CHECK/,
  );
  db.prepare('DELETE FROM papers WHERE id = 1').run();
  assert.equal(
    (db.prepare('SELECT count(*) AS n FROM paper_directions').get() as { n: number }).n,
    1,
    'directions go with their paper',
  );
});

test('sentences: abbreviations and decimals stay inside; the contribution sentence is not the opening one', () => {
  const abstract =
    'Large models (e.g. GPT-3) are costly to adapt, cf. Fig. 2 of Smith et al. in 2020. ' +
    'Full fine-tuning updates 175.5B weights. ' +
    'We propose a low-rank method that trains 0.01% of them. It matches fine-tuning on five benchmarks.';
  const sentences = splitSentences(abstract);
  assert.equal(sentences.length, 4, JSON.stringify(sentences));
  assert.equal(contributionSentence(abstract), 'We propose a low-rank method that trains 0.01% of them.');
  assert.equal(
    contributionSentence('One sentence only about nothing in particular here.'),
    'One sentence only about nothing in particular here.',
  );
  assert.equal(contributionSentence(null), null);
});

test('on a five-paper library every paper gets a direction, a confidence and the evidence behind it', async () => {
  const report = await withLibrary((lib) => classifyLibrary(lib));
  assert.equal(report.papers, 5);
  assert.ok(report.model?.startsWith('use-lite@'), `the embedding view took part (model ${report.model})`);
  await withLibrary((lib) => {
    const stored = readDirections(lib.db);
    for (const [arxiv, want] of Object.entries(CASES)) {
      const s = stored.get(ids.get(arxiv)!)!;
      assert.equal(
        s.direction,
        want,
        `${arxiv} should be ${want}, got ${s.direction} (${JSON.stringify(s.evidence?.cues)})`,
      );
      assert.equal(s.source, 'auto');
      assert.ok(s.confidence! > 0.25 && s.confidence! <= 1, `confidence ${s.confidence}`);
      assert.ok(s.evidence!.cues.length > 0, `${arxiv} has cue phrases as evidence: ${JSON.stringify(s.evidence)}`);
      assert.equal(s.evidence!.neighbours.length, 3, 'the nearest papers are listed');
      for (const d of DIRECTION_IDS) assert.ok(Number.isFinite(s.evidence!.prototypeSimilarity![d]));
    }
    const lora = stored.get(ids.get('2106.09685')!)!;
    assert.ok(
      lora.evidence!.cues.some((c) => /low[- ]rank|parameter|lora|adapt/.test(c.phrase)),
      `LoRA's evidence names its efficiency cues: ${JSON.stringify(lora.evidence!.cues)}`,
    );
  });
});

test('a correction is never overwritten by re-classifying, and `auto` hands the paper back', async () => {
  const cbam = ids.get('1807.06521')!;
  await withLibrary(async (lib) => {
    await correctDirection(lib, cbam, 'efficiency');
    await classifyLibrary(lib);
    await classifyLibrary(lib);
    const s = readDirection(lib.db, cbam)!;
    assert.deepEqual([s.direction, s.source, s.confidence], ['efficiency', 'user', 1]);
    assert.equal(s.autoDirection, 'plug-and-play', "the classifier's own answer is kept beside the correction");
    assert.deepEqual([...readCorrections(lib.db)], [[cbam, 'efficiency']]);

    await correctDirection(lib, cbam, null);
    const back = readDirection(lib.db, cbam)!;
    assert.deepEqual([back.direction, back.source], ['plug-and-play', 'auto']);
    assert.equal(readCorrections(lib.db).size, 0);
  });
});

test('corrections teach: prototypes move toward the corrected paper and its neighbours follow', async () => {
  const data = await withLibrary((lib) => readClassifierData(lib));
  assert.ok(data.vectors && data.descriptionVectors, 'stored vectors and embedded descriptions are read');
  const views = textViews(data.papers);
  const zero = classifyPapers({ ...data, textViews: views });
  const chatie = ids.get('2302.10205')!;
  // Put ChatIE in plug-and-play: the plug-and-play prototype moves toward it, so every other
  // paper's similarity to plug-and-play rises by how close it sits to ChatIE.
  const taught = classifyPapers({
    ...data,
    textViews: views,
    corrections: new Map([[chatie, 'plug-and-play' as DirectionId]]),
  });
  assert.equal(taught.get(chatie)!.direction, 'plug-and-play');
  for (const [id, c] of taught) {
    if (id === chatie) continue;
    const beforeSim = zero.get(id)!.evidence.prototypeSimilarity!['plug-and-play'];
    const afterSim = c.evidence.prototypeSimilarity!['plug-and-play'];
    assert.notEqual(afterSim, beforeSim, `paper ${id}: the plug-and-play prototype moved`);
  }
  const sim = (m: typeof zero, id: number) => m.get(id)!.evidence.prototypeSimilarity!['plug-and-play'];
  // One example moves the prototype 1/(1 + correctionPrior) of the way toward it.
  assert.ok(
    sim(taught, chatie) > sim(zero, chatie) + 0.01,
    `ChatIE moved toward plug-and-play: ${sim(zero, chatie)} → ${sim(taught, chatie)}`,
  );
  const v = data.vectors!;
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  const nearest = [...taught.keys()]
    .filter((id) => id !== chatie)
    .sort((a, b) => dot(v.get(b)!, v.get(chatie)!) - dot(v.get(a)!, v.get(chatie)!))[0]!;
  assert.ok(
    taught.get(nearest)!.probabilities['plug-and-play'] > zero.get(nearest)!.probabilities['plug-and-play'],
    "ChatIE's nearest paper leans further toward plug-and-play",
  );
});

test('classifying without embeddings falls back to the cue words alone', () => {
  const papers = [
    {
      id: 1,
      title: 'Quantized low-bit transformers',
      abstract: 'We propose 4-bit quantization and pruning that cut memory and latency.',
    },
    {
      id: 2,
      title: 'A survey of graph learning',
      abstract: 'This survey reviews the literature and gives a taxonomy of methods.',
    },
    {
      id: 3,
      title: 'Prompting GPT-4 zero-shot',
      abstract: 'We use a large language model as it is, with in-context learning and no training.',
    },
    {
      id: 4,
      title: 'A plug-and-play attention module',
      abstract: 'Our simple yet effective module consistently improves various backbones.',
    },
  ];
  const out = classifyPapers({ papers });
  assert.deepEqual(
    papers.map((p) => out.get(p.id)!.direction),
    ['efficiency', 'datasets-evaluation', 'existing-models', 'plug-and-play'],
  );
  for (const c of out.values()) assert.deepEqual(c.evidence.views, ['lexical']);
});

test('surveyor set-direction: papers --json shows the fields, bad input names the choices', () => {
  const lora = ids.get('2106.09685')!;
  const set = runCli(['set-direction', '2106.09685', 'datasets-evaluation', '--library', libPath, '--json']);
  assert.equal(set.status, 0, set.stderr);
  const result = JSON.parse(set.stdout) as { id: number; direction: string; directionSource: string };
  assert.deepEqual([result.id, result.direction, result.directionSource], [lora, 'datasets-evaluation', 'user']);

  const rows = JSON.parse(runCli(['papers', '--json', '--library', libPath]).stdout) as Record<string, unknown>[];
  const row = rows.find((r) => r.id === lora)!;
  assert.deepEqual([row.direction, row.directionConfidence, row.directionSource], ['datasets-evaluation', 1, 'user']);
  assert.match(String((row.directionEvidence as string[])[0]), /^set by you \(the classifier says \w/);
  for (const r of rows.filter((x) => x.id !== lora)) {
    assert.ok(
      (r.directionEvidence as string[]).some((e) => /^"[^"]+" in the (title|abstract)$/.test(e)),
      'cue evidence',
    );
    assert.equal(r.directionSource, 'auto');
    assert.ok(typeof r.directionConfidence === 'number' && r.directionConfidence > 0 && r.directionConfidence <= 1);
  }

  const undo = runCli(['set-direction', String(lora), 'auto', '--library', libPath]);
  assert.equal(undo.status, 0, undo.stderr);
  assert.match(undo.stdout, /efficiency \(the classifier's/);

  const bad = runCli(['set-direction', String(lora), 'efficient', '--library', libPath]);
  assert.equal(bad.status, 2);
  assert.match(
    bad.stderr,
    new RegExp(
      'unknown direction "efficient"; choose one of ' +
        'efficiency, existing-models, plug-and-play, datasets-evaluation, auto',
    ),
  );
  const missing = runCli(['set-direction', '9999', 'efficiency', '--library', libPath]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no paper "9999"/);
});

test('the library knows when its directions are stale: a changed paper or an older classifier', async () => {
  const { needsClassifying } = await import('../survey/export.js');
  await withLibrary(async (lib) => {
    await classifyLibrary(lib);
    assert.equal(needsClassifying(lib), false, 'just classified');
    const id = ids.get('2206.10883')!;
    // As if the paper had been re-read after it was classified.
    lib.db.prepare("UPDATE paper_directions SET classified_at = '2000-01-01T00:00:00.000Z' WHERE paper_id = ?").run(id);
    assert.equal(needsClassifying(lib), true, 'a paper changed after it was classified');
    await classifyLibrary(lib);
    lib.db.prepare("UPDATE paper_directions SET classifier = 'zs-0+0c' WHERE paper_id = ?").run(id);
    assert.equal(needsClassifying(lib), true, 'an older classifier');
    await classifyLibrary(lib);
    assert.equal(needsClassifying(lib), false);
  });
});
