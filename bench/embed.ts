/**
 * `npm run bench:embed`: abstracts per second through the whole embedding step
 * (windows, tokenization, ONNX Runtime, averaging, SQLite storage) at 1, 8 and 32
 * papers per batch, beside
 *   - the limit: ONNX Runtime alone on the very same token windows and batches, and
 *   - the peer: the TensorFlow.js original (pure-JS CPU backend) on the same windows,
 * with both ratios and the peak memory of the embedding step.
 *
 *   node dist/bench/embed.js [--papers N] [--repeat N] [--peer-papers N] [--device auto|gpu|cpu] [--model DIR] [--json]
 *
 * With --json the last line is one JSON object with the figures (for bench/all.ts's combined table).
 *
 *   node dist/bench/embed.js --recipe-library FILE [--body-windows N]
 *
 * The second form asks whether embedding the body helps: on a library ingested from the
 * fixture PDFs (each carries a researcher's research direction), it compares leave-one-out
 * nearest-neighbour agreement of directions for title + abstract alone and with the first
 * windows of the body (from the introduction on).
 *
 * Fixture abstracts come from the shared fixtures (no PDFs). A shared machine makes
 * the figures noisy: each figure is the best of --repeat runs (end to end and raw
 * interleaved), and the load average is printed with them.
 */
import os from 'node:os';
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { embedLibrary } from '../models/embed-library.js';
import { loadEncoder, padBatch } from '../models/encoder.js';
import { meanUnit, paperWindows } from '../models/paper-text.js';
import { openSession, parseDevice } from '../models/providers.js';
import { fixtureRecords, tempLibraryPath } from '../tests/helpers.js';
import { fixtureAbstracts, libraryFromAbstracts, loadTfjsUse } from '../tests/models-support.js';

