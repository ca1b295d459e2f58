/**
 * The text encoder: a model folder, its tokenizer and an ONNX Runtime session, turned
 * into `embed(texts) → unit vectors`. Two kinds of folder are understood:
 *
 * - the default model (`config.json` says `surveyor.kind = "use-lite"`): the converted
 *   Universal Sentence Encoder lite with its SentencePiece vocabulary; the model pools
 *   and normalizes by itself;
 * - a sentence-transformers ONNX export: `model.onnx` (or `onnx/model.onnx`),
 *   `tokenizer.json` (+ `tokenizer_config.json`), and pooling as `1_Pooling/config.json`
 *   says (mean of the real tokens, or the first token), normalized here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';
import { SurveyorError } from '../core/errors.js';
import { logger } from '../core/log.js';
import { ensureDefaultModel, type UseLiteConfig } from './default-model.js';
import { openSession, type Device, type ProviderAttempt } from './providers.js';
import { UseTokenizer } from './use-tokenizer.js';

const log = logger('encoder');

export interface Encoder {
  /** The model's identity as stored with embeddings, e.g. `use-lite@3f2a9c…`. */
  id: string;
  name: string;
  dim: number;
  /** The ONNX Runtime execution provider in use, e.g. `cpu`, `cuda`. */
  provider: string;
  /** One unit vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Token ids of a batch, padded on the right. */
export interface TokenBatch {
  ids: BigInt64Array;
  mask: BigInt64Array;
  rows: number;
  length: number;
}

export type Pooling = 'model' | 'mean' | 'cls';

/** What the command line, `doctor` and the benchmark see beyond the contract. */
export interface ModelEncoder extends Encoder {
  kind: 'use-lite' | 'sentence-transformers';
  dir: string;
  modelFile: string;
  pooling: Pooling;
  /** The most tokens the model reads; longer texts are cut. */
  maxTokens: number;
  /** Rows per ONNX Runtime call inside `embed` (texts are sorted by length first). */
  batchSize: number;
  /** Every provider considered, with the reason each earlier one was not used. */
  attempts: ProviderAttempt[];
  /** Token ids of one text, cut to `maxTokens`, special tokens included. */
  tokenize(text: string): number[];
  /** How many tokens a text has before any cut (to size windows). */
  countTokens(text: string): number;
  /** Runs the model on already tokenized rows (one batch). */
  run(tokens: number[][]): Promise<Float32Array[]>;
}

export interface LoadOptions {
  /** A model folder; default: `$SURVEYOR_EMBED_MODEL`, else the converted USE-lite (built on demand). */
  model?: string;
  device?: Device;
  /** Rows per ONNX Runtime call inside `embed`. */
  batchSize?: number;
}

/** Pads token rows into int64 tensors data; empty rows stay all-padding. */
export function padBatch(tokens: number[][]): TokenBatch {
  const rows = tokens.length;
  const length = Math.max(1, ...tokens.map((t) => t.length));
  const ids = new BigInt64Array(rows * length);
  const mask = new BigInt64Array(rows * length);
  tokens.forEach((row, r) => {
    for (let k = 0; k < row.length; k++) {
      ids[r * length + k] = BigInt(row[k]);
      mask[r * length + k] = 1n;
    }
  });

  return { ids, mask, rows, length };
}

export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let k = 0; k < v.length; k++) v[k] /= norm;

  return v;
}

function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SurveyorError('bad-model', `${file}: not valid JSON (${(err as Error).message})`);
  }
}

interface Tokenize {
  (text: string): number[];
}

/**
 * Loads an encoder for a model folder on the best device. Without `model`, the folder
 * named by `$SURVEYOR_EMBED_MODEL` (the app's setting), else the converted USE-lite.
 */
export async function loadEncoder(opts: LoadOptions = {}): Promise<ModelEncoder> {
  const chosen = opts.model ?? process.env.SURVEYOR_EMBED_MODEL;
  const dir = chosen ? path.resolve(chosen) : ensureDefaultModel().dir;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new SurveyorError(
      'bad-model',
      `${dir}: not a model folder (expected model.onnx and tokenizer.json, or a built USE-lite)`,
    );
  }
  const useConfig = readJson<UseLiteConfig>(path.join(dir, 'config.json'));

  return useConfig?.surveyor?.kind === 'use-lite'
    ? loadUseLite(dir, useConfig, opts)
    : loadSentenceTransformer(dir, opts);
}

