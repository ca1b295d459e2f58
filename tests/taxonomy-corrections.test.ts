import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyPapers, type PaperText } from '../survey/classify.js';
import { DIRECTION_IDS, type DirectionId } from '../survey/directions.js';
import { lexicalScores } from '../survey/lexical.js';

test('in a paper that trains prompts, "frozen" and "few-shot" speak for efficiency, not a model used as it is', () => {
  const peft = lexicalScores(
    'Soft prompt tuning of frozen language models',
    'We learn continuous prompts while the pretrained language model stays frozen, and match fine-tuning ' +
      'in few-shot settings with a small number of trainable parameters.',
  );
  const asIs = lexicalScores(
    'Prompting a frozen language model',
    'We use a frozen pretrained language model as it is and solve tasks few-shot by in-context learning, ' +
      'without any training.',
  );
  assert.ok(peft.contexts.includes('peft'));
  assert.ok(!asIs.contexts.includes('peft'));
  const frozen = (s: typeof peft) => s.hits.find((h) => h.phrase === 'frozen')!;
  assert.equal(frozen(peft).direction, 'efficiency');
  assert.equal(frozen(asIs).direction, 'existing-models');
  assert.ok(!peft.hits.some((h) => h.phrase === 'few-shot'), 'few-shot names the setting of a PEFT paper');
  assert.ok(peft.scores.efficiency > peft.scores['existing-models']);
  assert.ok(asIs.scores['existing-models'] > asIs.scores.efficiency);
});

test('a module counts fully for plug-and-play only when the paper says it is added to existing models', () => {
  const alone = lexicalScores('A deep network of residual blocks', 'We train a network built from residual blocks.');
  const added = lexicalScores(
    'A residual block for existing networks',
    'We insert residual blocks into existing networks and consistently improve them.',
  );
  const score = (s: typeof alone, phrase: string) => s.hits.find((h) => h.phrase === phrase)?.score ?? 0;
  assert.ok(added.contexts.includes('addOn'));
  assert.ok(!alone.contexts.includes('addOn'));
  // Same cue, both in the title: half the weight without the add-on context.
  assert.ok(Math.abs(score(alone, 'residual') - score(added, 'residual') / 2) < 1e-9);
});

/** Papers read from cue words alone (no embeddings), three of each kind. */
function corpus(): PaperText[] {
  const papers: PaperText[] = [];
  const add = (title: string, abstract: string) => papers.push({ id: papers.length + 1, title, abstract });
  for (const x of ['image', 'speech', 'text']) {
    add(`Quantized ${x} models`, `We propose 4-bit quantization and pruning of ${x} models to cut memory and latency.`);
    add(`A survey of ${x} learning`, `This survey reviews the ${x} literature and gives a taxonomy of methods.`);
    add(`Prompting GPT-4 for ${x}`, `We use a large language model zero-shot for ${x}, with in-context learning.`);
    add(`A plug-and-play ${x} module`, `Our simple yet effective ${x} module consistently improves various backbones.`);
  }
  // Six papers of one unusual kind: deep residual networks built from scratch (cue words say
  // plug-and-play), which this user files under "opened a direction".
  for (const x of ['images', 'video', 'audio', 'speech', 'text', 'graphs'])
    add(`Deep residual networks for ${x}`, `We present very deep residual networks with many layers for ${x}.`);

  return papers;
}

test('corrections teach: five corrected residual-network papers move the sixth, not the unrelated ones', () => {
  const papers = corpus();
  const residual = papers.slice(-6).map((p) => p.id);
  const [a, c] = [residual[0]!, residual[5]!];
  const zero = classifyPapers({ papers });
  const corrections = new Map<number, DirectionId>(residual.slice(0, 5).map((id) => [id, 'existing-models']));
  const taught = classifyPapers({ papers, corrections });
  const p = (m: typeof zero, id: number) => m.get(id)!.probabilities['existing-models'];

  assert.equal(taught.get(a)!.direction, 'existing-models');
  const rise = p(taught, c) - p(zero, c);
  assert.ok(rise > 0.02, `the similar paper leans toward existing-models: ${p(zero, c)} → ${p(taught, c)}`);
  const quantized = papers.find((x) => x.title!.startsWith('Quantized image'))!.id;
  const survey = papers.find((x) => x.title!.startsWith('A survey of image'))!.id;
  for (const id of [quantized, survey]) {
    assert.ok(p(taught, id) - p(zero, id) < rise / 2, `paper ${id} shares no cue with them and moves less`);
    assert.equal(taught.get(id)!.direction, zero.get(id)!.direction);
  }
  // Without the corrections nothing changes: the zero-shot answer is a pure function of the text.
  const again = classifyPapers({ papers });
  for (const x of papers)
    for (const d of DIRECTION_IDS)
      assert.ok(Math.abs(again.get(x.id)!.probabilities[d] - zero.get(x.id)!.probabilities[d]) < 1e-12);
});

