/**
 * The zero-shot direction classifier: a pure function of the papers' text, their stored
 * embeddings, the embedded direction descriptions and the user's corrections.
 *
 * Each paper's score for a direction adds three views: which of the direction's cue words its
 * title and abstract use, how densely its body text uses them, and how close its embedding
 * sits to the closest of the direction's prototypes (its embedded description sentences,
 * refined once by self-training on the library's confident papers, without labels).
 * Corrections teach it the way prompt learning does on a frozen encoder: each prototype moves
 * toward the papers the user put in that direction, and a regularised fit to the corrected
 * papers learns the views' weights, per-direction offsets, and what single cue words and being
 * cited by the library say; the others are scored again. Corrected papers keep the user's answer.
 *
 * Known limit: on the fixture papers five corrections per direction add no reliable gain to the
 * others (README, Research directions); the encoder places papers by topic, not by kind of work.
 */
import { createHash } from 'node:crypto';
import { knn } from '../graph/knn.js';
import { DIRECTION_IDS, type DirectionId } from './directions.js';
import { bodyScores, lexicalScores, type CueHit, type LexicalScores } from './lexical.js';

export interface PaperText {
  id: number;
  title: string | null;
  abstract: string | null;
  /** The start of the paper's full text, when the PDF was read (only its cue density is used). */
  body?: string | null;
}

export interface ClassifierOptions {
  /** Temperature of the lexical view: a cue score of this size is one unit of logit. */
  lexicalScale: number;
  /** Temperature of the body view (cue density in the full text); Infinity turns it off. */
  bodyScale: number;
  /** Temperature of the embedding view: this much cosine above the mean is one unit of logit. */
  embeddingScale: number;
  /** How many corrected examples weigh as much as the description prototype. */
  correctionPrior: number;
  /** Self-training rounds: prototypes move toward the library's own confident papers (no labels). */
  selfTrainingRounds: number;
  /** Weight of the library's confident papers against the description prototype in self-training. */
  selfTrainingWeight: number;
  /** How many confident papers weigh as much as the description prototype in self-training. */
  selfTrainingPrior: number;
  /** How firmly corrections may re-weight the views and shift the directions (0: not at all). */
  calibrationStrength: number;
  /**
   * `mean`: one prototype per direction, the mean of its description sentences; `each`: every
   * sentence (one per kind of work the direction holds) is a prototype, and the closest one counts.
   */
  prototypeMode: 'mean' | 'each';
  /** Nearest neighbours listed as evidence. */
  neighbours: number;
  /**
   * How firmly corrections may give paper-level features (single cue words, citations) a meaning:
   * each such weight touches only the papers that have the feature, so it may be looser.
   */
  featureStrength: number;
  /** Corrections may re-weight the three views (else only offsets and paper-level features are learned). */
  learnViews: boolean;
  /** Corrections may re-weight single cue words for each direction (not only the views as wholes). */
  learnCues: boolean;
  /** Corrections may learn how far being cited by the rest of the library speaks for each direction. */
  learnCitations: boolean;
}

export const DEFAULT_OPTIONS: ClassifierOptions = {
  lexicalScale: 6,
  bodyScale: 10,
  embeddingScale: 0.1,
  // Moving prototypes far toward five corrected papers mostly teaches topics (the encoder places
  // papers by topic, not by kind of contribution): a third of the way for five examples.
  correctionPrior: 10,
  selfTrainingRounds: 1,
  selfTrainingWeight: 0.8,
  selfTrainingPrior: 2,
  // Twenty corrections cannot pin down many free numbers: keep them close to neutral.
  calibrationStrength: 0.1,
  neighbours: 3,
  prototypeMode: 'each',
  featureStrength: 3,
  learnViews: true,
  learnCues: true,
  learnCitations: true,
};

export interface Neighbour {
  paperId: number;
  direction: DirectionId;
  similarity: number;
  /** True when the user put this neighbour in its direction. */
  corrected: boolean;
}

