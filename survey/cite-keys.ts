/**
 * Citation keys: readable (first author's family name, year, first word of the title, as in
 * `vaswani2017attention`), unique (a second paper with the same key gets `b`, a third `c`…),
 * and stable: assigned in order of paper id, so adding papers never changes an earlier key.
 *
 * Keys are derived, not stored: correcting a paper's first author, year or title changes its key.
 */
import { asciiFold } from './latex-text.js';

export interface KeyedPaper {
  id: number;
  title: string | null;
  authors: string[];
  year: number | null;
  arxivId: string | null;
}

// Words a key skips at the start of a title, as most reference managers do.
const SKIP = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'at', 'by', 'from', 'with', 'via']);

const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'da',
  'di',
  'du',
  'la',
  'le',
  'dos',
  'das',
  'ter',
  'ten',
  'bin',
  'al',
]);

/** Splits a name as PDFs print it ("Ashish Vaswani", "Vaswani, Ashish", "Ludwig van Beethoven"). */
export function splitName(name: string): { given: string; family: string } {
  const clean = name
    .replace(/[\d*†‡§¶∗]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.includes(',')) {
    const [family, given] = clean.split(',', 2).map((s) => s.trim());
    return { given: given ?? '', family: family ?? '' };
  }
  const parts = clean.split(' ');
  if (parts.length === 1) return { given: '', family: parts[0]! };
  let start = parts.length - 1;
  while (start > 1 && PARTICLES.has(parts[start - 1]!.toLowerCase())) start--;

  return { given: parts.slice(0, start).join(' '), family: parts.slice(start).join(' ') };
}

const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'from',
  'in',
  'into',
  'of',
  'on',
  'or',
  'the',
  'to',
  'via',
  'with',
]);

/**
 * How a text spells its words, by lower-case form: a form with a capital after the first letter
 * (LoRA, GPUs, SAM) wins over a plain one; a word seen only in lower case maps to itself.
 */
function spellingsIn(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [w] of text.matchAll(/[\p{L}][\p{L}']*/gu)) {
    const lower = w.toLowerCase();
    const inner = /\p{Lu}/u.test(w.slice(1));
    if (inner) out.set(lower, w);
    else if (!out.has(lower) && w === lower) out.set(lower, lower);
  }

  return out;
}

/**
 * A title fit to print. Titles set in small capitals come out of the PDF in capitals
 * ("DEEP COMPRESSION: COMPRESSING…"); those are turned into title case. A word the paper's own
 * text (`context`, e.g. its abstract) spells with inner capitals keeps that spelling (LoRA,
 * ZeRO, ImageNet); a short word stays in capitals as a likely acronym (LLM, SAM) unless the text
 * writes it as a plain word ("IS" → "Is"). Other titles are left exactly as they are.
 */
export function displayTitle(title: string, context?: string | null): string {
  const letters = title.replace(/[^\p{L}]/gu, '');
  const upper = title.replace(/[^\p{Lu}]/gu, '');
  if (letters.length < 12 || upper.length / letters.length < 0.7) return title;
  const spelled = spellingsIn(context ?? '');
  let first = true;

  return title.replace(/([\p{L}][\p{L}']*)|([:.?!])/gu, (w, word: string | undefined, stop: string | undefined, at: number) => {
    if (stop) {
      first = true;
      return w;
    }
    const lower = word!.toLowerCase();
    const hyphenated = title[at - 1] === '-' || title[at + w.length] === '-';
    const known = spelled.get(lower);
    let out = lower[0]!.toUpperCase() + lower.slice(1);
    if (known && known !== lower) out = known;
    else if (w.length <= 3 && !SMALL_WORDS.has(lower) && !hyphenated && !known) out = w;
    else if (!first && SMALL_WORDS.has(lower)) out = lower;
    first = false;

    return out;
  });
}

/** The year a paper came out: its own, else the one in a new-style arXiv id (1706.03762 → 2017). */
export function paperYear(p: { year: number | null; arxivId: string | null }): number | null {
  if (p.year) return p.year;
  const m = p.arxivId?.match(/^(\d{2})(\d{2})\.\d{4,5}$/) ?? p.arxivId?.match(/\/(\d{2})(\d{2})\d{3}$/);
  if (!m) return null;
  const yy = Number(m[1]);

  return yy >= 91 ? 1900 + yy : 2000 + yy;
}

export function baseKey(p: KeyedPaper): string {
  const first = p.authors[0] ? asciiFold(splitName(p.authors[0]).family).toLowerCase() : '';
  const year = paperYear(p);
  const words = (p.title ?? '')
    .split(/[\s\-–—:]+/)
    .map((w) => asciiFold(w).toLowerCase())
    .filter(Boolean);
  const word = words.find((w) => !SKIP.has(w) && /[a-z]/.test(w)) ?? words[0] ?? 'untitled';

  return `${first || 'anon'}${year ?? 'nd'}${word}`;
}

/** A key for every paper, unique across them. */
export function citeKeys(papers: KeyedPaper[]): Map<number, string> {
  const used = new Set<string>();
  const out = new Map<number, string>();
  for (const p of [...papers].sort((a, b) => a.id - b.id)) {
    const base = baseKey(p);
    let key = base;
    for (let i = 1; used.has(key); i++) key = base + suffix(i);
    used.add(key);
    out.set(p.id, key);
  }

  return out;
}

/** 1 → b, 2 → c, … 25 → z, 26 → ba: a second paper with one key is "b", as in author-year styles. */
function suffix(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);

  return s;
}
