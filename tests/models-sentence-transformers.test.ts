/**
 * Any sentence-transformers ONNX folder via `--model DIR`, exercised with a tiny
 * BERT-shaped model the test writes itself: its tokenizer.json read by
 * @huggingface/tokenizers, pooling as 1_Pooling/config.json says, unit vectors.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SurveyorError } from '../core/errors.js';
import { loadEncoder } from '../models/encoder.js';
import { tempDir } from './helpers.js';
import { TINY_VOCAB, writeTinyBert } from './models-tiny-bert.js';

const id = (w: string) => TINY_VOCAB.indexOf(w);

function assertClose(actual: Float32Array, expected: Float32Array, tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((x, k) => assert.ok(Math.abs(x - expected[k]) <= tol, `component ${k}: ${x} vs ${expected[k]}`));
}

describe('a sentence-transformers ONNX folder', () => {
  it('tokenizes with its tokenizer.json (lower case, word pieces, [CLS] … [SEP])', async () => {
    const bert = writeTinyBert(path.join(tempDir(), 'tiny-mean'), { pooling: 'mean' });
    const enc = await loadEncoder({ model: bert.dir, device: 'cpu' });
    try {
      assert.deepEqual(enc.tokenize('The Graph surveys.'), [
        id('[CLS]'),
        id('the'),
        id('graph'),
        id('survey'),
        id('##s'),
        id('.'),
        id('[SEP]'),
      ]);
      assert.deepEqual(enc.tokenize('zebra'), [id('[CLS]'), id('[UNK]'), id('[SEP]')]);
      assert.equal(enc.kind, 'sentence-transformers');
      assert.match(enc.id, /^tiny-mean@[0-9a-f]{12}$/);
    } finally {
      await enc.close();
    }
  });

  it('mean-pools over the real tokens only and normalizes, whatever the padding', async () => {
    const bert = writeTinyBert(path.join(tempDir(), 'tiny-mean'), { pooling: 'mean' });
    const enc = await loadEncoder({ model: bert.dir, device: 'cpu' });
    try {
      assert.equal(enc.pooling, 'mean');
      assert.equal(enc.dim, 8);
      const texts = ['a survey of graph neural networks', 'attention', 'efficient data sets on the model paper'];
      const batch = await enc.embed(texts);
      for (const [i, t] of texts.entries()) {
        assertClose(batch[i], bert.expected(enc.tokenize(t)));
        assertClose((await enc.embed([t]))[0], batch[i], 1e-6);
      }
    } finally {
      await enc.close();
    }
  });

  it('takes the first token when the pooling config says CLS', async () => {
    const bert = writeTinyBert(path.join(tempDir(), 'tiny-cls'), { pooling: 'cls' });
    const enc = await loadEncoder({ model: bert.dir, device: 'cpu' });
    try {
      assert.equal(enc.pooling, 'cls');
      const [v] = await enc.embed(['neural network survey']);
      assertClose(v, bert.expected(enc.tokenize('neural network survey')));
    } finally {
      await enc.close();
    }
  });

  it('cuts long texts to max_seq_length and keeps the closing [SEP]', async () => {
    const bert = writeTinyBert(path.join(tempDir(), 'tiny-short'), { pooling: 'mean', maxSeqLength: 6 });
    const enc = await loadEncoder({ model: bert.dir, device: 'cpu' });
    try {
      const ids = enc.tokenize('the graph neural network survey paper of attention model');
      assert.deepEqual(ids, [id('[CLS]'), id('the'), id('graph'), id('neural'), id('network'), id('[SEP]')]);
      const [v] = await enc.embed(['the graph neural network survey paper of attention model']);
      assertClose(v, bert.expected(ids));
    } finally {
      await enc.close();
    }
  });

  it('is the default model when $SURVEYOR_EMBED_MODEL names it', async () => {
    const bert = writeTinyBert(path.join(tempDir(), 'tiny-env'), { pooling: 'mean' });
    process.env.SURVEYOR_EMBED_MODEL = bert.dir;
    try {
      const enc = await loadEncoder({ device: 'cpu' });
      assert.match(enc.id, /^tiny-env@/);
      await enc.close();
    } finally {
      delete process.env.SURVEYOR_EMBED_MODEL;
    }
  });

  it('refuses a folder without tokenizer.json, naming the folder', async () => {
    const dir = path.join(tempDir(), 'broken');
    writeTinyBert(dir, { pooling: 'mean' });
    fs.rmSync(path.join(dir, 'tokenizer.json'));
    await assert.rejects(loadEncoder({ model: dir, device: 'cpu' }), (err: unknown) => {
      assert.ok(err instanceof SurveyorError);
      assert.equal(err.code, 'bad-model');
      assert.ok(err.message.includes(dir) && err.message.includes('tokenizer.json'), err.message);
      return true;
    });
  });

  it('refuses a model.onnx that is not ONNX, naming the file', async () => {
    const dir = path.join(tempDir(), 'garbage');
    writeTinyBert(dir, { pooling: 'mean' });
    fs.writeFileSync(path.join(dir, 'model.onnx'), 'not a model');
    await assert.rejects(loadEncoder({ model: dir, device: 'cpu' }), (err: unknown) => {
      assert.ok(err instanceof SurveyorError && err.code === 'model-load-failed', String(err));
      assert.ok(err.message.includes(path.join(dir, 'model.onnx')), err.message);
      return true;
    });
  });
});
