/**
 * The converted default model against the TensorFlow.js original it came from:
 * same token ids, same vectors (max abs difference ≤ 1e-5) on texts from one word
 * to several abstracts, in several scripts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadEncoder, type ModelEncoder } from '../models/encoder.js';
import { fixtureAbstracts, loadTfjsUse, parityTexts, type TfjsUse } from './models-support.js';

describe('converted USE-lite matches the TensorFlow.js original', () => {
  let encoder: ModelEncoder;
  let original: TfjsUse;
  const texts = parityTexts();

  before(async () => {
    encoder = await loadEncoder({ device: 'cpu' });
    original = await loadTfjsUse();
  });
  after(async () => {
    await encoder.close();
    original.dispose();
  });

  it('has at least 50 texts, short to far past 128 tokens, in several scripts', () => {
    assert.ok(texts.length >= 50, `${texts.length} texts`);
    const lengths = texts.map((t) => original.tokenize(t).length);
    assert.ok(
      Math.min(...lengths) <= 3 && Math.max(...lengths) > 400,
      `token counts ${Math.min(...lengths)}..${Math.max(...lengths)}`,
    );
    assert.ok(texts.some((t) => /\p{Script=Han}/u.test(t)) && texts.some((t) => /\p{Script=Cyrillic}/u.test(t)));
  });

  it('tokenizes exactly like the original on the parity texts and 300 fixture abstracts', () => {
    const more = fixtureAbstracts(300).flatMap((a) => [a.title, a.abstract]);
    for (const t of [...texts, ...more]) {
      // The model reads 128 tokens; the encoder cuts there, so compare that much.
      assert.deepEqual(encoder.tokenize(t), original.tokenize(t).slice(0, encoder.maxTokens), t.slice(0, 80));
    }
  });

  it('gives the same vectors within 1e-5, every one of unit length', async (t) => {
    const ours = await encoder.embed(texts);
    // The pure-JS original costs time per padded token: run it in groups of similar length.
    const order = texts
      .map((_, i) => i)
      .sort((a, b) => original.tokenize(texts[a]).length - original.tokenize(texts[b]).length);
    const theirs: number[][] = new Array(texts.length);
    for (let at = 0; at < order.length; at += 8) {
      const group = order.slice(at, at + 8);
      const rows = await original.embed(group.map((i) => texts[i]));
      group.forEach((i, j) => (theirs[i] = rows[j]));
    }
    assert.equal(theirs.length, texts.length);
    let worst = 0;
    ours.forEach((v, i) => {
      assert.equal(v.length, 512);
      for (let k = 0; k < 512; k++) worst = Math.max(worst, Math.abs(v[k] - theirs[i][k]));
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      assert.ok(Math.abs(norm - 1) < 1e-5, `norm ${norm}`);
    });
    t.diagnostic(`max abs difference over ${texts.length} texts: ${worst.toExponential(2)}`);
    assert.ok(worst <= 1e-5, `max abs difference ${worst}`);
  });
});