export interface Evidence {
  /** The cue phrases that spoke for the classifier's direction, strongest first. */
  cues: { phrase: string; where: 'title' | 'abstract' }[];
  /** Cosine similarity to each direction's prototype; absent without embeddings. */
  prototypeSimilarity?: Record<DirectionId, number>;
  /** The most similar papers and their directions, when embeddings exist. */
  neighbours: Neighbour[];
  /** Which views decided: `lexical`, `embedding`, or both. */
  views: ('lexical' | 'embedding')[];
}

export interface Classification {
  /** The direction in force: the user's correction if there is one, else the classifier's. */
  direction: DirectionId;
  confidence: number;
  /** The classifier's own answer, kept apart from any correction. */
  autoDirection: DirectionId;
  autoConfidence: number;
  probabilities: Record<DirectionId, number>;
  evidence: Evidence;
}

export interface ClassifierInput {
  papers: PaperText[];
  /** Unit-length paper embeddings by paper id (missing papers fall back to the lexical view). */
  vectors?: Map<number, Float32Array>;
  /** Unit-length embeddings of each direction's description sentences, same model as `vectors`. */
  descriptionVectors?: Map<DirectionId, Float32Array[]>;
  corrections?: Map<number, DirectionId>;
  options?: Partial<ClassifierOptions>;
  /** The cue-word views from `textViews(papers)`, when the caller classifies the same papers often. */
  textViews?: Map<number, TextView>;
  /**
   * How many papers of the library cite each paper (label-free structure). Zero-shot it is not
   * used; corrections can learn what it says (e.g. that the papers everyone builds on opened a direction).
   */
  citedBy?: Map<number, number>;
}

type Scores = Record<DirectionId, number>;

function zeros(): Scores {
  return { efficiency: 0, 'existing-models': 0, 'plug-and-play': 0, 'datasets-evaluation': 0 };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;

  return s;
}

function normalize(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v)) || 1;

  return v.map((x) => x / n);
}

function mean(vs: Float32Array[]): Float32Array {
  const out = new Float32Array(vs[0]!.length);
  for (const v of vs) for (let i = 0; i < v.length; i++) out[i]! += v[i]! / vs.length;

  return out;
}

/** `a·(1-t) + b·t`, renormalised: a prototype moved toward examples. */
function blend(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * (1 - t) + b[i]! * t;

  return normalize(out);
}

function softmax(logits: Scores): Scores {
  const max = Math.max(...DIRECTION_IDS.map((d) => logits[d]));
  const e = zeros();
  let sum = 0;
  for (const d of DIRECTION_IDS) sum += e[d] = Math.exp(logits[d] - max);
  for (const d of DIRECTION_IDS) e[d] /= sum;

  return e;
}

function argmax(s: Scores): DirectionId {
  return DIRECTION_IDS.reduce((best, d) => (s[d] > s[best] ? d : best), DIRECTION_IDS[0]);
}

/** A direction's prototypes: one vector (the mean of its descriptions) or one per description. */
type Prototypes = Map<DirectionId, Float32Array[]>;

/** Moves each prototype toward the mean of its examples, by how many examples there are. */
function movePrototypes(
  base: Prototypes,
  examples: Map<DirectionId, Float32Array[]>,
  prior: number,
  weight = 1,
): Prototypes {
  const out: Prototypes = new Map();
  for (const d of DIRECTION_IDS) {
    const ps = base.get(d)!;
    const ex = examples.get(d) ?? [];
    if (!ex.length) {
      out.set(d, ps);
      continue;
    }
    const target = normalize(mean(ex));
    const t = (weight * ex.length) / (ex.length + prior);
    out.set(d, ps.map((p) => blend(p, target, t)));
  }

  return out;
}

/** What each view says about one paper, as logits (before weighting). */
interface Views {
  lexical: Scores;
  body: Scores;
  embedding?: Scores;
  similarity?: Scores;
  /** Paper-level facts whose meaning only corrections can teach (cue scores, citations), scaled to ~[0, 1]. */
  features: number[];
}