const { values } = parseArgs({
  options: {
    papers: { type: 'string', default: '96' },
    repeat: { type: 'string', default: '3' },
    'peer-papers': { type: 'string', default: '4' },
    device: { type: 'string' },
    model: { type: 'string' },
    json: { type: 'boolean' },
    'recipe-library': { type: 'string' },
    'body-windows': { type: 'string', default: '6' },
  },
});
const device = parseDevice(values.device);
const nPapers = Number(values.papers);
const nPeer = Number(values['peer-papers']);
const repeat = Math.max(1, Number(values.repeat));
const BATCHES = [1, 8, 32];
/** The figures printed as one JSON line with --json. */
const summary: Record<string, unknown> = {};

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const rssMb = () => process.resourceUsage().maxRSS / 1024;
/** CPU time of the whole process (ONNX Runtime's threads included) since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);

  return (d.user + d.system) / 1000;
};

async function main(): Promise<void> {
  const papers = fixtureAbstracts(nPapers);
  const encoder = await loadEncoder({ model: values.model, device });
  const windows = papers.map((p) =>
    paperWindows(p, { maxTokens: encoder.maxTokens, countTokens: (t) => encoder.countTokens(t) }),
  );
  const nWindows = windows.reduce((s, w) => s + w.length, 0);
  process.stdout.write(
    `model ${encoder.id} on ${encoder.provider}; ${papers.length} fixture abstracts, ` +
      `${(nWindows / papers.length).toFixed(2)} windows each (≤ ${encoder.maxTokens} tokens); load ${load()}\n\n`,
  );

  const { session } = await openSession(encoder.modelFile, device);
  await encoder.embed(windows[0]);

  const rows: { batch: number; e2e: number; raw: number; e2eCpu: number; rawCpu: number }[] = [];
  for (const batch of BATCHES) {
    // Batch 1 is slow per paper; fewer papers keep the run short.
    const count = batch === 1 ? Math.min(papers.length, 32) : papers.length;
    // The limit: the same windows, already tokenized, sorted and padded as the encoder does,
    // through the session only.
    const feeds: Record<string, ort.Tensor>[] = [];
    const calls: number[][][] = [];
    for (let at = 0; at < count; at += batch) {
      const tokens = windows
        .slice(at, Math.min(at + batch, count))
        .flat()
        .map((w) => encoder.tokenize(w));
      tokens.sort((a, b) => a.length - b.length);
      for (let k = 0; k < tokens.length; k += encoder.batchSize) calls.push(tokens.slice(k, k + encoder.batchSize));
    }
    for (const call of calls) {
      const b = padBatch(call);
      const shape = [b.rows, b.length];
      const feed: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', b.ids, shape),
        attention_mask: new ort.Tensor('int64', b.mask, shape),
      };
      if (session.inputNames.includes('token_type_ids'))
        feed.token_type_ids = new ort.Tensor('int64', new BigInt64Array(b.ids.length), shape);
      feeds.push(feed);
    }

    const best = { e2e: 0, raw: 0, e2eCpu: Infinity, rawCpu: Infinity };
    for (let r = 0; r < repeat; r++) {
      const lib = libraryFromAbstracts(tempLibraryPath(), papers.slice(0, count));
      let started = performance.now();
      let cpu = process.cpuUsage();
      const report = await embedLibrary(lib, { encoder, batchPapers: batch });
      best.e2e = Math.max(best.e2e, report.embedded / ((performance.now() - started) / 1000));
      best.e2eCpu = Math.min(best.e2eCpu, cpuMs(cpu) / count);
      lib.close();

      started = performance.now();
      cpu = process.cpuUsage();
      for (const feed of feeds) await session.run(feed);
      best.raw = Math.max(best.raw, count / ((performance.now() - started) / 1000));
      best.rawCpu = Math.min(best.rawCpu, cpuMs(cpu) / count);
    }
    rows.push({ batch, ...best });
  }
  const peakMb = rssMb();
  await session.release();
  await encoder.close();

  process.stdout.write(
    'batch  end-to-end abstracts/s  raw ORT abstracts/s  ratio  |  CPU ms/abstract: end-to-end  raw  ratio\n',
  );
  for (const r of rows) {
    const cells = [
      String(r.batch).padStart(5),
      r.e2e.toFixed(1).padStart(22),
      r.raw.toFixed(1).padStart(19),
      `${((100 * r.e2e) / r.raw).toFixed(0)}%`.padStart(5),
      r.e2eCpu.toFixed(0).padStart(29),
      r.rawCpu.toFixed(0).padStart(4),
      `${((100 * r.rawCpu) / r.e2eCpu).toFixed(0)}%`.padStart(5),
    ];
    process.stdout.write(`${cells.slice(0, 4).join('  ')}  |${cells.slice(4).join('  ')}\n`);
  }
  process.stdout.write(`peak memory (RSS) of the embedding runs: ${peakMb.toFixed(0)} MB; load ${load()}\n\n`);
  const top = rows.reduce((a, b) => (b.e2e > a.e2e ? b : a));
  Object.assign(summary, {
    model: encoder.id,
    provider: encoder.provider,
    papers: papers.length,
    batches: rows,
    bestBatch: top.batch,
    abstractsPerSec: top.e2e,
    rawAbstractsPerSec: top.raw,
    ratioToRaw: top.e2e / top.raw,
    peakRssMb: peakMb,
    tfjsAbstractsPerSec: null,
    ratioToTfjs: null,
  });

  if (values.model || nPeer <= 0) return;
  // The peer: TF.js on the same windows of the first papers, one batch of them.
  const peer = await loadTfjsUse();
  const texts = windows.slice(0, nPeer).flat();
  await peer.embed(texts.slice(0, 1));
  const started = performance.now();
  await peer.embed(texts);
  const tfjs = nPeer / ((performance.now() - started) / 1000);
  peer.dispose();
  const best = rows.reduce((a, b) => (b.e2e > a.e2e ? b : a));
  Object.assign(summary, { tfjsPapers: nPeer, tfjsAbstractsPerSec: tfjs, ratioToTfjs: best.e2e / tfjs });
  process.stdout.write(
    `TensorFlow.js original (pure-JS CPU), ${nPeer} abstracts in one batch: ${tfjs.toFixed(2)} abstracts/s\n` +
      `Surveyor end to end at batch ${best.batch} / TensorFlow.js: ${(best.e2e / tfjs).toFixed(0)}x; load ${load()}\n`,
  );
}

/** Share of papers whose k nearest (by cosine) mostly carry their direction, and mean precision at k. */
function agreement(vectors: Float32Array[], labels: string[], k = 5): { knn: number; precision: number } {
  let hits = 0;
  let precision = 0;
  vectors.forEach((v, i) => {
    const near = vectors
      .map((w, j) => ({ j, score: j === i ? -Infinity : v.reduce((s, x, d) => s + x * w[d], 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
    const votes = new Map<string, number>();
    for (const n of near) votes.set(labels[n.j], (votes.get(labels[n.j]) ?? 0) + 1);
    const top = [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    if (top === labels[i]) hits++;
    precision += near.filter((n) => labels[n.j] === labels[i]).length / k;
  });

  return { knn: hits / vectors.length, precision: precision / vectors.length };
}

async function recipeEval(file: string, bodyWindows: number): Promise<void> {
  const labels = new Map(
    fixtureRecords()
      .filter((r) => !r.off_topic)
      .map((r) => [r.arxiv_id, r.direction]),
  );
  const db = new Database(file, { readonly: true });
  const rows = (
    db.prepare('SELECT arxiv_id, title, abstract, full_text FROM papers').all() as {
      arxiv_id: string | null;
      title: string | null;
      abstract: string | null;
      full_text: string | null;
    }[]
  ).filter((r) => r.arxiv_id && labels.has(r.arxiv_id) && r.abstract && r.full_text);
  db.close();
  const encoder = await loadEncoder({ device });
  const count = (t: string) => encoder.countTokens(t);

  const truncated: Float32Array[] = [];
  const titleEach: Float32Array[] = [];
  const abstractOnly: Float32Array[] = [];
  const allWindows: Float32Array[] = [];
  const halfHalf: Float32Array[] = [];
  for (const r of rows) {
    const head = paperWindows(r, { countTokens: count });
    // Baselines: one window cut at the model's reach; the title at the head of every window.
    truncated.push((await encoder.embed([`${r.title}. ${r.abstract}`]))[0]);
    const rest = paperWindows({ title: null, abstract: r.abstract }, { countTokens: count, maxTokens: 100 });
    titleEach.push(meanUnit(await encoder.embed(rest.map((w) => `${r.title}. ${w}`))));
    // The body from its introduction on (the title page and abstract come before it).
    const text = r.full_text as string;
    const intro = text.search(/\bintroduction\b/i);
    const body = paperWindows({ title: null, abstract: text.slice(Math.max(0, intro)) }, { countTokens: count });
    const a = await encoder.embed(head);
    const b = await encoder.embed(body.slice(0, bodyWindows));
    abstractOnly.push(meanUnit(a));
    allWindows.push(meanUnit([...a, ...b]));
    halfHalf.push(meanUnit([meanUnit(a), meanUnit(b)]));
  }
  await encoder.close();

  const directions = rows.map((r) => labels.get(r.arxiv_id as string) as string);
  process.stdout.write(`${rows.length} fixture papers with a direction; k = 5 nearest, leave one out\n`);
  const show = (name: string, v: Float32Array[]) => {
    const { knn, precision } = agreement(v, directions);
    const figures = `majority ${(100 * knn).toFixed(1)}%  precision@5 ${(100 * precision).toFixed(1)}%`;
    process.stdout.write(`${name.padEnd(52)} ${figures}\n`);
  };
  show('title + abstract cut at 128 tokens (one window)', truncated);
  show('title at the head of every abstract window', titleEach);
  show('title + abstract windows (what Surveyor embeds)', abstractOnly);
  show(`title + abstract + ${bodyWindows} body windows, all averaged`, allWindows);
  show(`mean of (title + abstract) and (${bodyWindows} body windows)`, halfHalf);
}

const recipeLibrary = values['recipe-library'];

(recipeLibrary ? recipeEval(recipeLibrary, Number(values['body-windows'])) : main())
  .then(() => {
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  })
  .catch((err) => {
    process.stderr.write(`bench:embed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
