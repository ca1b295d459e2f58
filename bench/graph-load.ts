/**
 * `npm run bench:ui`: how fast the page shows the graph, in headless Chromium against the real
 * `surveyor serve`. Two libraries: the 100 fixture PDFs (ingested and built here), and a generated
 * 2,000-paper library (topics, citations and similarity written straight into the tables, so the
 * figure is the page's, not the pipeline's). Printed per library:
 *   - load → graph: from navigation start to the graph's elements in place, and to the first frame
 *     drawn with them, with a fresh layout (no cached positions);
 *   - layout: its wall time and where it ran (the page's layout worker for large graphs, else the
 *     page); the longest frame the page took while loading (how long it froze); the same layout
 *     run on the page's main thread; and the same job (each topic on its own, then packed) done
 *     with cytoscape's stock `cose` layout on the page's main thread (the peer, 250 iterations);
 *   - reload: the same two times when the positions come from the library's cache, and whether
 *     they are the same positions;
 *   - frame times while dragging the graph and turning the mouse wheel, as a person does (median,
 *     95th and 99th percentiles, worst).
 * Headless Chromium renders in software here (--disable-gpu) on a shared 2-core machine: the
 * figures are noisy and pessimistic compared with a desktop with a GPU. The load average is printed.
 * With --json the output is one JSON object with the figures (for bench/all.ts's combined table).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { DIRECTIONS } from '../api/contract.js';
import { openLibrary } from '../db/library.js';
import { seededRandom as seeded } from '../core/random.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e-browser.js';

// Browser globals, for the functions that run inside the page (page.evaluate); not Node's.
declare const document: any, window: any, performance: any, requestAnimationFrame: any, MutationObserver: any;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.resolve(process.env.SURVEYOR_FIXTURES ?? path.join(ROOT, '..', 'shared', 'fixtures'));
const CLI = path.join(ROOT, 'bin', 'surveyor.js');
/** cose computes every pair of a topic's papers each iteration: its iterations, as layout-core.ts sets them. */
const COSE_ITERATIONS = 250;
const JSON_OUT = process.argv.includes('--json');

/**
 * A library of `n` papers in topics of uneven size; each paper cites about six earlier ones (mostly
 * in its own topic) and has about eight similarity edges inside its topic.
 */
export function generateLibrary(file: string, n: number): void {
  const lib = openLibrary(file);
  const rand = seeded(2000);
  const topics = 16;
  const db = lib.db;
  db.transaction(() => {
    for (let c = 1; c <= topics; c++)
      db.prepare('INSERT INTO clusters (id, label, keywords, size) VALUES (?, ?, ?, 0)').run(
        c,
        `topic ${c} words`,
        '[]',
      );
    const insPaper = db.prepare('INSERT INTO papers (title, year, abstract) VALUES (?, ?, ?)');
    const insMember = db.prepare('INSERT INTO paper_clusters (paper_id, cluster_id) VALUES (?, ?)');
    const insDir = db.prepare(
      'INSERT INTO paper_directions (paper_id, auto_direction, auto_confidence) VALUES (?, ?, ?)',
    );
    const insRef = db.prepare('INSERT INTO refs (paper_id, idx, raw, title) VALUES (?, ?, ?, ?)');
    const insMatch = db.prepare(
      "INSERT INTO ref_matches (ref_id, citing_id, cited_id, method) VALUES (?, ?, ?, 'title')",
    );
    const insSim = db.prepare('INSERT OR IGNORE INTO similar_edges (source, target, weight) VALUES (?, ?, ?)');
    const topicOf: number[] = [0];
    const byTopic = new Map<number, number[]>();
    for (let i = 1; i <= n; i++) {
      // Uneven topic sizes: a few large topics and a tail of small ones.
      const topic = 1 + Math.floor(topics * Math.pow(rand(), 1.6));
      const id = Number(
        insPaper.run(`Generated paper ${i} on topic ${topic}`, 2010 + Math.floor(rand() * 15), 'Generated.')
          .lastInsertRowid,
      );
      topicOf[id] = topic;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), id]);
      insMember.run(id, topic);
      insDir.run(id, DIRECTIONS[Math.floor(rand() * 4)], 0.5 + rand() / 2);
      const same = byTopic.get(topic)!;
      for (let k = 0; k < 6 && id > 1; k++) {
        const cited =
          rand() < 0.8 && same.length > 1
            ? same[Math.floor(rand() * (same.length - 1))]
            : 1 + Math.floor(rand() * (id - 1));
        if (cited === id) continue;
        const ref = Number(insRef.run(id, k, `ref ${k}`, `ref ${k}`).lastInsertRowid);
        insMatch.run(ref, id, cited);
      }
      for (let k = 0; k < 8 && same.length > 1; k++) {
        const other = same[Math.floor(rand() * (same.length - 1))];
        if (other !== id) insSim.run(Math.min(id, other), Math.max(id, other), 0.3 + rand() * 0.6);
      }
    }
    db.prepare(
      'UPDATE clusters SET size = (SELECT count(*) FROM paper_clusters pc WHERE pc.cluster_id = clusters.id)',
    ).run();
    db.prepare('DELETE FROM clusters WHERE size = 0').run();
  })();
  lib.close();
}

