/**
 * Matching parsed references to the papers of the library: by arXiv id, by
 * DOI, then by title. Precision comes first (a wrong edge misleads more than a
 * missing one), so a title must appear whole, set off by punctuation, and no
 * identifier in the reference may contradict it.
 */
import { arxivIdsIn, cleanArxivId, doisIn, stripLatex } from './text.js';

export interface LibraryPaper {
  id: number;
  title: string | null;
  year: number | null;
  arxivId: string | null;
  doi: string | null;
}

export interface ReferenceRow {
  id: number;
  paperId: number;
  raw: string;
  title: string | null;
  year: number | null;
  arxivId: string | null;
  doi: string | null;
}

export type MatchMethod = 'arxiv' | 'doi' | 'title';

export interface RefMatch {
  refId: number;
  citingId: number;
  citedId: number;
  method: MatchMethod;
}

/** Titles shorter than this (squashed) are matched only against a parsed title, never found inside raw text. */
const MIN_SCAN_CHARS = 8;
/** Titles shorter than this ("Fast R-CNN", "Deep learning") are common phrases: the years must agree too. */
const SHORT_TITLE_CHARS = 20;
/** A title cut short with an ellipsis must still keep this many characters to count. */
const MIN_TRUNCATED_CHARS = 25;
const KEY = 8;

interface Token {
  word: string | null;
  punct: string | null;
}

/** Words (normalized) and punctuation marks in order; whitespace dropped. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of stripLatex(text)
    .normalize('NFKC')
    .matchAll(/[\p{L}\p{N}\p{M}]+|…|\.\.\.|[^\s\p{L}\p{N}\p{M}]/gu)) {
    const s = m[0];
    if (/^[\p{L}\p{N}\p{M}]+$/u.test(s)) {
      out.push({
        word: s
          .normalize('NFKD')
          .replace(/\p{M}+/gu, '')
          .toLowerCase()
          .replace(/ß/g, 'ss'),
        punct: null,
      });
    } else {
      out.push({ word: null, punct: s === '...' ? '…' : s });
    }
  }

  return out;
}

function squashTokens(tokens: Token[]): string {
  return tokens.map((t) => t.word ?? '').join('');
}

const TERMINATOR = /^[.,?!:;"“”'’‘«»()[\]/…]$/u;

interface Indexed {
  paper: LibraryPaper;
  squashed: string;
}

/** Looks up library papers by arXiv id, DOI and title, and finds which one a reference names. */
export class ReferenceMatcher {
  private byArxiv = new Map<string, LibraryPaper>();
  private byDoi = new Map<string, LibraryPaper>();
  private byTitle = new Map<string, Indexed[]>();
  private byKey = new Map<string, Indexed[]>();

  constructor(papers: LibraryPaper[]) {
    for (const p of papers) {
      if (p.arxivId) this.byArxiv.set(cleanArxivId(p.arxivId), p);
      if (p.doi) this.byDoi.set(p.doi.toLowerCase(), p);
      if (!p.title) continue;
      const variants = [p.title];
      // "BERT: Pre-training of …" is sometimes cited without the name before the colon.
      const colon = p.title.indexOf(': ');
      if (colon > 0) variants.push(p.title.slice(colon + 2));
      variants.forEach((v, i) => {
        const squashed = squashTokens(tokenize(v));
        if (squashed.length < (i === 0 ? 4 : 30)) return;
        const entry = { paper: p, squashed };
        push(this.byTitle, squashed, entry);
        if (squashed.length >= MIN_SCAN_CHARS) push(this.byKey, squashed.slice(0, KEY), entry);
      });
    }
  }

  /** The library paper a reference names, or null. Never the citing paper itself. */
  match(ref: ReferenceRow): { paper: LibraryPaper; method: MatchMethod } | null {
    const arxivIds = new Set<string>(arxivIdsIn(ref.raw));
    if (ref.arxivId) arxivIds.add(cleanArxivId(ref.arxivId));
    for (const id of arxivIds) {
      const p = this.byArxiv.get(id);
      if (p && p.id !== ref.paperId) return { paper: p, method: 'arxiv' };
    }

    const dois = new Set<string>(doisIn(ref.raw));
    if (ref.doi) dois.add(ref.doi.toLowerCase());
    for (const d of dois) {
      const p = this.byDoi.get(d);
      if (p && p.id !== ref.paperId) return { paper: p, method: 'doi' };
    }

    const found = this.byParsedTitle(ref) ?? this.scanRaw(ref);
    if (!found || found.id === ref.paperId) return null;

    // An arXiv id in the reference that belongs to another paper contradicts the title.
    if (found.arxivId && arxivIds.size > 0 && !arxivIds.has(cleanArxivId(found.arxivId))) return null;
    // A paper cannot be cited before it existed (one year of slack for preprint vs. venue years).
    const year = ref.year ?? yearIn(ref.raw);
    if (year !== null && found.year !== null && year < found.year - 1) return null;
    // A short title is often a phrase other works use too: demand a year that fits the paper.
    if (squashTokens(tokenize(found.title ?? '')).length < SHORT_TITLE_CHARS) {
      if (year === null || found.year === null || year > found.year + 2) return null;
    }

    return { paper: found, method: 'title' };
  }

