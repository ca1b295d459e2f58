/**
 * What gets embedded for a paper. The default model reads only its first 128 tokens
 * while an abstract runs to 230–300, so a paper is cut into windows of whole
 * sentences: the title opens the first window, the abstract's sentences follow, a
 * window closes before it would pass the token budget. The paper's vector is the
 * normalized mean of its windows' vectors.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { UseTokenizer } from './use-tokenizer.js';
import { sourceDir } from './default-model.js';
import path from 'node:path';

/** Bump when what is embedded changes, so stored vectors count as stale. */
export const RECIPE_VERSION = 1;
export const DEFAULT_MAX_TOKENS = 128;

export interface PaperText {
  title: string | null;
  abstract: string | null;
  /** Not embedded: the body's sections are left out until they are shown to help. */
  fullText?: string | null;
}

export interface WindowOptions {
  /** Tokens a window may hold (default 128, the default model's reach). */
  maxTokens?: number;
  /** The model's token count for a text (default: the default model's tokenizer). */
  countTokens?: (text: string) => number;
}

let defaultTokenizer: UseTokenizer | null = null;
function defaultCount(text: string): number {
  if (!defaultTokenizer) {
    const vocab = JSON.parse(fs.readFileSync(path.join(sourceDir(), 'vocab.json'), 'utf8')) as [string, number][];
    defaultTokenizer = new UseTokenizer(vocab);
  }

  return defaultTokenizer.encode(text).length;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
/** Characters handed to the segmenter at once (see `sentences`). */
const SEGMENT_CHUNK = 2000;

/**
 * Sentences of a text. V8 gives every segment its own copy of the whole input, so a long
 * text (a paper's body) would take memory quadratic in its length: it is cut first into
 * chunks of a few thousand characters at likely sentence ends, and each chunk segmented.
 */
function sentences(text: string): string[] {
  const pieces = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?]) /);
  const chunks: string[] = [];
  let chunk = '';
  for (const piece of pieces) {
    if (chunk && chunk.length + piece.length + 1 > SEGMENT_CHUNK) {
      chunks.push(chunk);
      chunk = piece;
    } else {
      chunk = chunk ? `${chunk} ${piece}` : piece;
    }
  }
  if (chunk) chunks.push(chunk);

  return chunks.flatMap((c) => [...segmenter.segment(c)].map((s) => s.segment.trim()).filter(Boolean));
}

/**
 * Splits a sentence too long for one window at word boundaries: each part is the longest
 * run of words within the budget (found by bisection; a word is at least one token).
 */
function splitLong(sentence: string, max: number, count: (t: string) => number): string[] {
  const words = sentence.split(' ');
  const parts: string[] = [];
  let at = 0;
  while (at < words.length) {
    let lo = 1;
    let hi = Math.min(words.length - at, max);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (count(words.slice(at, at + mid).join(' ')) <= max) lo = mid;
      else hi = mid - 1;
    }
    parts.push(words.slice(at, at + lo).join(' '));
    at += lo;
  }

  return parts;
}

/**
 * The texts to embed for one paper: sentence-aligned windows of title + abstract,
 * each within `maxTokens`. Empty when the paper has neither.
 */
export function paperWindows(p: PaperText, opts: WindowOptions = {}): string[] {
  const max = opts.maxTokens ?? DEFAULT_MAX_TOKENS;
  const count = opts.countTokens ?? defaultCount;
  const title = (p.title ?? '').replace(/\s+/g, ' ').trim();
  const units = [...(title ? [/[.!?]$/.test(title) ? title : `${title}.`] : []), ...sentences(p.abstract ?? '')];

  const windows: string[] = [];
  let current = '';
  for (const unit of units.flatMap((u) => (count(u) > max ? splitLong(u, max, count) : [u]))) {
    const joined = current ? `${current} ${unit}` : unit;
    if (current && count(joined) > max) {
      windows.push(current);
      current = unit;
    } else {
      current = joined;
    }
  }
  if (current) windows.push(current);

  return windows;
}

/** What identifies the embedded input: the recipe and its windows. */
export function windowsHash(windows: string[]): string {
  return crypto.createHash('sha256').update(`recipe ${RECIPE_VERSION}\n`).update(windows.join('\u0000')).digest('hex');
}

/** The normalized mean of unit vectors (a paper's vector from its windows'). */
export function meanUnit(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let k = 0; k < v.length; k++) out[k] += v[k];
  let sum = 0;
  for (const x of out) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let k = 0; k < out.length; k++) out[k] /= norm;

  return out;
}