async function loadUseLite(dir: string, config: UseLiteConfig, opts: LoadOptions): Promise<ModelEncoder> {
  const modelFile = path.join(dir, 'model.onnx');
  const vocab = readJson<[string, number][]>(path.join(dir, 'vocab.json'));
  if (!vocab || !fs.existsSync(modelFile)) {
    throw new SurveyorError(
      'bad-model',
      `${dir}: the default model is incomplete (model.onnx or vocab.json missing); run \`npm run prepare\``,
    );
  }
  const tokenizer = new UseTokenizer(vocab);
  const { maxTokens, dim } = config.surveyor;
  // The graph itself reads only the first 128 tokens; cutting here saves work, not results.
  const tokenize: Tokenize = (text) => tokenizer.encode(text).slice(0, maxTokens);
  const countTokens = (text: string) => tokenizer.encode(text).length;

  return build({
    dir,
    modelFile,
    kind: 'use-lite',
    name: 'use-lite',
    dim,
    maxTokens,
    pooling: 'model',
    tokenize,
    countTokens,
    opts,
  });
}

interface PoolingConfig {
  pooling_mode_cls_token?: boolean;
  pooling_mode_mean_tokens?: boolean;
  pooling_mode_max_tokens?: boolean;
  word_embedding_dimension?: number;
}

async function loadSentenceTransformer(dir: string, opts: LoadOptions): Promise<ModelEncoder> {
  const modelFile = [path.join(dir, 'model.onnx'), path.join(dir, 'onnx', 'model.onnx')].find((f) => fs.existsSync(f));
  const tokenizerJson = readJson<object>(path.join(dir, 'tokenizer.json'));
  if (!modelFile || !tokenizerJson) {
    throw new SurveyorError(
      'bad-model',
      `${dir}: a model folder needs model.onnx (or onnx/model.onnx) and tokenizer.json`,
    );
  }
  const tokenizerConfig = readJson<{ model_max_length?: number }>(path.join(dir, 'tokenizer_config.json')) ?? {};
  const modelConfig =
    readJson<{ hidden_size?: number; max_position_embeddings?: number; _name_or_path?: string }>(
      path.join(dir, 'config.json'),
    ) ?? {};
  const stConfig = readJson<{ max_seq_length?: number }>(path.join(dir, 'sentence_bert_config.json')) ?? {};
  const poolingConfig = readJson<PoolingConfig>(path.join(dir, '1_Pooling', 'config.json'));

  let pooling: Pooling = 'mean';
  if (poolingConfig?.pooling_mode_cls_token) pooling = 'cls';
  else if (poolingConfig && !poolingConfig.pooling_mode_mean_tokens) {
    throw new SurveyorError(
      'bad-model',
      `${path.join(dir, '1_Pooling', 'config.json')}: only mean or CLS pooling is supported`,
    );
  }

  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (err) {
    throw new SurveyorError(
      'bad-model',
      `${path.join(dir, 'tokenizer.json')}: cannot be read as a tokenizer (${(err as Error).message})`,
    );
  }
  const limits = [stConfig.max_seq_length, modelConfig.max_position_embeddings, tokenizerConfig.model_max_length];
  const maxTokens = Math.min(512, ...limits.filter((n): n is number => typeof n === 'number' && n > 0));
  const tokenize: Tokenize = (text) => truncate(tokenizer, text, maxTokens);
  const countTokens = (text: string) => tokenizer.encode(text).ids.length;
  const name = path.basename(dir);
  const dim = poolingConfig?.word_embedding_dimension ?? modelConfig.hidden_size ?? 0;

  return build({
    dir,
    modelFile,
    kind: 'sentence-transformers',
    name,
    dim,
    maxTokens,
    pooling,
    tokenize,
    countTokens,
    opts,
  });
}

/** Ids with special tokens, the body cut so the whole fits in `max` (the library has no truncation). */
function truncate(tokenizer: Tokenizer, text: string, max: number): number[] {
  const full = tokenizer.encode(text).ids;
  if (full.length <= max) return full;
  const body = tokenizer.encode(text, { add_special_tokens: false }).ids;
  const prefix = full.indexOf(body[0]);
  const suffix = full.length - prefix - body.length;

  return [...full.slice(0, prefix), ...body.slice(0, max - prefix - suffix), ...full.slice(full.length - suffix)];
}

