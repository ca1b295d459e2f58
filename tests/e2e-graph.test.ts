/**
 * The graph of a large library in a real browser against the real `surveyor serve`: a generated
 * 900-paper library (the benchmark's generator) is laid out on the page's layout worker, topic
 * labels follow zooming at one size on screen, hidden similarity lines come back with the toggle, a
 * reload shows the same picture from the positions cached in the library, and a second library with
 * the same papers gets the same picture without any cache.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { generateLibrary } from '../bench/graph-load.js';
import { haveChromium, openBrowser, startServe, watchErrors, type Served } from './e2e-browser.js';
import { tempLibraryPath } from './helpers.js';

// Browser globals, for the functions that run inside the page (page.evaluate); not Node's.
declare const document: any, window: any, MutationObserver: any, getComputedStyle: any;

const PAPERS = 900;
const skip = haveChromium() ? false : 'Chromium is not installed (apt-get install chromium)';
let library: string;
let served: Served;
let browser: BrowserContext;
let page: Page;
let errors: string[];
let first: Record<string, [number, number]>;

async function ready(p: Page): Promise<void> {
  await p.waitForFunction((n) => document.body.dataset.graphReady === String(n), PAPERS, { timeout: 180_000 });
}

function positions(p: Page): Promise<Record<string, [number, number]>> {
  return p.evaluate(() => {
    const out: Record<string, [number, number]> = {};
    window.surveyorGraph.cy.nodes('.paper').forEach((n: any) => void (out[n.id()] = [n.position('x'), n.position('y')]));
    return out;
  });
}

before(async () => {
  if (skip) return;
  library = tempLibraryPath();
  generateLibrary(library, PAPERS);
  served = await startServe(library, ['--no-build']);
  browser = await openBrowser();
  page = await browser.newPage();
  errors = watchErrors(page);
});

after(async () => {
  await browser?.close();
  await served?.stop();
});

test('a large library is laid out on the worker while the page says how far it got', { skip }, async () => {
  const progress: string[] = [];
  await page.exposeFunction('noteStatus', (s: string) => void progress.push(s));
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const s = document.querySelector('#status')?.textContent ?? '';
      if (s.startsWith('Laying out')) window.noteStatus(s);
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(served.url);
  await ready(page);
  assert.equal(await page.evaluate(() => window.surveyorGraph.layoutSource), 'worker');
  assert.ok(
    progress.some((s) => /^Laying out 900 papers: \d+ of \d+ topics/.test(s)),
    `progress seen: ${progress.join(' | ')}`,
  );
  first = await positions(page);
  assert.equal(Object.keys(first).length, PAPERS);

  // Positions went into the library, under one key.
  const db = new Database(library, { readonly: true });
  const row = db.prepare('SELECT papers FROM graph_layouts').get() as { papers: number };
  db.close();
  assert.equal(row.papers, PAPERS);
});

test('topic labels sit above their boxes and keep one size on screen while zooming', { skip }, async () => {
  const labels = page.locator('.topic-label:not([hidden])');
  const topics = await page.locator('.topic-box').count();
  assert.ok(topics >= 10, `${topics} topic boxes`);
  assert.equal(await page.locator('.topic-label').count(), topics);
  assert.ok((await labels.count()) > 0);
  const text = (await labels.first().textContent()) ?? '';
  assert.match(text, /^topic \d+ words \(\d+\)$/);

  const before = await page.evaluate(() => {
    const el = document.querySelector('.topic-label:not([hidden])');
    return { transform: el.style.transform, size: getComputedStyle(el).fontSize, zoom: window.surveyorGraph.cy.zoom() };
  });
  const box = (await page.locator('#cy').boundingBox())!;
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -120);
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => {
    const el = document.querySelector('.topic-label');
    return { transform: el.style.transform, size: getComputedStyle(el).fontSize, zoom: window.surveyorGraph.cy.zoom() };
  });
  assert.ok(after.zoom > before.zoom * 1.2, `zoomed in: ${before.zoom} → ${after.zoom}`);
  assert.equal(after.size, before.size, 'labels keep their size on screen');
  assert.notEqual(after.transform, before.transform, 'labels follow their boxes');
});

test('similarity lines of a large library start hidden and come back with the toggle', { skip }, async () => {
  const count = () => page.evaluate(() => window.surveyorGraph.cy.edges('.similar:visible').length as number);
  assert.equal(await page.locator('#show-similar').isChecked(), false);
  assert.equal(await count(), 0);
  await page.locator('#show-similar').check();
  assert.ok((await count()) > PAPERS, 'thousands of similarity lines shown');
  await page.locator('#show-similar').uncheck();
  assert.equal(await count(), 0);
});

test('a reload shows the same picture from the cached positions, without a layout', { skip }, async () => {
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => window.surveyorGraph.layoutSource), 'cache');
  assert.deepEqual(await positions(page), first);
});

test('another library with the same papers gets the same picture without a cache', { skip }, async () => {
  const twin = tempLibraryPath();
  generateLibrary(twin, PAPERS);
  const server = await startServe(twin, ['--no-build']);
  const other = await browser.newPage();
  try {
    await other.goto(server.url);
    await ready(other);
    assert.equal(await other.evaluate(() => window.surveyorGraph.layoutSource), 'worker');
    assert.deepEqual(await positions(other), first);
  } finally {
    await other.close();
    await server.stop();
  }
});

test('the page ran without errors or CSP violations (the worker included)', { skip }, () => {
  assert.deepEqual(errors, []);
});
