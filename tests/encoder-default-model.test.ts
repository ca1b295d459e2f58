/**
 * The default model as built from the npm package: its ONNX interface, padding and
 * empty rows, unit vectors, the build step, and device selection on this machine.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { SurveyorError } from '../core/errors.js';
import { convertUseLite } from '../models/convert-use.js';
import { ensureDefaultModel, sourceDir } from '../models/default-model.js';
import { loadEncoder, type ModelEncoder } from '../models/encoder.js';
import { gpuCandidates, parseDevice } from '../models/providers.js';
import { REPO_ROOT, tempDir } from './helpers.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));

  return worst;
}

function cos(a: Float32Array, b: Float32Array): number {
  return a.reduce((s, x, k) => s + x * b[k], 0);
}

describe('the default model (USE-lite converted to ONNX)', () => {
  let enc: ModelEncoder;
  let session: ort.InferenceSession;

  before(async () => {
    enc = await loadEncoder({ device: 'cpu' });
    session = await ort.InferenceSession.create(enc.modelFile, { logSeverityLevel: 4 });
  });
  after(async () => {
    await enc.close();
    await session.release();
  });

  it('has the usual interface: int64 input_ids and attention_mask in, sentence_embedding out', () => {
    assert.deepEqual([...session.inputNames].sort(), ['attention_mask', 'input_ids']);
    assert.deepEqual([...session.outputNames], ['sentence_embedding']);
    assert.equal(enc.dim, 512);
    assert.match(enc.id, /^use-lite@[0-9a-f]{12}$/);
  });

  it('gives the same vector whether the row is padded on the right, the left or in the middle', async () => {
    const ids = enc.tokenize('Graph neural networks for citation recommendation.');
    const run = async (rows: number[][], masks: number[][]) => {
      const shape = [rows.length, rows[0].length];
      const t = (m: number[][]) => new ort.Tensor('int64', BigInt64Array.from(m.flat(), BigInt), shape);
      const out = await session.run({ input_ids: t(rows), attention_mask: t(masks) });

      return out.sentence_embedding.data as Float32Array;
    };
    const alone = await run([ids], [ids.map(() => 1)]);
    const pad = (n: number) => Array.from({ length: n }, () => 0);
    const right = await run([[...ids, ...pad(5)]], [[...ids.map(() => 1), ...pad(5)]]);
    const left = await run([[...pad(4), ...ids]], [[...pad(4), ...ids.map(() => 1)]]);
    const mid = [...ids.slice(0, 3), 77, 77, ...ids.slice(3)];
    const middle = await run([mid], [[1, 1, 1, 0, 0, ...ids.slice(3).map(() => 1)]]);
    for (const v of [right, left, middle]) assert.ok(maxDiff(v, alone) < 1e-6, `differs by ${maxDiff(v, alone)}`);
  });

  it('returns one row per input, trailing empty texts included', async () => {
    const texts = ['a study of transformers', '', 'graph clustering', '', ''];
    const out = await enc.embed(texts);
    assert.equal(out.length, texts.length);
    const [empty] = await enc.embed(['']);
    assert.ok(maxDiff(out[4], empty) < 1e-6 && maxDiff(out[1], empty) < 1e-6);
    assert.ok(maxDiff(out[0], (await enc.embed(['a study of transformers']))[0]) < 1e-6);
    assert.equal((await enc.embed(['', ''])).length, 2);
    assert.deepEqual(await enc.embed([]), []);
  });

  it('gives unit vectors that put related sentences nearer than unrelated ones', async () => {
    const [a, b, c] = await enc.embed([
      'We compress large language models by pruning attention heads.',
      'Pruning transformer heads makes language models smaller and faster.',
      'The recipe calls for two cups of flour and an egg.',
    ]);
    for (const v of [a, b, c]) assert.ok(Math.abs(Math.sqrt(cos(v, v)) - 1) < 1e-5);
    assert.ok(cos(a, b) > cos(a, c) + 0.2, `related ${cos(a, b)}, unrelated ${cos(a, c)}`);
  });

  it('reads only the first 128 tokens, so longer texts are cut without changing the result', async () => {
    const long = 'graph '.repeat(300);
    assert.equal(enc.tokenize(long).length, 128);
    const ids = enc.tokenize(long);
    const shape = [1, 300];
    const full = Array.from({ length: 300 }, (_, k) => ids[Math.min(k, 127)]);
    const out = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(full, BigInt), shape),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(300).fill(1n), shape),
    });
    assert.ok(maxDiff(out.sentence_embedding.data as Float32Array, (await enc.run([ids]))[0]) < 1e-6);
  });
});

describe('building the default model', () => {
  it('builds into an empty folder, then finds it current, and rebuilds when it is stale or broken', () => {
    const dir = path.join(tempDir(), 'use-lite');
    const first = ensureDefaultModel(dir);
    assert.equal(first.built, true);
    for (const f of ['model.onnx', 'vocab.json', 'config.json']) assert.ok(fs.existsSync(path.join(dir, f)), f);
    assert.ok(fs.statSync(path.join(dir, 'model.onnx')).size > 20e6);
    assert.equal(ensureDefaultModel(dir).built, false);

    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    config.surveyor.sourceDigest = 'stale';
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    assert.equal(ensureDefaultModel(dir).built, true);
    fs.rmSync(path.join(dir, 'model.onnx'));
    assert.equal(ensureDefaultModel(dir).built, true);
    assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['use-lite'], 'no temporary folders left behind');
  });

  it('survives two processes building at once', async () => {
    const dir = path.join(tempDir(), 'use-lite');
    const module = path.join(REPO_ROOT, 'dist/models/default-model.js');
    const script = `import('${module}').then((m) => m.ensureDefaultModel(process.argv[1]))`;
    const runs = [0, 1].map(
      () =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['-e', script, dir], { stdio: 'inherit' });
          child.on('exit', (code) => resolve(code ?? -1));
        }),
    );
    assert.deepEqual(await Promise.all(runs), [0, 0]);
    assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['use-lite']);
    assert.equal(ensureDefaultModel(dir).built, false);
  });
});

describe('the install hook and the converter', () => {
  it('build-model.js (run by npm run prepare) builds once, then says the build is up to date', () => {
    const dir = path.join(tempDir(), 'hook', 'use-lite');
    const run = () =>
      spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/models/build-model.js')], {
        encoding: 'utf8',
        env: { ...process.env, SURVEYOR_MODEL_DIR: dir },
      });
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /default model built in [\d.]+ s/);
    const second = run();
    assert.match(second.stdout, /default model up to date/);
    assert.ok(fs.existsSync(path.join(dir, 'model.onnx')));
  });

  it('names the node and op it cannot translate', () => {
    const src = path.join(tempDir(), 'odd-graph');
    fs.mkdirSync(src);
    const original = sourceDir();
    for (const f of fs.readdirSync(original)) fs.symlinkSync(path.join(original, f), path.join(src, f));
    const model = JSON.parse(fs.readFileSync(path.join(original, 'model.json'), 'utf8'));
    const tanh = model.modelTopology.node.find((n: { op: string }) => n.op === 'Tanh');
    tanh.op = 'Erfinv';
    fs.rmSync(path.join(src, 'model.json'));
    fs.writeFileSync(path.join(src, 'model.json'), JSON.stringify(model));
    assert.throws(
      () => convertUseLite(src),
      (err: unknown) => {
        assert.ok(err instanceof SurveyorError && err.code === 'convert-unsupported', String(err));
        assert.match(err.message, new RegExp(`${tanh.name}: TF op Erfinv has no translation`));
        return true;
      },
    );
  });
});

describe('choosing the device', () => {
  it('tries the GPU providers of this platform in order', () => {
    assert.deepEqual(gpuCandidates('linux', 'x64'), ['cuda', 'webgpu']);
    assert.deepEqual(gpuCandidates('win32', 'x64'), ['dml', 'webgpu']);
    assert.deepEqual(gpuCandidates('darwin', 'arm64'), ['coreml', 'webgpu']);
    assert.deepEqual(gpuCandidates('linux', 'arm64'), ['webgpu']);
  });

  it('rejects an unknown device, listing the valid ones', () => {
    assert.throws(() => parseDevice('tpu'), /auto, gpu, cpu/);
    assert.equal(parseDevice(undefined), 'auto');
  });

  it('says why each provider before the one in use was passed over', async () => {
    const enc = await loadEncoder({ device: 'auto' });
    try {
      const used = enc.attempts.filter((a) => a.used);
      assert.equal(used.length, 1);
      assert.equal(used[0].provider, enc.provider);
      assert.equal(enc.attempts[enc.attempts.length - 1].provider, enc.provider);
      for (const a of enc.attempts.slice(0, -1))
        assert.ok(a.reason && a.reason.length > 5, `${a.provider}: ${a.reason}`);
    } finally {
      await enc.close();
    }
  });

  it('fails clearly with --device gpu when no GPU provider works here', async (t) => {
    const probe = await loadEncoder({ device: 'auto' });
    await probe.close();
    if (probe.provider !== 'cpu') {
      t.skip(`this machine has a working GPU provider (${probe.provider})`);
      return;
    }
    await assert.rejects(loadEncoder({ device: 'gpu' }), (err: unknown) => {
      assert.ok(err instanceof SurveyorError && err.code === 'no-gpu', String(err));
      for (const p of gpuCandidates()) assert.ok(err.message.includes(`${p}:`), err.message);
      return true;
    });
  });
});