/** The cue-word views of each paper, which do not change with corrections (computed once, reusable). */
export function textViews(papers: PaperText[]): Map<number, TextView> {
  if (textCache.size > TEXT_CACHE_LIMIT) textCache.clear();

  return new Map(
    papers.map((p) => {
      const key = createHash('sha1')
        .update(`${p.title ?? ''}\0${p.abstract ?? ''}\0${p.body ?? ''}`)
        .digest('base64');
      let view = textCache.get(key);
      if (!view) {
        const lexical = lexicalScores(p.title, p.abstract);
        view = { lexical, body: bodyScores(p.body, lexical.contexts) };
        textCache.set(key, view);
      }

      return [p.id, view];
    }),
  );
}

type TextView = { lexical: LexicalScores; body: Scores };

// The cue scan is most of a classification's time and its result depends only on the text, so
// a long-running process (the app, `surveyor serve`) re-scores after a correction without it.
const textCache = new Map<string, TextView>();
const TEXT_CACHE_LIMIT = 50_000;

/**
 * Per-view weights, per-direction offsets and per-direction weights of the paper-level features;
 * learned from corrections, neutral without them.
 */
interface Calibration {
  weights: [number, number, number];
  bias: Scores;
  /** features[j][d]: how much paper-level feature j speaks for direction d (absent: nothing). */
  features?: Scores[];
}

const NEUTRAL: Calibration = { weights: [1, 1, 1], bias: zeros() };

function combine(v: Views, c: Calibration): Scores {
  const logits = zeros();
  for (const d of DIRECTION_IDS) {
    logits[d] =
      c.weights[0] * v.lexical[d] + c.weights[1] * v.body[d] + c.weights[2] * (v.embedding?.[d] ?? 0) + c.bias[d];
  }
  if (c.features) {
    v.features.forEach((x, j) => {
      if (x !== 0) for (const d of DIRECTION_IDS) logits[d] += c.features![j]![d] * x;
    });
  }

  return logits;
}

/**
 * Fits the view weights and direction offsets to the corrected papers (regularised toward
 * neutral, so a handful of corrections nudges rather than overturns): if the user keeps
 * moving papers into one direction, the classifier learns to lean that way.
 */
function fitCalibration(
  examples: { views: Views; direction: DirectionId }[],
  strength: number,
  learnViews = true,
  featureStrength = strength,
): Calibration {
  const w: [number, number, number] = [1, 1, 1];
  const b = zeros();
  if (examples.length < 2 || strength <= 0) return NEUTRAL;
  const nf = examples[0]!.views.features.length;
  const f = Array.from({ length: nf }, zeros);
  const n = examples.length;
  const rate = 0.2;
  const decay = 2 / (strength * n);
  for (let step = 0; step < 300; step++) {
    const gw = [0, 0, 0];
    const gb = zeros();
    const gf = Array.from({ length: nf }, zeros);
    for (const { views, direction } of examples) {
      const p = softmax(combine(views, { weights: w, bias: b, features: f }));
      for (const d of DIRECTION_IDS) {
        const err = p[d] - (d === direction ? 1 : 0);
        gw[0] += (err * views.lexical[d]) / n;
        gw[1] += (err * views.body[d]) / n;
        gw[2] += (err * (views.embedding?.[d] ?? 0)) / n;
        gb[d] += err / n;
        views.features.forEach((x, j) => {
          if (x !== 0) gf[j]![d] += (err * x) / n;
        });
      }
    }
    // A gradient step on the data, then the pull toward neutral taken implicitly (proximal), which
    // stays stable however strong the pull is (few corrections, weak strength).
    const shrink = 1 / (1 + rate * decay);
    const shrinkFeature = 1 / (1 + (rate * 2) / (featureStrength * n));
    if (learnViews) for (let i = 0; i < 3; i++) w[i] = Math.max(0, 1 + (w[i]! - rate * gw[i]! - 1) * shrink);
    for (const d of DIRECTION_IDS) {
      b[d] = (b[d] - rate * gb[d]) * shrink;
      for (let j = 0; j < nf; j++) f[j]![d] = (f[j]![d] - rate * gf[j]![d]) * shrinkFeature;
    }
  }

  return { weights: w, bias: b, features: nf ? f : undefined };
}

