/**
 * Extraction quality over all 100 fixture PDFs, against papers.json: title, arXiv id, abstract.
 * The PDFs are parsed on worker threads (the same pool and worker the ingest pipeline uses).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkerPool } from '../core/worker-pool.js';
import { normalizeTitle } from '../ingest/extract-text.js';
import type { ParsedFile } from '../ingest/parse-file.js';
import type { ParseTask } from '../ingest/worker.js';
import { fixturePdf, fixtureRecords, type FixtureRecord } from './helpers.js';

interface Row {
  record: FixtureRecord;
  parsed: ParsedFile | null;
  error: string | null;
}

const rows: Row[] = [];

before(async () => {
  const pool = new WorkerPool<ParseTask, ParsedFile>(new URL('../ingest/worker.js', import.meta.url), {
    timeoutMs: 120_000,
  });
  try {
    const records = fixtureRecords();
    const results = await Promise.allSettled(records.map((r) => pool.run({ file: fixturePdf(r.arxiv_id) })));
    results.forEach((res, i) => {
      rows.push({
        record: records[i],
        parsed: res.status === 'fulfilled' ? res.value : null,
        error: res.status === 'rejected' ? String((res.reason as Error).message) : null,
      });
    });
  } finally {
    await pool.close();
  }
});

after(() => {
  rows.length = 0;
});

function share(ok: number): string {
  return `${ok}/${rows.length} (${((100 * ok) / Math.max(1, rows.length)).toFixed(0)}%)`;
}

describe('extraction over the 100 fixture PDFs', () => {
  it('parses every fixture', () => {
    const failed = rows.filter((r) => !r.parsed).map((r) => `${r.record.arxiv_id}: ${r.error}`);
    assert.equal(rows.length, 100);
    assert.deepEqual(failed, []);
  });

  it('finds the printed title of at least 97% of the papers', () => {
    const misses = rows.filter((r) => normalizeTitle(r.parsed?.title ?? '') !== normalizeTitle(r.record.title));
    for (const m of misses) {
      console.log(`title miss ${m.record.arxiv_id}: got "${m.parsed?.title}" want "${m.record.title}"`);
    }
    console.log(`titles: ${share(rows.length - misses.length)}`);
    assert.ok(rows.length - misses.length >= 97, `only ${share(rows.length - misses.length)} titles right`);
  });

  it('finds the arXiv id of every paper', () => {
    const misses = rows.filter((r) => r.parsed?.arxivId !== r.record.arxiv_id);
    for (const m of misses) console.log(`arXiv miss ${m.record.arxiv_id}: got ${m.parsed?.arxivId}`);
    assert.deepEqual(
      misses.map((m) => m.record.arxiv_id),
      [],
    );
  });

  it('finds an abstract (200 to 5,000 characters of prose, whole, not the title) for 97% of the papers', () => {
    const misses = rows.filter((r) => {
      const abs = r.parsed?.abstract ?? '';
      // Running text, not a list of names: most words start lowercase.
      const words = abs.split(/\s+/).filter((w) => /\p{L}/u.test(w));
      const prose = words.filter((w) => /^\p{Ll}/u.test(w)).length >= words.length * 0.6;
      const ends = /[.!?”")]$|https?:\/\/\S+$/.test(abs);

      const titleFirst = normalizeTitle(abs).startsWith(normalizeTitle(r.record.title));

      return abs.length < 200 || abs.length > 5000 || !prose || !ends || titleFirst;
    });
    for (const m of misses) {
      console.log(`abstract miss ${m.record.arxiv_id}: "${(m.parsed?.abstract ?? '').slice(0, 80)}"`);
    }
    console.log(`abstracts: ${share(rows.length - misses.length)}`);
    assert.ok(rows.length - misses.length >= 97, `only ${share(rows.length - misses.length)} abstracts`);
  });

  it('gives every paper a year, and the year of its arXiv id when there is no other', () => {
    const misses = rows.filter((r) => {
      const y = r.parsed?.year ?? 0;
      const idYear = 2000 + Number(r.record.arxiv_id.slice(0, 2));

      return y < idYear || y > idYear + 1;
    });
    assert.deepEqual(
      misses.map((m) => `${m.record.arxiv_id}: ${m.parsed?.year}`),
      [],
    );
  });

  it('finds a reference list in every paper and section headings in nearly all', () => {
    const noRefs = rows.filter((r) => (r.parsed?.references.length ?? 0) < 5).map((r) => r.record.arxiv_id);
    assert.deepEqual(noRefs, []);
    const noHeadings = rows.filter((r) => (r.parsed?.headings.length ?? 0) < 3).map((r) => r.record.arxiv_id);
    assert.ok(noHeadings.length <= 3, `papers without headings: ${noHeadings.join(', ')}`);
    const withTitles = rows.flatMap((r) => r.parsed?.references ?? []).filter((ref) => ref.title).length;
    const all = rows.reduce((n, r) => n + (r.parsed?.references.length ?? 0), 0);
    console.log(`references: ${all}, with a title: ${withTitles}`);
    assert.ok(withTitles >= all * 0.97, `only ${withTitles} of ${all} references have a title`);
  });

  it('splits every numbered reference list into entries 1..N with no gap or repeat', () => {
    let lists = 0;
    for (const r of rows) {
      const refs = r.parsed!.references;
      const labels = refs.map((ref) => Number((/^\[(\d+)\]/.exec(ref.raw) ?? /^(\d+)\.\s/.exec(ref.raw))?.[1]));
      if (labels.filter((n) => !Number.isNaN(n)).length < refs.length * 0.8) continue;
      lists++;
      assert.deepEqual(
        labels,
        labels.map((_, i) => i + 1),
        r.record.arxiv_id,
      );
    }
    console.log(`numbered reference lists: ${lists}`);
    assert.ok(lists >= 50, `only ${lists} numbered lists`);
  });

  it('lists the section headings of papers in three templates', () => {
    const headings = (id: string): string[] => rows.find((r) => r.record.arxiv_id === id)!.parsed!.headings;
    assert.deepEqual(headings('1505.04597'), [
      '1 Introduction',
      '2 Network Architecture',
      '3 Training',
      '3.1 Data Augmentation',
      '4 Experiments',
      '5 Conclusion',
      'References',
    ]);
    const attention = headings('1706.03762');
    assert.equal(attention.length, 24);
    assert.deepEqual(attention.slice(0, 7), [
      'Abstract',
      '1 Introduction',
      '2 Background',
      '3 Model Architecture',
      '3.1 Encoder and Decoder Stacks',
      '3.2 Attention',
      '3.2.1 Scaled Dot-Product Attention',
    ]);
    const resnet = headings('1512.03385');
    assert.ok(resnet.includes('4.2. CIFAR-10 and Analysis') && resnet.includes('A. Object Detection Baselines'));
    assert.ok(headings('2106.09685').includes('3 AREN’T EXISTING SOLUTIONS GOOD ENOUGH?'));
    assert.ok(headings('2306.08302').includes('4.3 Comparison between KG-enhanced LLM Pre-training and Inference'));
  });

  it('joins words the layout broke and keeps no ligature characters', () => {
    for (const r of rows) {
      const p = r.parsed!;
      assert.doesNotMatch(`${p.title} ${p.abstract}`, /[\ufb00-\ufb06]/, r.record.arxiv_id);
    }
    // RETRO has no "Abstract" label and a paragraph of author names above its abstract.
    const retro = rows.find((r) => r.record.arxiv_id === '2112.04426')!.parsed!;
    assert.match(retro.abstract ?? '', /^We enhance auto-regressive language models by conditioning on document/);
    assert.equal(retro.authors[0], 'Sebastian Borgeaud');
    const gan = rows.find((r) => r.record.arxiv_id === '1406.2661')!.parsed!;
    assert.match(gan.abstract ?? '', /via an adversarial process/);
    assert.doesNotMatch(gan.abstract ?? '', /adversar- ial|adversar-ial/);
  });
});