interface BuildArgs {
  dir: string;
  modelFile: string;
  kind: ModelEncoder['kind'];
  name: string;
  dim: number;
  maxTokens: number;
  pooling: Pooling;
  tokenize: Tokenize;
  countTokens: (text: string) => number;
  opts: LoadOptions;
}

async function build(a: BuildArgs): Promise<ModelEncoder> {
  const { session, provider, attempts } = await openSession(a.modelFile, a.opts.device ?? 'auto');
  const id = `${a.name}@${sha256File(a.modelFile).slice(0, 12)}`;
  const wantsTypes = session.inputNames.includes('token_type_ids');
  const direct = session.outputNames.includes('sentence_embedding');
  const pooling: Pooling = direct ? 'model' : a.pooling;
  const outputName = direct
    ? 'sentence_embedding'
    : session.outputNames.includes('last_hidden_state')
      ? 'last_hidden_state'
      : session.outputNames[0];
  const batchSize = Math.max(1, a.opts.batchSize ?? 32);
  let dim = a.dim;

  const run = async (tokens: number[][]): Promise<Float32Array[]> => {
    if (tokens.length === 0) return [];
    const b = padBatch(tokens);
    const shape = [b.rows, b.length];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', b.ids, shape),
      attention_mask: new ort.Tensor('int64', b.mask, shape),
    };
    if (wantsTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(b.ids.length), shape);
    const started = performance.now();
    const out = await session.run(feeds, [outputName]);
    const t = out[outputName];
    const vectors = pool(t.data as Float32Array, t.dims as number[], b, pooling);
    for (const v of Object.values(out)) v.dispose?.();
    log.trace(`batch of ${b.rows} x ${b.length} tokens in ${(performance.now() - started).toFixed(1)} ms`);
    dim = vectors[0]?.length ?? dim;

    return vectors;
  };

  const embed = async (texts: string[]): Promise<Float32Array[]> => {
    const tokens = texts.map((t) => a.tokenize(t));
    // Similar lengths together waste less on padding; padding never changes a result.
    const order = tokens.map((_, k) => k).sort((x, y) => tokens[x].length - tokens[y].length);
    const out: Float32Array[] = new Array(texts.length);
    for (let start = 0; start < order.length; start += batchSize) {
      const slice = order.slice(start, start + batchSize);
      const vectors = await run(slice.map((k) => tokens[k]));
      slice.forEach((k, j) => (out[k] = vectors[j]));
    }

    return out;
  };

  // A model without a declared width tells it on first use.
  if (!dim) dim = (await run([a.tokenize('dimension probe')]))[0].length;

  return {
    id,
    name: a.name,
    get dim() {
      return dim;
    },
    provider,
    kind: a.kind,
    dir: a.dir,
    modelFile: a.modelFile,
    pooling,
    maxTokens: a.maxTokens,
    batchSize,
    attempts,
    tokenize: a.tokenize,
    countTokens: a.countTokens,
    run,
    embed,
    close: () => session.release(),
  };
}

/** Rows of the model's output as unit vectors: as given, or pooled over the real tokens. */
function pool(data: Float32Array, dims: number[], b: TokenBatch, pooling: Pooling): Float32Array[] {
  const out: Float32Array[] = [];
  if (pooling === 'model') {
    const width = dims[1];
    for (let r = 0; r < b.rows; r++) out.push(normalize(data.slice(r * width, (r + 1) * width)));

    return out;
  }
  const [, seq, width] = dims;
  for (let r = 0; r < b.rows; r++) {
    const v = new Float32Array(width);
    if (pooling === 'cls') {
      v.set(data.subarray(r * seq * width, r * seq * width + width));
    } else {
      let count = 0;
      for (let k = 0; k < seq; k++) {
        if (b.mask[r * b.length + k] === 0n) continue;
        count++;
        const base = (r * seq + k) * width;
        for (let d = 0; d < width; d++) v[d] += data[base + d];
      }
      if (count > 0) for (let d = 0; d < width; d++) v[d] /= count;
    }
    out.push(normalize(v));
  }

  return out;
}