function buildFixtureLibrary(file: string): void {
  const pdfs = path.join(FIXTURES, 'pdfs');
  for (const args of [['ingest', pdfs], ['build']]) {
    const r = spawnSync(process.execPath, [CLI, ...args, '--library', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`surveyor ${args[0]} failed: ${r.stderr}`);
  }
}

async function serve(file: string): Promise<{ url: string; stop(): void }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--library', file, '--port', '0', '--no-build'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });

  return { url, stop: () => void proc.kill('SIGINT') };
}

interface Figures {
  papers: number;
  edges: number;
  /** Navigation start → the graph's elements in place (positions from a fresh layout). */
  loadMs: number;
  /** Navigation start → the first frame drawn with the graph. */
  shownMs: number;
  /** The layout's wall time (worker threads for large graphs) and where it ran. */
  layoutMs: number;
  layoutSource: string;
  /** The longest gap between the page's frames from navigation to the first frame with the graph. */
  loadLongestFrameMs: number;
  /** The same layout run on the page's main thread (what the worker spares the page). */
  pageLayoutMs: number;
  coseMs: number;
  /** A reload of the unchanged library: positions from the cache. */
  reload: { loadMs: number; shownMs: number; layoutSource: string; samePositions: boolean };
  pan: number[];
  zoom: number[];
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);

  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** Opens the page and waits for the graph: times from navigation, and the longest frame gap on the way. */
async function openGraph(page: Page, papers: number, go: () => Promise<unknown>) {
  await go();
  await page.waitForFunction((n) => document.body.dataset.graphReady === String(n), papers, { timeout: 600_000 });
  await page.waitForFunction(() => window.surveyorGraph.shownMs > 0, null, { timeout: 60_000 });

  return page.evaluate(() => {
    const g = window.surveyorGraph;
    window.__loadFrames.stop = true;
    const gaps = (window.__loadFrames.t as number[]).filter((t) => t <= g.shownMs);
    const longest = gaps.slice(1).reduce((m: number, t: number, i: number) => Math.max(m, t - gaps[i]), 0);
    const positions: Record<string, { x: number; y: number }> = {};
    g.cy.nodes('.paper').forEach((n: any) => void (positions[n.id()] = n.position()));

    return {
      loadMs: g.readyMs as number,
      shownMs: g.shownMs as number,
      layoutMs: g.lastLayoutMs as number,
      layoutSource: g.layoutSource as string,
      edges: g.edgeCount as number,
      longest,
      positions: JSON.stringify(positions),
    };
  });
}