  private byParsedTitle(ref: ReferenceRow): LibraryPaper | null {
    if (!ref.title) return null;
    const squashed = squashTokens(tokenize(ref.title));
    const hits = this.byTitle.get(squashed);

    return hits
      ? unique(
          hits.map((h) => h.paper),
          ref.paperId,
        )
      : null;
  }

  /** Finds a library title inside the raw reference, set off by punctuation on both sides. */
  private scanRaw(ref: ReferenceRow): LibraryPaper | null {
    const tokens = tokenize(ref.raw);
    const best: Indexed[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].word === null || !startsTitle(tokens, i)) continue;
      let key = '';
      for (let j = i; j < tokens.length && key.length < KEY; j++) key += tokens[j].word ?? '';
      const candidates = this.byKey.get(key.slice(0, KEY));
      if (!candidates) continue;
      for (const c of candidates) if (titleAt(tokens, i, c.squashed)) best.push(c);
    }
    if (best.length === 0) return null;

    // The longest title found is the most specific; two different papers of that length are a tie, so no match.
    const longest = Math.max(...best.map((b) => b.squashed.length));

    return unique(
      best.filter((b) => b.squashed.length === longest).map((b) => b.paper),
      ref.paperId,
    );
  }
}

/** The last plausible publication year in a raw reference ("… In CVPR, 2016. 1, 2"). */
function yearIn(raw: string): number | null {
  const years = [...raw.matchAll(/(?<![\d.])(19[5-9]\d|20[0-4]\d)(?![\d])/g)].map((m) => Number(m[1]));

  return years.length ? years[years.length - 1] : null;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unique(papers: LibraryPaper[], citing: number): LibraryPaper | null {
  const ids = new Set(papers.filter((p) => p.id !== citing).map((p) => p.id));
  if (ids.size !== 1) return null;
  const [id] = ids;

  return papers.find((p) => p.id === id)!;
}

/** A title starts at the beginning of the reference, after punctuation, or after a year ("2017 Attention…"). */
function startsTitle(tokens: Token[], i: number): boolean {
  if (i === 0) return true;
  const prev = tokens[i - 1];
  if (prev.punct !== null) return prev.punct !== '-';

  return /^(1[89]|20)\d\d[a-z]?$/.test(prev.word ?? '');
}

/**
 * True when the words from token i spell `squashed` exactly and the next token
 * ends the title (punctuation or the end), or when at least MIN_TRUNCATED_CHARS
 * of it are followed by an ellipsis (a title cut short by the citing paper).
 */
function titleAt(tokens: Token[], i: number, squashed: string): boolean {
  let pos = 0;
  let j = i;
  while (j < tokens.length && pos < squashed.length) {
    const t = tokens[j];
    if (t.word === null) {
      if (t.punct === '…') return pos >= MIN_TRUNCATED_CHARS;
      j++;
      continue;
    }
    if (!squashed.startsWith(t.word, pos)) {
      // A word broken across a line end arrives as two tokens; anything else is a mismatch.
      return false;
    }
    pos += t.word.length;
    j++;
  }
  if (pos !== squashed.length) return false;
  const next = tokens[j];

  return next === undefined || (next.punct !== null && TERMINATOR.test(next.punct));
}

/** Every reference of the library matched against its papers. */
export function matchReferences(papers: LibraryPaper[], refs: ReferenceRow[]): RefMatch[] {
  const matcher = new ReferenceMatcher(papers);
  const out: RefMatch[] = [];
  for (const r of refs) {
    const m = matcher.match(r);
    if (m) out.push({ refId: r.id, citingId: r.paperId, citedId: m.paper.id, method: m.method });
  }

  return out;
}
