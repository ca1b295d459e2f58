/**
 * `npm run bench:ui`: how fast the page shows the graph, in headless Chromium against the real
 * `surveyor serve`. Two libraries: the 100 fixture PDFs (ingested and built here), and a generated
 * 2,000-paper library (topics, citations and similarity written straight into the tables, so the
 * figure is the page's, not the pipeline's). Printed per library:
 *   - load → graph: from navigation start to the laid-out graph on screen;
 *   - layout: the layout alone; and cytoscape's stock `cose` layout on the same graph (the peer,
 *     250 iterations);
 *   - frame times while dragging the graph and turning the mouse wheel, as a person does (median,
 *     95th percentile, worst).
 * Headless Chromium renders in software here (--disable-gpu) on a shared 2-core machine: the
 * figures are noisy and pessimistic compared with a desktop with a GPU.
 * With --json the output is one JSON object with the figures (for bench/all.ts's combined table).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DIRECTIONS } from '../api/contract.js';
import { openLibrary } from '../db/library.js';
import { seededRandom as seeded } from '../core/random.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e-browser.js';

// Browser globals, for the functions that run inside the page (page.evaluate); not Node's.
declare const document: any, window: any, performance: any, requestAnimationFrame: any;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.resolve(process.env.SURVEYOR_FIXTURES ?? path.join(ROOT, '..', 'shared', 'fixtures'));
const CLI = path.join(ROOT, 'bin', 'surveyor.js');
/** cose computes every pair of nodes each iteration: bounded so the peer stays minutes-free at 2,000 papers. */
const COSE_ITERATIONS = 250;
const JSON_OUT = process.argv.includes('--json');

/**
 * A library of `n` papers in topics of uneven size; each paper cites about six earlier ones (mostly
 * in its own topic) and has about eight similarity edges inside its topic.
 */
function generateLibrary(file: string, n: number): void {
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
  loadMs: number;
  layoutMs: number;
  coseMs: number;
  pan: number[];
  zoom: number[];
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);

  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
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
    await page.goto(url);
    await page.waitForFunction((n) => document.body.dataset.graphReady === String(n), papers, { timeout: 600_000 });
    const load = await page.evaluate(() => ({
      loadMs: performance.now(),
      layoutMs: window.surveyorGraph.lastLayoutMs as number,
      edges: window.surveyorGraph.cy.edges().length as number,
    }));

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
      await record();
      if (kind === 'pan') {
        await page.mouse.down();
        for (let i = 0; i < 60; i++) await page.mouse.move(cx + Math.sin(i / 8) * 200, cy + Math.cos(i / 8) * 120);
        await page.mouse.up();
      } else {
        for (let i = 0; i < 40; i++) await page.mouse.wheel(0, i < 20 ? -60 : 60);
      }
      await page.waitForTimeout(300);
      return collect();
    };

    process.stderr.write(`  laid out in ${load.loadMs.toFixed(0)} ms; panning and zooming…\n`);
    const pan = await frames('pan');
    const zoom = await frames('zoom');
    process.stderr.write('  the cose peer…\n');
    const coseMs = await page.evaluate((COSE_ITERATIONS) => {
      const cy = window.surveyorGraph.cy;
      const t = performance.now();
      cy.layout({ name: 'cose', animate: false, randomize: true, numIter: COSE_ITERATIONS }).run();
      return performance.now() - t;
    }, COSE_ITERATIONS);

    return { papers, edges: load.edges, loadMs: load.loadMs, layoutMs: load.layoutMs, coseMs, pan, zoom };
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
    const fixtures = process.env.SURVEYOR_BENCH_FIXTURE_LIBRARY ?? path.join(dir, 'fixtures.sqlite');
    if (!fs.existsSync(fixtures)) {
      process.stderr.write('ingesting and building the 100 fixture PDFs…\n');
      buildFixtureLibrary(fixtures);
    }
    const generated = path.join(dir, 'generated.sqlite');
    generateLibrary(generated, 2000);

    for (const [name, file] of [
      ['100 fixture PDFs', fixtures],
      ['2,000 generated', generated],
    ] as const) {
      const lib = openLibrary(file, { readonly: true });
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
    const q = (xs: number[]) => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) });
    const libraries = rows.map(([library, f]) => ({
      ...{ library, papers: f.papers, edges: f.edges, loadMs: f.loadMs, layoutMs: f.layoutMs },
      ...{ coseMs: f.coseMs, coseIterations: COSE_ITERATIONS, pan: q(f.pan), zoom: q(f.zoom) },
    }));
    console.log(JSON.stringify({ libraries }, null, 2));
    return;
  }
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const frame = (xs: number[]) =>
    `${quantile(xs, 0.5).toFixed(1)} / ${quantile(xs, 0.95).toFixed(1)} / ${Math.max(...xs).toFixed(0)} ms`;
  console.log(
    `Graph load in headless Chromium (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ` +
      'software rendering)',
  );
  console.log(
    `| library | papers | edges | load → graph | layout | cose peer (${COSE_ITERATIONS} iterations) | layout / cose | ` +
      'pan frame p50 / p95 / max | zoom frame p50 / p95 / max |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---|');
  for (const [name, f] of rows) {
    console.log(
      `| ${name} | ${f.papers} | ${f.edges} | ${ms(f.loadMs)} | ${ms(f.layoutMs)} | ${ms(f.coseMs)} | ` +
        `${(f.layoutMs / f.coseMs).toFixed(2)} | ${frame(f.pan)} | ${frame(f.zoom)} |`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