/** Classifies every paper; corrected papers keep their corrected direction with confidence 1. */
export function classifyPapers(input: ClassifierInput): Map<number, Classification> {
  const opts = { ...DEFAULT_OPTIONS, ...input.options };
  const corrections = input.corrections ?? new Map<number, DirectionId>();
  const vectors = input.vectors ?? new Map<number, Float32Array>();
  const text = input.textViews ?? textViews(input.papers);
  const haveEmbeddings =
    !!input.descriptionVectors && DIRECTION_IDS.every((d) => input.descriptionVectors!.get(d)?.length);

  const base: Prototypes = new Map();
  if (haveEmbeddings) {
    for (const d of DIRECTION_IDS) {
      const described = input.descriptionVectors!.get(d)!;
      base.set(d, opts.prototypeMode === 'each' ? described : [normalize(mean(described))]);
    }
  }

  // Paper-level features, only when corrections can give them a meaning.
  const maxCited = Math.max(0, ...(input.citedBy?.values() ?? []));
  const featuresOf = (id: number): number[] => {
    if (corrections.size === 0) return [];
    const out: number[] = [];
    if (opts.learnCitations && maxCited > 0) out.push(Math.log1p(input.citedBy!.get(id) ?? 0) / Math.log1p(maxCited));
    if (opts.learnCues) for (const x of text.get(id)!.lexical.perCue) out.push(x / opts.lexicalScale);

    return out;
  };

  const viewsOf = (id: number, protos: Prototypes): Views => {
    const t = text.get(id)!;
    const views: Views = { lexical: zeros(), body: zeros(), features: featuresOf(id) };
    for (const d of DIRECTION_IDS) {
      views.lexical[d] = t.lexical.scores[d] / opts.lexicalScale;
      views.body[d] = t.body[d] / opts.bodyScale;
    }
    const v = vectors.get(id);
    if (haveEmbeddings && v) {
      const sims = zeros();
      for (const d of DIRECTION_IDS) sims[d] = Math.max(...protos.get(d)!.map((p) => dot(v, p)));
      const avg = DIRECTION_IDS.reduce((s, d) => s + sims[d], 0) / DIRECTION_IDS.length;
      views.embedding = zeros();
      for (const d of DIRECTION_IDS) views.embedding[d] = (sims[d] - avg) / opts.embeddingScale;
      views.similarity = sims;
    }

    return views;
  };

  // Self-training, label-free: the library's own confident papers refine the description
  // prototypes, which helps when abstracts and descriptions sit in different corners of the space.
  let zeroShot = base;
  for (let round = 0; haveEmbeddings && round < opts.selfTrainingRounds; round++) {
    const confident = new Map<DirectionId, Float32Array[]>();
    for (const p of input.papers) {
      const v = vectors.get(p.id);
      if (!v) continue;
      const pr = softmax(combine(viewsOf(p.id, zeroShot), NEUTRAL));
      const d = argmax(pr);
      if (pr[d] >= 0.6) confident.set(d, [...(confident.get(d) ?? []), v]);
    }
    zeroShot = movePrototypes(base, confident, opts.selfTrainingPrior, opts.selfTrainingWeight);
  }

  // Corrections: each prototype moves toward the papers the user put in its direction.
  const examples = examplesOf(corrections, vectors);
  const prototypes = haveEmbeddings ? movePrototypes(zeroShot, examples, opts.correctionPrior) : base;

  // A corrected paper is scored against prototypes built without it, so the calibration
  // learns how far the views generalise, not how well a prototype recalls its own example.
  const training = [...corrections]
    .filter(([id]) => text.has(id))
    .map(([id, direction]) => {
      const own = vectors.get(id);
      const without = new Map(examples);
      if (own)
        without.set(
          direction,
          (examples.get(direction) ?? []).filter((v) => v !== own),
        );
      const protos = haveEmbeddings ? movePrototypes(zeroShot, without, opts.correctionPrior) : base;

      return { views: viewsOf(id, protos), direction };
    });
  const calibration = fitCalibration(training, opts.calibrationStrength, opts.learnViews, opts.featureStrength);

  const views = new Map(input.papers.map((p) => [p.id, viewsOf(p.id, prototypes)]));
  const probs = new Map([...views].map(([id, v]) => [id, softmax(combine(v, calibration))]));

  const out = new Map<number, Classification>();
  for (const p of input.papers) {
    const pr = probs.get(p.id)!;
    const v = views.get(p.id)!;
    const corrected = corrections.get(p.id);
    const auto = argmax(pr);
    const direction = corrected ?? auto;
    out.set(p.id, {
      direction,
      confidence: corrected ? 1 : pr[direction],
      autoDirection: auto,
      autoConfidence: pr[auto],
      probabilities: pr,
      evidence: {
        cues: cueEvidence(text.get(p.id)!.lexical.hits, auto),
        prototypeSimilarity: v.similarity ? roundScores(v.similarity) : undefined,
        neighbours: [],
        views: v.similarity ? ['lexical', 'embedding'] : ['lexical'],
      },
    });
  }
  if (vectors.size) addNeighbours(out, vectors, corrections, opts.neighbours);

  return out;
}