async function measure(url: string, papers: number): Promise<Figures> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'surveyor-bench-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 880 },
  });
  try {
    const page = await browser.newPage();
    // Every frame's time from navigation on, to find the longest the page froze while loading.
    await page.addInitScript(() => {
      const rec = { t: [] as number[], stop: false };
      window.__loadFrames = rec;
      const tick = (now: number) => {
        rec.t.push(now);
        if (!rec.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // The page marks when it set the graph (main.ts sets data-graph-ready right after).
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if (document.body?.dataset.graphReady && window.surveyorGraph && !window.surveyorGraph.readyMs)
          window.surveyorGraph.readyMs = performance.now();
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-graph-ready'] });
    });
    const cold = await openGraph(page, papers, () => page.goto(url));

    // Frame times while a person drags the graph and turns the mouse wheel: the page records the
    // time between animation frames while playwright moves the real mouse.
    const box = (await page.locator('#cy').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const record = () =>
      page.evaluate(() => {
        const times: number[] = [];
        let last = performance.now();
        const tick = (now: number) => {
          times.push(now - last);
          last = now;
          if (window.__frames) requestAnimationFrame(tick);
        };
        window.__frames = times;
        requestAnimationFrame(tick);
      });
    const collect = () =>
      page.evaluate(() => {
        const t = window.__frames as number[];
        window.__frames = null;
        return t.slice(2);
      });
    const frames = async (kind: 'pan' | 'zoom') => {
      await page.mouse.move(cx, cy);
      await page.waitForTimeout(500);
      await record();
      if (kind === 'pan') {
        await page.mouse.down();
        for (let i = 0; i < 60; i++) await page.mouse.move(cx + Math.sin(i / 8) * 200, cy + Math.cos(i / 8) * 120);
        await page.mouse.up();
      } else {
        for (let i = 0; i < 40; i++) await page.mouse.wheel(0, i < 20 ? -60 : 60);
      }
      await page.waitForTimeout(600);
      return collect();
    };

    process.stderr.write(
      `  laid out in ${cold.loadMs.toFixed(0)} ms (${cold.layoutSource}), drawn at ${cold.shownMs.toFixed(0)} ms; ` +
        'panning and zooming…\n',
    );
    const pan = await frames('pan');
    const zoom = await frames('zoom');

    process.stderr.write('  reloading (cached positions)…\n');
    const warm = await openGraph(page, papers, () => page.reload());

    process.stderr.write('  the same layout on the page, and the cose peer…\n');
    const pageLayoutMs = await page.evaluate(() => window.surveyorGraph.timeLayoutOnPage() as number);
    // The peer does the same job (each topic on its own, then packed) with cytoscape's cose.
    const coseMs = await page.evaluate(() => window.surveyorGraph.timeLayoutOnPage('cose') as number);

    return {
      ...{ papers, edges: cold.edges, loadMs: cold.loadMs, shownMs: cold.shownMs, layoutMs: cold.layoutMs },
      ...{ layoutSource: cold.layoutSource, loadLongestFrameMs: cold.longest, pageLayoutMs, coseMs, pan, zoom },
      reload: {
        ...{ loadMs: warm.loadMs, shownMs: warm.shownMs, layoutSource: warm.layoutSource },
        samePositions: warm.positions === cold.positions,
      },
    };
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM}: Chromium is not installed (apt-get install chromium)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveyor-bench-ui-'));
  const rows: [string, Figures][] = [];
  try {
    // A given fixture library is copied: serving it would add the layout cache's table, and a
    // cached layout from an earlier run would spare the first load its layout.
    const fixtures = path.join(dir, 'fixtures.sqlite');
    const given = process.env.SURVEYOR_BENCH_FIXTURE_LIBRARY;
    if (given && fs.existsSync(given)) {
      for (const ext of ['', '-wal']) if (fs.existsSync(given + ext)) fs.copyFileSync(given + ext, fixtures + ext);
    } else {
      process.stderr.write('ingesting and building the 100 fixture PDFs…\n');
      buildFixtureLibrary(fixtures);
    }
    const generated = path.join(dir, 'generated.sqlite');
    generateLibrary(generated, 2000);

    for (const [name, file] of [
      ['100 fixture PDFs', fixtures],
      ['2,000 generated', generated],
    ] as const) {
      const lib = openLibrary(file);
      const count = (lib.db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
      lib.close();
      const server = await serve(file);
      try {
        process.stderr.write(`measuring ${name}…\n`);
        rows.push([name, await measure(server.url, count)]);
      } finally {
        server.stop();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  if (JSON_OUT) {
    const q = (xs: number[]) => ({
      ...{ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99), max: Math.max(...xs) },
      frames: xs.length,
    });
    const libraries = rows.map(([library, f]) => ({
      ...{ library, papers: f.papers, edges: f.edges, loadMs: f.loadMs, shownMs: f.shownMs, layoutMs: f.layoutMs },
      ...{ layoutSource: f.layoutSource, loadLongestFrameMs: f.loadLongestFrameMs, pageLayoutMs: f.pageLayoutMs },
      ...{ coseMs: f.coseMs, coseIterations: COSE_ITERATIONS, reload: f.reload, pan: q(f.pan), zoom: q(f.zoom) },
    }));
    console.log(JSON.stringify({ loadAverage: os.loadavg(), libraries }, null, 2));
    return;
  }
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const frame = (xs: number[]) =>
    [0.5, 0.95, 0.99].map((q) => quantile(xs, q).toFixed(1)).join(' / ') + ` / ${Math.max(...xs).toFixed(0)} ms`;
  console.log(
    `Graph load in headless Chromium (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `software rendering; load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')})`,
  );
  console.log(
    '| library | papers | edges | load → graph (first frame) | layout (where) | longest frame while loading | ' +
      `same layout on the page | cose peer (${COSE_ITERATIONS} iterations) | page layout / cose | ` +
      'reload, cached positions → graph (first frame) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, f] of rows) {
    console.log(
      `| ${name} | ${f.papers} | ${f.edges} | ${ms(f.loadMs)} (${ms(f.shownMs)}) | ${ms(f.layoutMs)} (${f.layoutSource}) | ` +
        `${ms(f.loadLongestFrameMs)} | ${ms(f.pageLayoutMs)} | ${ms(f.coseMs)} | ${(f.pageLayoutMs / f.coseMs).toFixed(2)} | ` +
        `${ms(f.reload.loadMs)} (${ms(f.reload.shownMs)})${f.reload.samePositions ? '' : ' POSITIONS DIFFER'} |`,
    );
  }
  console.log('\n| library | pan frame p50 / p95 / p99 / max | zoom frame p50 / p95 / p99 / max |');
  console.log('|---|---|---|');
  for (const [name, f] of rows) console.log(`| ${name} | ${frame(f.pan)} (${f.pan.length} frames) | ${frame(f.zoom)} (${f.zoom.length} frames) |`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
