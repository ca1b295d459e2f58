/**
 * Lexical cues: which direction's vocabulary a paper's title and abstract use, and where.
 * A cue in the title or in the sentence that states the contribution counts more than one
 * in the background sentence that opens most abstracts.
 */
import { DIRECTIONS, type DirectionId } from './directions.js';
import { contributionScore, splitSentences } from './sentences.js';

/** One cue found in a paper, as it appears there. */
export interface CueHit {
  direction: DirectionId;
  phrase: string;
  /** Where it was found: the title or the abstract. */
  where: 'title' | 'abstract';
  score: number;
}

export interface LexicalScores {
  scores: Record<DirectionId, number>;
  hits: CueHit[];
}

interface Segment {
  text: string;
  where: 'title' | 'abstract';
  weight: number;
}

const TITLE_WEIGHT = 2;
const CONTRIBUTION_WEIGHT = 1.5;
const BODY_WEIGHT = 1;
const BACKGROUND_WEIGHT = 0.5;

const COMPILED = DIRECTIONS.map((d) => ({
  id: d.id,
  cues: d.cues.map((c) => {
    const source = Array.isArray(c.pattern) ? c.pattern.join('|') : c.pattern;

    return { re: new RegExp(`\\b(?:${source})\\b`, 'gi'), weight: c.weight };
  }),
}));

function segments(title: string | null, abstract: string | null): Segment[] {
  const out: Segment[] = [];
  if (title) out.push({ text: title, where: 'title', weight: TITLE_WEIGHT });
  splitSentences(abstract).forEach((s, i) => {
    const c = contributionScore(s, i);
    const weight = c >= 2 ? CONTRIBUTION_WEIGHT : i === 0 ? BACKGROUND_WEIGHT : BODY_WEIGHT;
    out.push({ text: s, where: 'abstract', weight });
  });

  return out;
}

/**
 * Scores each direction by the cues found: a cue counts once at the weight of the best place
 * it was found, plus a little for each further occurrence (capped), so one repeated word
 * cannot outvote several different ones.
 */
export function lexicalScores(title: string | null, abstract: string | null): LexicalScores {
  const segs = segments(title, abstract);
  const scores = { efficiency: 0, 'existing-models': 0, 'plug-and-play': 0, 'datasets-evaluation': 0 } as Record<
    DirectionId,
    number
  >;
  const hits: CueHit[] = [];
  for (const d of COMPILED) {
    for (const cue of d.cues) {
      let best: { seg: Segment; phrase: string } | null = null;
      let count = 0;
      for (const seg of segs) {
        for (const m of seg.text.matchAll(cue.re)) {
          count++;
          if (!best || seg.weight > best.seg.weight) best = { seg, phrase: m[0] };
        }
      }
      if (!best) continue;
      const score = cue.weight * best.seg.weight * (1 + 0.25 * Math.min(count - 1, 2));
      scores[d.id] += score;
      hits.push({ direction: d.id, phrase: best.phrase.toLowerCase(), where: best.seg.where, score });
    }
  }
  hits.sort((a, b) => b.score - a.score);

  return { scores, hits };
}

/** Where a paper's body stops being its own words: the bibliography. */
const REFERENCES_HEADING = /\n\s*(?:\d+\.?\s*)?(?:references|bibliography|literature cited)\s*\n/i;

/**
 * Scores each direction by how densely the body text (introduction onward, bibliography cut
 * off) uses its cues: log-scaled occurrences per 5,000 words, so a long paper does not win
 * by length and a word used 40 times does not count 40 times as much as one used once.
 */
export function bodyScores(body: string | null | undefined): Record<DirectionId, number> {
  const scores = { efficiency: 0, 'existing-models': 0, 'plug-and-play': 0, 'datasets-evaluation': 0 } as Record<
    DirectionId,
    number
  >;
  if (!body) return scores;
  const cut = body.search(REFERENCES_HEADING);
  const text = cut > 0 ? body.slice(0, cut) : body;
  const words = text.split(/\s+/).length || 1;
  for (const d of COMPILED) {
    for (const cue of d.cues) {
      let n = 0;
      for (const _ of text.matchAll(cue.re)) n++;
      scores[d.id] += cue.weight * Math.log1p((n * 5000) / words);
    }
  }

  return scores;
}