function examplesOf(
  corrections: Map<number, DirectionId>,
  vectors: Map<number, Float32Array>,
): Map<DirectionId, Float32Array[]> {
  const out = new Map<DirectionId, Float32Array[]>();
  for (const [id, d] of corrections) {
    const v = vectors.get(id);
    if (v) out.set(d, [...(out.get(d) ?? []), v]);
  }

  return out;
}

function cueEvidence(hits: CueHit[], direction: DirectionId): Evidence['cues'] {
  const seen = new Set<string>();
  const out: Evidence['cues'] = [];
  for (const h of hits) {
    if (h.direction !== direction || seen.has(h.phrase)) continue;
    seen.add(h.phrase);
    out.push({ phrase: h.phrase, where: h.where });
    if (out.length === 5) break;
  }

  return out;
}

function roundScores(s: Scores): Scores {
  const out = zeros();
  for (const d of DIRECTION_IDS) out[d] = Math.round(s[d] * 1000) / 1000;

  return out;
}

let neighbourCache: { key: string; near: ReturnType<typeof knn> } | null = null;

/**
 * Lists each paper's most similar papers with the direction each ended up in. The graph's kNN
 * does the search: all pairs for small libraries, an HNSW index above a few thousand papers
 * (all pairs with a sort per paper took most of a 10,000-paper classification).
 */
function addNeighbours(
  out: Map<number, Classification>,
  vectors: Map<number, Float32Array>,
  corrections: Map<number, DirectionId>,
  k: number,
): void {
  const ids = [...out.keys()].filter((id) => vectors.has(id));
  if (ids.length < 2 || k <= 0) return;
  const dims = vectors.get(ids[0]!)!.length;
  const matrix = new Float32Array(ids.length * dims);
  ids.forEach((id, i) => matrix.set(vectors.get(id)!, i * dims));
  // The neighbours depend only on the vectors, not on corrections: a long-running process (the
  // app) re-scoring after each correction reuses the last search (hashing is ~100x cheaper).
  const key = `${k}:${createHash('sha1').update(new Uint8Array(matrix.buffer)).digest('base64')}`;
  const near = neighbourCache?.key === key ? neighbourCache.near : knn(matrix, ids.length, dims, k);
  neighbourCache = { key, near };
  ids.forEach((id, i) => {
    out.get(id)!.evidence.neighbours = near[i]!.map((n) => {
      const other = ids[n.index]!;

      return {
        paperId: other,
        direction: out.get(other)!.direction,
        similarity: Math.round(n.similarity * 1000) / 1000,
        corrected: corrections.has(other),
      };
    });
  });
}
