/**
 * Sentences of an abstract, and the one that states the paper's contribution. The first
 * sentence of an abstract usually sets the scene ("Large language models have…"), so the
 * outline's one-line summary prefers the sentence where the authors say what they did.
 */

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

// ICU breaks after every full stop followed by a space; these abbreviations do not end sentences.
const ABBREVIATION_END = /\b(?:e\.g|i\.e|et al|figs?|eqs?|vs|cf|secs?|no|resp|approx|viz)\.\s*$/i;

/** Splits text into sentences, keeping abbreviations, decimals and citations inside their sentence. */
export function splitSentences(text: string | null | undefined): string[] {
  if (!text) return [];
  const flat = text
    .replace(/-\s*\n\s*(?=[a-z])/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const out: string[] = [];
  for (const { segment } of segmenter.segment(flat)) {
    const s = segment.trim();
    if (!s) continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && (ABBREVIATION_END.test(prev) || /^[a-z0-9(),;:%]/.test(s))) {
      out[out.length - 1] = `${prev} ${s}`;
    } else {
      out.push(s);
    }
  }

  return out;
}

// What authors write when they state what they did, strongest first; a sentence scores by
// the strongest kind it contains, not by how many it piles up.
const PROPOSE = new RegExp(
  String.raw`\b(?:we|this (?:paper|work|article|study|survey)|here,? we|in this (?:paper|work),? we)\s+(?:\w+ly\s+)?` +
    String.raw`(?:propose|introduce|present|develop|design|describe|release|construct|build|formulate|offer)\w*`,
  'i',
);
const KINDS: { re: RegExp; score: number }[] = [
  { re: PROPOSE, score: 5 },
  {
    re: new RegExp(
      String.raw`\bwe\s+(?:\w+ly\s+)?` +
        String.raw`(?:show|demonstrate|find|study|investigate|explore|analy[sz]e|survey|review|examine|` +
        String.raw`provide|call|term|dub)\w*`,
      'i',
    ),
    score: 2.5,
  },
  { re: /\b(?:this (?:paper|work|article|survey|study|review)|in this (?:paper|work|survey))\b/i, score: 2 },
  { re: /\bwe\s+(?:\w+ly\s+)?(?:evaluate|compare|conduct|test|achieve|obtain|report)\w*/i, score: 1 },
];
const EXTRAS: { re: RegExp; score: number }[] = [
  {
    re: new RegExp(
      String.raw`\b(?:our|the proposed) ` +
        String.raw`(?:method|approach|model|framework|technique|system|dataset|benchmark|algorithm|` +
        String.raw`module|architecture)\b`,
      'i',
    ),
    score: 1,
  },
  { re: /\b(?:novel|new|first)\b/i, score: 0.75 },
  // Results and experiments are what the contribution achieves, not what it is.
  {
    re: /\b(?:experiments?|outperform\w*|state[- ]of[- ]the[- ]art|accuracy|baselines?)\b|\d+(?:\.\d+)?\s?%/i,
    score: -1,
  },
];

/** How strongly a sentence reads as a statement of the paper's own contribution. */
export function contributionScore(sentence: string, index: number): number {
  let score = Math.max(0, ...KINDS.filter((k) => k.re.test(sentence)).map((k) => k.score));
  for (const extra of EXTRAS) if (extra.re.test(sentence)) score += extra.score;
  const words = sentence.split(/\s+/).length;
  if (words < 6) score -= 2;
  if (words > 60) score -= 1;
  // The opening sentence is background unless it says "we propose…" outright.
  if (index === 0 && !PROPOSE.test(sentence)) score -= 2;

  return score;
}

/**
 * The sentence of an abstract that states the contribution: the best-scoring one, the
 * earliest on ties. Without any cue it falls back to the second sentence, then the first.
 */
export function contributionSentence(abstract: string | null | undefined): string | null {
  const sentences = splitSentences(abstract);
  if (sentences.length === 0) return null;
  let best = -1;
  let bestScore = 0;
  sentences.forEach((s, i) => {
    const score = contributionScore(s, i);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  if (best >= 0) return sentences[best]!;

  return sentences[Math.min(1, sentences.length - 1)]!;
}