test('corrections teach what being cited by the library means; zero-shot ignores citations', () => {
  const papers = corpus();
  const [a, b] = papers.slice(-2).map((p) => p.id) as [number, number];
  const survey = papers.find((x) => x.title!.startsWith('A survey of text'))!.id;
  const citedBy = new Map([
    [a, 30],
    [b, 25],
    [survey, 28],
  ]);
  // Zero-shot, citations change nothing.
  const plain = classifyPapers({ papers });
  const cited = classifyPapers({ papers, citedBy });
  for (const x of papers) assert.equal(cited.get(x.id)!.autoConfidence, plain.get(x.id)!.autoConfidence);

  // The user files two much-cited papers under existing-models; with citations known, a third
  // much-cited paper (the survey) leans that way more than without them.
  const corrections = new Map<number, DirectionId>([
    [a, 'existing-models'],
    [b, 'existing-models'],
  ]);
  const withCites = classifyPapers({ papers, corrections, citedBy });
  const without = classifyPapers({ papers, corrections });
  const p = (m: typeof plain, id: number) => m.get(id)!.probabilities['existing-models'];
  assert.ok(p(withCites, survey) > p(without, survey), `${p(without, survey)} → ${p(withCites, survey)}`);
});

/** A seeded unit vector, so the tests need no encoder. */
function unit(seed: number, dims = 16): Float32Array {
  let a = seed;
  const v = new Float32Array(dims).map(() => {
    a = (a * 16807) % 2147483647;

    return a / 2147483647 - 0.5;
  });
  const n = Math.hypot(...v);

  return v.map((x) => x / n);
}

test('each description sentence is a prototype: a paper sitting on one has similarity 1 to its direction', () => {
  const descriptionVectors = new Map(DIRECTION_IDS.map((d, i) => [d, [unit(10 + i), unit(20 + i), unit(30 + i)]]));
  const papers: PaperText[] = [{ id: 1, title: 'A paper', abstract: 'Some words.' }];
  const vectors = new Map([[1, descriptionVectors.get('plug-and-play')![2]!]]);
  const options = { selfTrainingRounds: 0 };
  const each = classifyPapers({ papers, vectors, descriptionVectors, options });
  assert.ok(Math.abs(each.get(1)!.evidence.prototypeSimilarity!['plug-and-play'] - 1) < 1e-3);
  assert.equal(each.get(1)!.direction, 'plug-and-play');
  // With one mean prototype per direction the same paper is only partly similar.
  const mean = classifyPapers({ papers, vectors, descriptionVectors, options: { ...options, prototypeMode: 'mean' } });
  assert.ok(mean.get(1)!.evidence.prototypeSimilarity!['plug-and-play'] < 0.9);
});

test('the nearest papers listed as evidence are the most similar ones, most similar first', () => {
  const papers: PaperText[] = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, title: `Paper ${i}`, abstract: '' }));
  const vectors = new Map(papers.map((p) => [p.id, unit(100 + p.id)]));
  const descriptionVectors = new Map(DIRECTION_IDS.map((d, i) => [d, [unit(1 + i)]]));
  const out = classifyPapers({ papers, vectors, descriptionVectors });
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  for (const p of papers) {
    const want = papers
      .filter((q) => q.id !== p.id)
      .map((q) => ({ id: q.id, s: dot(vectors.get(p.id)!, vectors.get(q.id)!) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 3);
    const got = out.get(p.id)!.evidence.neighbours;
    assert.deepEqual(
      got.map((n) => n.paperId),
      want.map((w) => w.id),
    );
    got.forEach((n, i) => assert.ok(Math.abs(n.similarity - want[i]!.s) < 1e-3));
  }
});
