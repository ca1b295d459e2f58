/**
 * Lexical cues: which direction's vocabulary a paper's title and abstract use, and where.
 * A cue in the title or in the sentence that states the contribution counts more than one
 * in the background sentence that opens most abstracts.
 */
import { CONTEXTS, DIRECTIONS, type ContextId, type Cue, type DirectionId } from './directions.js';
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
  /** The contexts the title and abstract show (they change what some cues mean, in the body too). */
  contexts: ContextId[];
  /** Each cue's score in this paper, in the order of `CUE_LIST` (what corrections can re-weight). */
  perCue: Float32Array;
}

interface Segment {
  start: number;
  end: number;
  where: 'title' | 'abstract';
  weight: number;
}

const TITLE_WEIGHT = 2;
const CONTRIBUTION_WEIGHT = 1.5;
const BODY_WEIGHT = 1;
const BACKGROUND_WEIGHT = 0.5;

function compile(pattern: string | readonly string[]): RegExp {
  const source = typeof pattern === 'string' ? pattern : pattern.join('|');

  return new RegExp(`\\b(?:${source})\\b`, 'gi');
}

interface CompiledCue {
  re: RegExp;
  weight: number;
  redirect?: Cue['redirect'];
  damp?: Cue['damp'];
}

const COMPILED: { id: DirectionId; cues: CompiledCue[] }[] = DIRECTIONS.map((d) => ({
  id: d.id,
  cues: d.cues.map((c) => ({ re: compile(c.pattern), weight: c.weight, redirect: c.redirect, damp: c.damp })),
}));

/** Every cue of every direction, in one fixed order. */
export const CUE_LIST: { direction: DirectionId; index: number }[] = COMPILED.flatMap((d) =>
  d.cues.map((_, index) => ({ direction: d.id, index })),
);

const CONTEXT_RES = (Object.keys(CONTEXTS) as ContextId[]).map((id) => ({ id, re: compile(CONTEXTS[id]) }));

function contextsOf(text: string): Set<ContextId> {
  const out = new Set<ContextId>();
  for (const c of CONTEXT_RES) {
    c.re.lastIndex = 0;
    if (c.re.test(text)) out.add(c.id);
  }

  return out;
}

/** The direction a cue speaks for in a paper with these contexts (null: none), and at what factor. */
function resolve(own: DirectionId, cue: CompiledCue, contexts: Set<ContextId>): [DirectionId | null, number] {
  const factor = cue.damp && !contexts.has(cue.damp.unless) ? cue.damp.factor : 1;
  if (cue.redirect && contexts.has(cue.redirect.when)) return [cue.redirect.to, factor];

  return [own, factor];
}

function zeros(): Record<DirectionId, number> {
  return { efficiency: 0, 'existing-models': 0, 'plug-and-play': 0, 'datasets-evaluation': 0 };
}

/**
 * The title and the abstract's sentences as one text (each cue is searched once, not once per
 * sentence), with where each part starts and how much a cue found there counts.
 */
function segments(title: string | null, abstract: string | null): { text: string; segs: Segment[] } {
  const segs: Segment[] = [];
  let text = '';
  const add = (s: string, where: Segment['where'], weight: number) => {
    segs.push({ start: text.length, end: text.length + s.length, where, weight });
    text += `${s}\n`;
  };
  if (title) add(title, 'title', TITLE_WEIGHT);
  splitSentences(abstract).forEach((s, i) => {
    const c = contributionScore(s, i);
    add(s, 'abstract', c >= 2 ? CONTRIBUTION_WEIGHT : i === 0 ? BACKGROUND_WEIGHT : BODY_WEIGHT);
  });

  return { text, segs };
}

function segmentAt(segs: Segment[], offset: number): Segment {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }

  return segs[lo]!;
}

/**
 * Scores each direction by the cues found: a cue counts once at the weight of the best place
 * it was found, plus a little for each further occurrence (capped), so one repeated word
 * cannot outvote several different ones.
 */
export function lexicalScores(title: string | null, abstract: string | null): LexicalScores {
  const { text, segs } = segments(title, abstract);
  const contexts = contextsOf(text);
  const scores = zeros();
  const hits: CueHit[] = [];
  const perCue = new Float32Array(CUE_LIST.length);
  if (segs.length === 0) return { scores, hits, contexts: [], perCue };
  let k = -1;
  for (const d of COMPILED) {
    for (const cue of d.cues) {
      k++;
      let best: { seg: Segment; phrase: string } | null = null;
      let count = 0;
      for (const m of text.matchAll(cue.re)) {
        count++;
        const seg = segmentAt(segs, m.index);
        if (!best || seg.weight > best.seg.weight) best = { seg, phrase: m[0] };
      }
      if (!best) continue;
      const [direction, factor] = resolve(d.id, cue, contexts);
      if (!direction) continue;
      const score = factor * cue.weight * best.seg.weight * (1 + 0.25 * Math.min(count - 1, 2));
      perCue[k] = score;
      scores[direction] += score;
      hits.push({ direction, phrase: best.phrase.toLowerCase(), where: best.seg.where, score });
    }
  }
  hits.sort((a, b) => b.score - a.score);

  return { scores, hits, contexts: [...contexts], perCue };
}

/** Where a paper's body stops being its own words: the bibliography. */
const REFERENCES_HEADING = /\n\s*(?:\d+\.?\s*)?(?:references|bibliography|literature cited)\s*\n/i;

/**
 * Scores each direction by how densely the body text (introduction onward, bibliography cut
 * off) uses its cues, read in the contexts the title and abstract showed: log-scaled occurrences
 * per 5,000 words, so a long paper does not win by length and a word used 40 times does not
 * count 40 times as much as one used once.
 */
export function bodyScores(
  body: string | null | undefined,
  contexts: readonly ContextId[] = [],
): Record<DirectionId, number> {
  const scores = zeros();
  if (!body) return scores;
  const has = new Set(contexts);
  const cut = body.search(REFERENCES_HEADING);
  const text = cut > 0 ? body.slice(0, cut) : body;
  const words = text.split(/\s+/).length || 1;
  for (const d of COMPILED) {
    for (const cue of d.cues) {
      const [direction, factor] = resolve(d.id, cue, has);
      if (!direction) continue;
      let n = 0;
      for (const _ of text.matchAll(cue.re)) n++;
      scores[direction] += factor * cue.weight * Math.log1p((n * 5000) / words);
    }
  }

  return scores;
}
