/**
 * A tiny BERT-shaped sentence-transformers folder, written by the tests themselves:
 * a WordPiece `tokenizer.json`, `config.json`, `1_Pooling/config.json`, and a
 * `model.onnx` built with onnx-proto (embeddings of words, positions and token types,
 * one masked self-attention layer, a tanh projection → `last_hidden_state`). The same
 * arithmetic in plain JavaScript gives the expected vectors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ElemType, GraphBuilder } from '../models/onnx-builder.js';

export const TINY_WORDS = [
  'the',
  'graph',
  'neural',
  'network',
  'survey',
  'paper',
  'attention',
  'model',
  'efficient',
  'data',
  'set',
  '##s',
  'a',
  'of',
  'on',
  '.',
];
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
export const TINY_VOCAB = [...SPECIAL, ...TINY_WORDS];
const H = 8;
const POSITIONS = 64;

/** A small deterministic generator (mulberry32), so the weights are the same every run. */
function random(seed: number): () => number {
  let a = seed;

  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

function matrix(rows: number, cols: number, rnd: () => number): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => rnd());
}

interface Weights {
  word: Float32Array;
  pos: Float32Array;
  type: Float32Array;
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  wo: Float32Array;
}

function weights(): Weights {
  const rnd = random(42);

  return {
    word: matrix(TINY_VOCAB.length, H, rnd),
    pos: matrix(POSITIONS, H, rnd),
    type: matrix(2, H, rnd),
    wq: matrix(H, H, rnd),
    wk: matrix(H, H, rnd),
    wv: matrix(H, H, rnd),
    wo: matrix(H, H, rnd),
  };
}

function tokenizerJson(): object {
  const special = SPECIAL.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const tok = (name: string) => ({ id: name, ids: [TINY_VOCAB.indexOf(name)], tokens: [name] });

  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special,
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': tok('[CLS]'), '[SEP]': tok('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((w, i) => [w, i])),
    },
  };
}

function modelBytes(w: Weights): Uint8Array {
  const g = new GraphBuilder();
  const word = g.floats(w.word, [TINY_VOCAB.length, H], 'word_embeddings');
  const pos = g.floats(w.pos, [POSITIONS, H], 'position_embeddings');
  const type = g.floats(w.type, [2, H], 'token_type_embeddings');
  const seq = g.op('Gather', [g.op('Shape', ['input_ids']), g.ints([1], [])], { axis: 0 });
  const positions = g.op('Range', [g.ints([0], []), seq, g.ints([1], [])]);
  const x = g.op('Add', [
    g.op('Add', [g.op('Gather', [word, 'input_ids']), g.op('Gather', [pos, positions])]),
    g.op('Gather', [type, 'token_type_ids']),
  ]);
  const q = g.op('MatMul', [x, g.floats(w.wq, [H, H])]);
  const k = g.op('MatMul', [x, g.floats(w.wk, [H, H])]);
  const v = g.op('MatMul', [x, g.floats(w.wv, [H, H])]);
  const scores = g.op('Mul', [
    g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 2, 1] })]),
    g.floats([1 / Math.sqrt(H)], []),
  ]);
  const maskF = g.op('Cast', ['attention_mask'], { to: ElemType.FLOAT });
  const bias = g.op('Unsqueeze', [
    g.op('Mul', [g.op('Sub', [g.floats([1], []), maskF]), g.floats([-10000], [])]),
    g.ints([1]),
  ]);
  const attn = g.op('Softmax', [g.op('Add', [scores, bias])], { axis: -1 });
  const h = g.op('Add', [x, g.op('MatMul', [attn, v])]);
  g.op('Tanh', [g.op('MatMul', [h, g.floats(w.wo, [H, H])])], {}, 'last_hidden_state');
  const ids = (name: string) => ({
    name,
    elemType: ElemType.INT64,
    shape: ['batch', 'sequence'] as (string | number)[],
  });

  return g.model({
    inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    outputs: [{ name: 'last_hidden_state', elemType: ElemType.FLOAT, shape: ['batch', 'sequence', H] }],
    producer: 'surveyor tests',
    graphName: 'tiny-bert',
  });
}

export interface TinyBert {
  dir: string;
  /** The expected unit vector for token ids (specials included), computed in plain JS. */
  expected(ids: number[]): Float32Array;
}

/** Writes the folder; `pooling` goes into 1_Pooling/config.json. */
export function writeTinyBert(dir: string, opts: { pooling: 'mean' | 'cls'; maxSeqLength?: number }): TinyBert {
  const w = weights();
  fs.mkdirSync(path.join(dir, '1_Pooling'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.onnx'), modelBytes(w));
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  fs.writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({ do_lower_case: true, model_max_length: 512 }),
  );
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ model_type: 'bert', hidden_size: H, max_position_embeddings: POSITIONS }),
  );
  fs.writeFileSync(
    path.join(dir, 'sentence_bert_config.json'),
    JSON.stringify({ max_seq_length: opts.maxSeqLength ?? 32 }),
  );
  fs.writeFileSync(
    path.join(dir, '1_Pooling', 'config.json'),
    JSON.stringify({
      word_embedding_dimension: H,
      pooling_mode_cls_token: opts.pooling === 'cls',
      pooling_mode_mean_tokens: opts.pooling === 'mean',
    }),
  );

  return { dir, expected: (ids) => reference(w, ids, opts.pooling) };
}

function mul(a: number[][], m: Float32Array): number[][] {
  return a.map((row) => Array.from({ length: H }, (_, j) => row.reduce((s, x, i) => s + x * m[i * H + j], 0)));
}

function reference(w: Weights, ids: number[], pooling: 'mean' | 'cls'): Float32Array {
  const x = ids.map((id, p) => Array.from({ length: H }, (_, d) => w.word[id * H + d] + w.pos[p * H + d] + w.type[d]));
  const q = mul(x, w.wq);
  const k = mul(x, w.wk);
  const v = mul(x, w.wv);
  const h = x.map((row, i) => {
    const s = k.map((kr) => kr.reduce((acc, kv, d) => acc + kv * q[i][d], 0) / Math.sqrt(H));
    const top = Math.max(...s);
    const e = s.map((z) => Math.exp(z - top));
    const sum = e.reduce((a, b) => a + b, 0);

    return row.map((xv, d) => xv + e.reduce((acc, ej, j) => acc + (ej / sum) * v[j][d], 0));
  });
  const out = mul(h, w.wo).map((row) => row.map(Math.tanh));
  const pooled =
    pooling === 'cls' ? out[0] : Array.from({ length: H }, (_, d) => out.reduce((s, r) => s + r[d], 0) / out.length);
  const norm = Math.sqrt(pooled.reduce((s, z) => s + z * z, 0));

  return Float32Array.from(pooled, (z) => z / norm);
}
