/**
 * The text-only pdf.js worker (scripts/patch-pdfjs.mjs) must be the one ingestion uses, and must
 * read every fixture exactly as the stock pdf.js worker does: same items, same positions, same
 * fonts, same page sizes, same document info.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { workerBundle } from '../ingest/pdf-text.js';
import { FIXTURE_PDFS, REPO_ROOT } from './helpers.js';

/** Reads every fixture PDF in a fresh process with the given worker; one line per file: name, bundle, hash. */
function readAll(bundle: 'text-only' | 'stock'): Map<string, string> {
  const script = `
    import { readFileSync, readdirSync } from 'node:fs';
    import { createHash } from 'node:crypto';
    const m = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'ingest', 'pdf-text.js'))});
    const dir = ${JSON.stringify(FIXTURE_PDFS)};
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort()) {
      const content = await m.readPdf(new Uint8Array(readFileSync(dir + '/' + f)), f);
      const hash = createHash('sha256').update(JSON.stringify(content)).digest('hex');
      console.log(f, m.workerBundle(), content.pages.reduce((n, p) => n + p.items.length, 0), hash);
    }`;
  const env = { ...process.env, SURVEYOR_PDFJS_WORKER: bundle === 'stock' ? 'stock' : '' };
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(run.status, 0, run.stderr);
  const out = new Map<string, string>();
  for (const line of run.stdout.trim().split('\n')) {
    const [file, used, items, hash] = line.split(' ');
    assert.equal(used, bundle, `${file} was read with the ${used} worker, not the ${bundle} one`);
    assert.ok(Number(items) > 0, `${file}: no text items`);
    out.set(file!, `${items} ${hash}`);
  }
  return out;
}

test('ingestion uses the text-only pdf.js worker that the build writes', () => {
  assert.ok(
    fs.existsSync(path.join(REPO_ROOT, 'dist', 'vendor', 'pdf.worker.text-only.mjs')),
    'dist/vendor/pdf.worker.text-only.mjs is missing: scripts/patch-pdfjs.mjs no longer applies to this pdfjs-dist',
  );
  assert.equal(workerBundle(), 'text-only');
});

test('the text-only worker reads all fixture PDFs exactly as the stock pdf.js worker does', () => {
  const fast = readAll('text-only');
  const stock = readAll('stock');
  assert.ok(stock.size >= 100, `only ${stock.size} fixture PDFs`);
  assert.deepEqual([...fast.keys()], [...stock.keys()]);
  for (const [file, got] of fast) assert.equal(got, stock.get(file), `${file}: the text-only worker read it differently`);
});
