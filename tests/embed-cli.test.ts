/** `surveyor embed`, `surveyor similar` and `surveyor doctor` run as a user runs them. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import path from 'node:path';
import { runCli, tempDir, tempLibraryPath } from './helpers.js';
import { fixtureAbstracts, libraryFromAbstracts } from './models-support.js';
import { writeTinyBert } from './models-tiny-bert.js';

describe('the embedding commands', () => {
  const file = tempLibraryPath();

  before(() => {
    libraryFromAbstracts(file, fixtureAbstracts(12)).close();
  });

  it('surveyor embed --json embeds the library, then finds nothing left to do', () => {
    const first = runCli(['embed', '--library', file, '--json']);
    assert.equal(first.status, 0, first.stderr);
    const report = JSON.parse(first.stdout);
    assert.equal(report.embedded, 12);
    assert.equal(report.total, 12);
    assert.equal(report.provider, 'cpu');
    assert.match(report.model, /^use-lite@[0-9a-f]{12}$/);
    const again = runCli(['embed', '--library', file]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /embedded 0 papers with use-lite@\w+ on cpu \(12 already current/);
  });

  it('surveyor embed --model DIR embeds everything again for that model', () => {
    const bert = writeTinyBert(path.join(tempDir(), 'tiny-cli'), { pooling: 'cls' });
    const r = runCli(['embed', '--library', file, '--model', bert.dir, '--device', 'cpu', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.match(report.model, /^tiny-cli@/);
    assert.equal(report.embedded, 12);
    const missing = runCli(['embed', '--library', file, '--model', path.join(tempDir(), 'nothing-here')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /nothing-here: not a model folder/);
  });

  it('surveyor similar ID --json lists the nearest papers, best first, with scores', () => {
    const r = runCli(['similar', '1', '--library', file, '--json', '--limit', '5']);
    assert.equal(r.status, 0, r.stderr);
    const near = JSON.parse(r.stdout) as { id: number; title: string; score: number }[];
    assert.equal(near.length, 5);
    assert.ok(near.every((n) => n.id !== 1 && typeof n.title === 'string' && n.score < 1));
    assert.ok(near[0].score >= near[4].score);
    const text = runCli(['similar', '1', '--library', file]);
    assert.match(text.stdout, /^nearest to #1 /);
  });

  it('surveyor similar explains a paper that is not there', () => {
    const r = runCli(['similar', '999', '--library', file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no paper "999"/);
  });

  it('surveyor doctor --json reports library, model, provider with reasons, and versions', () => {
    const r = runCli(['doctor', '--library', file, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.equal(d.library.path, file);
    assert.ok(d.library.sizeBytes > 0);
    assert.equal(d.library.papers, 12);
    assert.equal(d.library.embeddings[0].papers, 12);
    assert.equal(d.model.name, 'use-lite');
    assert.equal(d.model.dim, 512);
    assert.match(d.model.file, /model\.onnx$/);
    assert.equal(d.provider.inUse, d.provider.attempts.at(-1).provider);
    for (const a of d.provider.attempts.slice(0, -1)) assert.ok(a.reason, JSON.stringify(a));
    assert.match(d.versions.onnxruntime, /^\d+\.\d+/);
    assert.equal(d.versions.node, process.versions.node);
    assert.equal(r.stderr, '', 'ONNX Runtime stays quiet');
  });

  it('surveyor doctor on a library not created yet says so and creates nothing', () => {
    const missing = tempLibraryPath();
    const d = JSON.parse(runCli(['doctor', '--library', missing, '--json']).stdout);
    assert.equal(d.library.exists, false);
    assert.equal(fs.existsSync(missing), false);
  });

  it('--device gpu on a machine without a working GPU provider fails and says why for each', (t) => {
    const doctor = JSON.parse(runCli(['doctor', '--library', file, '--json']).stdout);
    if (doctor.provider.inUse !== 'cpu') {
      t.skip(`a GPU provider works here (${doctor.provider.inUse})`);
      return;
    }
    const r = runCli(['embed', '--library', file, '--device', 'gpu']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--device gpu: no GPU execution provider works on this machine \(.*webgpu: /);
  });

  it('a wrong --device names the choices', () => {
    const r = runCli(['embed', '--library', file, '--device', 'tpu']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--device tpu: not a device; choose one of auto, gpu, cpu/);
  });
});
