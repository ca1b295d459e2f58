/**
 * The app as a person uses it, in a real browser against the real `surveyor serve`: drop PDFs,
 * watch them arrive, read a paper, search, sort directions on the board, export the outline.
 * Screenshots of the main views are saved (to SURVEYOR_SCREENSHOTS when set).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  dropFiles,
  haveChromium,
  openBrowser,
  screenshotDir,
  startServe,
  watchErrors,
  type Served,
} from './e2e-browser.js';
import { fixturePdf, fixtureRecords, tempLibraryPath } from './helpers.js';

// Browser globals, for the functions that run inside the page (page.evaluate); not Node's.
declare const document: any, window: any;

/** Papers that cite each other (ResNet and its descendants, small mobile networks, the Transformer). */
const PAPERS = [
  '1512.03385',
  '1603.05027',
  '1709.01507',
  '1807.06521',
  '1904.11492',
  '1711.07971',
  '1704.04861',
  '1707.01083',
  '1602.07360',
  '1503.02531',
  '1905.11946',
  '1706.03762',
];

const skip = haveChromium() ? false : 'Chromium is not installed (apt-get install chromium)';
let served: Served;
let browser: BrowserContext;
let page: Page;
let errors: string[];
let shots: string;

const norm = (s: string | null | undefined) =>
  (s ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

async function caps(): Promise<Record<string, boolean>> {
  return page.evaluate(async (token) => {
    const r = await fetch('/api/call/info', {
      method: 'POST',
      headers: { 'X-Surveyor-Token': token, 'Content-Type': 'application/json' },
      body: '{}',
    });
    return ((await r.json()) as { value: { capabilities: Record<string, boolean> } }).value.capabilities;
  }, served.token);
}

before(async () => {
  if (skip) return;
  shots = screenshotDir();
  served = await startServe(tempLibraryPath());
  browser = await openBrowser();
  page = await browser.newPage();
  errors = watchErrors(page);
  await page.goto(served.url);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  if (skip) return;
  await browser?.close();
  const code = await served?.stop();
  assert.equal(code, 0, 'serve stops cleanly on Ctrl-C');
});

test('an empty library says what to drop', { skip }, async () => {
  const empty = page.locator('#empty');
  await empty.waitFor({ state: 'visible' });
  assert.match(await empty.innerText(), /Drop PDFs here/);
  await shot('empty');
});

test('dropped PDFs are read with a progress bar, and appear as nodes', { skip, timeout: 240_000 }, async () => {
  await dropFiles(page, PAPERS.map(fixturePdf));
  const ingest = page.locator('.job[data-kind="ingest"]');
  await ingest.waitFor({ timeout: 60_000 });
  await page.locator('.job[data-kind="ingest"][data-job-state="done"]').waitFor({ timeout: 180_000 });
  assert.match(await ingest.innerText(), new RegExp(`${PAPERS.length} added`));

  // The graph shows every paper once the ingest (and the build that follows it) ends.
  await page.waitForFunction((n) => document.body.dataset.graphReady === String(n), PAPERS.length, { timeout: 30_000 });
  const nodes = await page.evaluate(
    () =>
      (window as unknown as { surveyorGraph: { cy: { nodes(s: string): { length: number } } } }).surveyorGraph.cy.nodes(
        '.paper',
      ).length,
  );
  assert.equal(nodes, PAPERS.length);
  assert.equal(await page.locator('#empty').isVisible(), false, 'the empty state is gone');
});

test('the build after ingest links citations and groups topics', { skip, timeout: 240_000 }, async () => {
  const c = await caps();
  if (!c.build) return assert.fail('the build step is missing');
  await page.locator('.job[data-kind="build"][data-job-state="done"]').waitFor({ timeout: 200_000 });
  // The graph with its topics is on screen, and no newer one is being laid out.
  await page.waitForFunction(
    () =>
      /\d+ citations · \d+ topics/.test(document.querySelector('#status')?.textContent ?? '') &&
      !(window as unknown as { surveyorGraph: { loading: boolean } }).surveyorGraph.loading,
    null,
    { timeout: 30_000 },
  );
  const status = await page.locator('#status').innerText();
  const cites = Number(/(\d+) citations/.exec(status)?.[1] ?? 0);
  assert.ok(cites >= 5, `these papers cite each other (status: ${status})`);
  await page.locator('#zoom-fit').click();
  await shot('graph');
});

test('clicking a node shows the paper, its references and links into the library', { skip }, async () => {
  const records = fixtureRecords();
  const resnet = records.find((r) => r.arxiv_id === '1512.03385')!;
  const id = await page.evaluate(async (token) => {
    const r = await fetch('/api/call/papers', {
      method: 'POST',
      headers: { 'X-Surveyor-Token': token, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const rows = ((await r.json()) as { value: { id: number; arxivId: string }[] }).value;
    return rows.find((p) => p.arxivId === '1512.03385')!.id;
  }, served.token);

  const at = await page.evaluate(
    (pid) =>
      (
        window as unknown as { surveyorGraph: { renderedPosition(id: number): { x: number; y: number } | null } }
      ).surveyorGraph.renderedPosition(pid),
    id,
  );
  assert.ok(at, 'the ResNet node is drawn');
  const box = (await page.locator('#cy').boundingBox())!;
  await page.mouse.click(box.x + at.x, box.y + at.y);

  const panel = page.locator('#panel');
  await panel.waitFor({ state: 'visible' });
  await page.locator('#panel-title').waitFor();
  assert.equal(norm(await page.locator('#panel-title').innerText()), norm(resnet.title));
  const text = await panel.innerText();
  assert.match(text, /References \(\d+, \d+ in the library\)/i);
  assert.match(text, /Cited by \d+ in the library/i, 'later papers in the set cite ResNet');
  assert.match(text, /Abstract/i);
  await shot('paper');

  // The paper's topic, by name; clicking it shows only that topic's papers.
  const topic = panel.locator('.topic-line button.link');
  const topicName = await topic.innerText();
  const options = await page.locator('#cluster-filter option').allInnerTexts();
  assert.ok(
    options.some((o) => o.startsWith(`${topicName} (`)),
    `"${topicName}" is one of the topics (${options.join('; ')})`,
  );
  await topic.click();
  const chosen = await page
    .locator('#cluster-filter')
    .evaluate((el: { options: ArrayLike<{ text: string }>; selectedIndex: number }) => el.options[el.selectedIndex].text);
  assert.ok(chosen.startsWith(`${topicName} (`), `the Topic filter shows "${chosen}"`);
  await page.selectOption('#cluster-filter', '');

  // A citing paper's link opens that paper.
  const before = await page.locator('#panel-title').innerText();
  await panel.locator('section:has(h3:text-matches("Cited by")) button.link').first().click();
  await page.waitForFunction((t) => document.querySelector('#panel-title')?.textContent !== t, before);
});

test('search finds papers by words in their text', { skip }, async () => {
  await page.locator('#search').fill('squeeze excitation');
  const hit = page.locator('#search-results li[data-id]', { hasText: 'Squeeze-and-Excitation Networks' });
  await hit.waitFor();
  assert.ok((await page.locator('#search-results li[data-id]').count()) >= 1);
  await hit.click();
  await page.waitForFunction(() =>
    /^Squeeze-and-Excitation/.test(document.querySelector('#panel-title')?.textContent ?? ''),
  );
  await page.locator('#search').fill('');
  await page.locator('#search').press('Escape');

  // Semantic search: no paper contains these words together, but three are about exactly this.
  const hits = await page.evaluate(async (token) => {
    const r = await fetch('/api/call/search', {
      method: 'POST',
      headers: { 'X-Surveyor-Token': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'small fast neural networks for phones', mode: 'semantic', limit: 4 }),
    });
    return ((await r.json()) as { value: { title: string; via: string }[] }).value;
  }, served.token);
  assert.ok(hits.every((h) => h.via === 'semantic'));
  const mobile = hits.filter((h) => /MobileNets|ShuffleNet|SqueezeNet|EfficientNet/.test(h.title));
  assert.ok(mobile.length >= 2, `the nearest papers are the mobile networks: ${hits.map((h) => h.title).join(' | ')}`);
});

test(
  'dragging a paper to another direction column corrects it, survives a reload, and undoes',
  { skip, timeout: 60_000 },
  async (t) => {
    const c = await caps();
    if (!c.directions) return t.skip('the taxonomy step (directions) is not in this build yet');
    await page.locator('.tabs button[data-view="board"]').click();
    const card = page.locator('.column[data-direction="efficiency"] .card').first();
    await card.waitFor();
    const id = await card.getAttribute('data-id');
    await shot('board');
    await card.dragTo(page.locator('.column[data-direction="datasets-evaluation"]'));
    await page.locator(`.column[data-direction="datasets-evaluation"] .card[data-id="${id}"]`).waitFor();

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('.tabs button[data-view="board"]').click();
    await page.locator(`.column[data-direction="datasets-evaluation"] .card[data-id="${id}"]`).waitFor();
    assert.match(await page.locator(`.card[data-id="${id}"]`).innerText(), /you/, 'marked as set by the user');

    // Undo is per session: move it once more in this page, then undo that move.
    await page.locator(`.card[data-id="${id}"]`).dragTo(page.locator('.column[data-direction="plug-and-play"]'));
    await page.locator(`.column[data-direction="plug-and-play"] .card[data-id="${id}"]`).waitFor();
    await page.locator('body').press('Control+z');
    await page.locator(`.column[data-direction="datasets-evaluation"] .card[data-id="${id}"]`).waitFor();
    await page.locator('.tabs button[data-view="graph"]').click();
  },
);

test('the missing-papers list ranks works the library cites but lacks', { skip }, async () => {
  await page.locator('.tabs button[data-view="missing"]').click();
  const view = page.locator('#view-missing');
  await view.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('#view-missing')?.textContent?.length);
  const rows = await view.locator('tbody tr').count();
  assert.ok(rows > 0, 'these papers share references the library lacks');
  await shot('missing');
  await page.locator('.tabs button[data-view="graph"]').click();
});

test('export writes a Markdown outline with the four direction sections', { skip, timeout: 60_000 }, async (t) => {
  const c = await caps();
  if (!c.export) return t.skip('the outline export is not in this build yet');
  await page.keyboard.press('Control+e');
  await page.locator('#export-dialog[open]').waitFor();
  await page.locator('input[name="format"][value="markdown"]').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-go').click()]);
  const file = await download.path();
  const md = fs.readFileSync(file, 'utf8');
  for (const name of [
    'Efficiency',
    'Existing models & new directions',
    'Plug-and-play',
    'Datasets, evaluation & surveys',
  ]) {
    assert.ok(md.includes(name), `the outline has a section "${name}"`);
  }
  await page.locator('#export-preview').waitFor({ state: 'visible' });
  await shot('export');
  await page.locator('#export-cancel').click();
});

test('the dark theme and keyboard navigation work', { skip }, async () => {
  await page.locator('#theme').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.locator('#cy').focus();
  await page.keyboard.press('ArrowRight');
  await page.locator('#panel-title').waitFor();
  const first = await page.locator('#panel-title').innerText();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((t) => document.querySelector('#panel-title')?.textContent !== t, first);
  await page.keyboard.press('0');
  // Let the selection's 250 ms centring animation end, so the picture is not caught mid-frame.
  await page.waitForTimeout(500);
  await shot('graph-dark');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#panel').isVisible(), false, 'Escape closes the panel');
  await page.keyboard.press('2');
  await page.locator('#view-board').waitFor({ state: 'visible' });
  await page.keyboard.press('1');
  await page.locator('#view-graph').waitFor({ state: 'visible' });
  await page.locator('#theme').click();
});

test('Add PDFs… reads the files chosen in the file dialog', { skip, timeout: 120_000 }, async () => {
  const before = await page.locator('.job[data-kind="ingest"]').count();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('#add').click()]);
  await chooser.setFiles([fixturePdf('1409.7495')]);
  const job = page.locator('.job[data-kind="ingest"]').nth(before);
  await job.waitFor({ timeout: 30_000 });
  await page.locator('.job[data-kind="ingest"][data-job-state="done"]').nth(before).waitFor({ timeout: 90_000 });
  assert.match(await job.innerText(), /1 added/);
});

test('the page ran without errors or CSP violations', { skip }, () => {
  assert.deepEqual(errors, []);
});
