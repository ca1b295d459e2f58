/**
 * The reference list: found by its heading, cut off at the appendices, split into entries by
 * their labels ("[12]", "12."), their hanging indent or the wider gap between entries, and
 * parsed into title, authors, year, arXiv id and DOI. Titles matter most: citations are matched
 * to library papers by title, arXiv id and DOI.
 */
import type { ReferenceRecord } from '../db/papers.js';
import { collapseSpaces, joinLines, normalizeChars } from './extract-text.js';
import { endsReferences, isCaption, isReferencesHeading } from './extract-sections.js';
import { median, type Line } from './layout.js';

export interface PageBox {
  width: number;
  height: number;
}

/** The lines of the reference section (page furniture removed), or [] when there is none. */
export function referenceSectionLines(
  lines: readonly Line[],
  body: { size: number; font: string },
  furniture: ReadonlySet<string> = new Set(),
): Line[] {
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].text.length < 40 && isReferencesHeading(lines[i].text)) starts.push(i);
  }
  for (const s of starts) {
    const out: Line[] = [];
    let refSize = 0;
    let footnote: { page: number; y: number } | null = null;
    for (let i = s + 1; i < lines.length; i++) {
      const l = lines[i];
      if (furniture.has(furnitureKey(l.text))) continue;
      if (out.length > 0 && (isReferencesHeading(l.text) || endsReferences(l, body, refSize))) break;
      if (footnote && l.page === footnote.page && l.y <= footnote.y + 0.5) continue;
      // Type much smaller than the entries': a table or figure set on a references page.
      if (refSize > 0 && l.size < refSize - 1.2) continue;
      const prev = out[out.length - 1];
      if (isCaption(l.text)) {
        // A caption opening a page is an appendix float placed ahead of its heading: the list is
        // over. Inside the list it is a float set on a references page: left out.
        if (prev && prev.page !== l.page && /[.)]$/.test(prev.text)) break;
        if (floatBeforeAppendix(lines, i, body, refSize)) {
          // The float's own cells may come before its caption: drop the unfinished lines of this page.
          while (out.length && out[out.length - 1].page === l.page && !/[.)]$/.test(out[out.length - 1].text)) {
            out.pop();
          }
          break;
        }
        continue;
      }
      const gapAbove = prev && prev.page === l.page ? prev.y - l.y : 0;
      if (gapAbove > 2.2 * l.size && /^(?:\d{1,2}|[∗*†‡§¶])\s?\p{L}/u.test(l.text)) {
        // A footnote at the foot of the page, set apart by a gap: not a reference.
        footnote = { page: l.page, y: l.y };
        continue;
      }
      out.push(l);
      if (out.length === 8) refSize = median(out.map((o) => o.size));
    }
    if (out.length >= 2) return out;
  }

  return [];
}

/**
 * True when the caption at `i` belongs to an appendix float: an appendix heading follows within
 * some 250 lines (table cells count one each), with nothing between that reads like a reference
 * (no "2019." or "(2019)").
 */
function floatBeforeAppendix(
  lines: readonly Line[],
  i: number,
  body: { size: number; font: string },
  refSize: number,
): boolean {
  for (let j = i + 1; j < lines.length && j < i + 250; j++) {
    const l = lines[j];
    if (endsReferences(l, body, refSize)) return true;
    if (/\b(?:19|20)\d\d[a-z]?[.)]/.test(l.text)) return false;
  }

  return false;
}

/** Text of a line with its digits blanked, so "Page 3" and "Page 4" count as one running header. */
export function furnitureKey(text: string): string {
  return text.replace(/\d+/g, '#').toLowerCase();
}

/**
 * Running headers, footers and page numbers: lines near the top or bottom edge whose text (digits
 * aside) repeats on at least three pages, or that are a bare page number.
 */
export function findFurniture(pages: readonly { lines: readonly Line[]; height: number }[]): Set<string> {
  const seen = new Map<string, Set<number>>();
  for (const p of pages) {
    for (const l of p.lines) {
      if (l.y > p.height * 0.1 && l.y < p.height * 0.9) continue;
      const k = furnitureKey(l.text);
      let s = seen.get(k);
      if (!s) seen.set(k, (s = new Set()));
      s.add(l.page);
    }
  }
  const out = new Set<string>();
  for (const [k, s] of seen) if (s.size >= 3 || /^#$/.test(k)) out.add(k);

  return out;
}

interface Placed {
  line: Line;
  col: number;
  left: number;
}

/**
 * Assigns each line its column and the column's left edge. A page of the section has two columns
 * when lines start right of its middle and no line crosses it.
 */
function placeLines(lines: readonly Line[], boxes: ReadonlyMap<number, PageBox>): Placed[] {
  const byPage = new Map<number, Line[]>();
  for (const l of lines) {
    let arr = byPage.get(l.page);
    if (!arr) byPage.set(l.page, (arr = []));
    arr.push(l);
  }
  const out: Placed[] = [];
  for (const [page, ls] of byPage) {
    const box = boxes.get(page) ?? { width: 612, height: 792 };
    const mid = box.width / 2;
    const right = ls.filter((l) => l.x0 > mid - 0.02 * box.width);
    const crossing = ls.filter((l) => l.x0 < mid - 0.05 * box.width && l.x1 > mid + 0.05 * box.width);
    const twoCols = right.length >= 2 && crossing.length <= Math.max(1, ls.length * 0.05);
    const colOf = (l: Line): number => (twoCols && l.x0 > mid - 0.02 * box.width ? 1 : 0);
    const lefts = [0, 1].map((c) => {
      const xs = ls.filter((l) => colOf(l) === c).map((l) => l.x0).sort((a, b) => a - b);
      // The column's edge is its smallest x0, unless that line sits far left of all others (a
      // stray margin note); a single entry start in a column of continuation lines still counts.
      if (xs.length >= 2 && xs[1] - xs[0] > 40) return xs[1];

      return xs[0] ?? 0;
    });
    const placed = ls.map((l) => ({ line: l, col: colOf(l), left: lefts[colOf(l)] }));
    // Column by column, top to bottom: pdf.js order for LaTeX, and the reading order otherwise.
    placed.sort((a, b) => a.col - b.col || b.line.y - a.line.y);
    out.push(...placed);
  }

  return out;
}

const BRACKET_LABEL = /^\[([^\]]{1,80})\]\s*/;
const NUMBER_LABEL = /^(\d{1,4})\.\s+(?=\S)/;
const AUTHOR_START = new RegExp(
  [
    "^(?:\\p{Lu}[\\p{L}'’`-]+(?:,|\\s)",
    '\\p{Lu}\\.\\s?',
    '[\\p{Lu}\\p{Ll}]+ (?:van|von|de|der|den)\\b',
    '\\p{Lu}\\p{L}+ (?:\\p{Lu}\\.|\\p{Lu}\\p{L}+))',
  ].join('|'),
  'u',
);

/** Splits the section's lines into entries, each a list of line texts. */
export function splitEntries(lines: readonly Line[], boxes: ReadonlyMap<number, PageBox>): string[][] {
  const placed = placeLines(lines, boxes);
  if (!placed.length) return [];

  // 1. Labels: "[1]" in sequence, or keys with a year or number ("[KSH12]", "[Smith et al., 2019]").
  const bracketed = placed.filter((p) => BRACKET_LABEL.test(p.line.text) && labelAtLeft(p));
  if (bracketed.length >= 3 && bracketed.length >= placed.length * 0.12) {
    const numeric = bracketed.filter((p) => /^\[\d{1,4}\]/.test(p.line.text));
    if (numeric.length >= bracketed.length * 0.8) {
      let next = Number(/^\[(\d+)\]/.exec(numeric[0].line.text)![1]);
      const starts = new Set<Placed>();
      for (const p of numeric) {
        if (Number(/^\[(\d+)\]/.exec(p.line.text)![1]) !== next) continue;
        starts.add(p);
        next++;
      }

      // Labels out of sequence mean the page's text order is scrambled: every label starts an entry.
      if (starts.size >= numeric.length * 0.6) return groupBy(placed, (p) => starts.has(p));

      return groupBy(placed, (p) => numeric.includes(p));
    }

    return groupBy(placed, (p) => /^\[[^\]]*\d[^\]]*\]/.test(p.line.text) && labelAtLeft(p));
  }

  // 2. "1." labels, in sequence from 1.
  let expect = 1;
  const numberedStarts = new Set<Placed>();
  for (const p of placed) {
    const m = NUMBER_LABEL.exec(p.line.text);
    if (m && Number(m[1]) === expect && labelAtLeft(p)) {
      numberedStarts.add(p);
      expect++;
    }
  }
  if (numberedStarts.size >= 3 && numberedStarts.size >= placed.length * 0.12) {
    return groupBy(placed, (p) => numberedStarts.has(p));
  }

  // 3. Hanging indent: an entry's first line sits at the column edge, the rest further right.
  const indent = (p: Placed): number => p.line.x0 - p.left;
  const flush = placed.filter((p) => indent(p) < 2);
  const hanging = placed.filter((p) => indent(p) >= 4 && indent(p) < 40);
  if (flush.length >= 2 && hanging.length >= placed.length * 0.2 && hanging.length >= flush.length * 0.4) {
    return groupBy(placed, (p) => indent(p) < 2);
  }

  // 4. Gaps: entries are set apart by more space than lines within an entry.
  return groupBy(placed, gapStarts(placed));
}

/** A label sits at the column's left edge, where entries start (not inside a wrapped line). */
function labelAtLeft(p: Placed): boolean {
  return p.line.x0 - p.left < 3 * p.line.size;
}

function gapStarts(placed: readonly Placed[]): (p: Placed, i: number) => boolean {
  const gaps: number[] = [];
  for (let i = 1; i < placed.length; i++) {
    const a = placed[i - 1];
    const b = placed[i];
    if (a.line.page === b.line.page && a.col === b.col && a.line.y > b.line.y) gaps.push(a.line.y - b.line.y);
  }
  const usual = gaps.length ? Math.min(...gaps.filter((g) => g > 0.5 * median(gaps))) : 0;

  return (p, i) => {
    if (i === 0) return true;
    const prev = placed[i - 1];
    const sameColumn = prev.line.page === p.line.page && prev.col === p.col && prev.line.y > p.line.y;
    if (sameColumn && usual > 0) return prev.line.y - p.line.y > usual + Math.max(1, 0.15 * p.line.size);

    // The top of a new column: a new entry when the last one ended and this one opens with a name.
    return /[.)]$/.test(prev.line.text) && AUTHOR_START.test(p.line.text);
  };
}

function groupBy(placed: readonly Placed[], isStart: (p: Placed, i: number) => boolean): string[][] {
  const out: string[][] = [];
  placed.forEach((p, i) => {
    if (isStart(p, i) || !out.length) out.push([]);
    out[out.length - 1].push(p.line.text);
  });

  return out;
}

/** The whole pipeline: section lines → entries → parsed records. */
export function extractReferences(
  lines: readonly Line[],
  boxes: ReadonlyMap<number, PageBox>,
  body: { size: number; font: string },
  furniture: ReadonlySet<string> = new Set(),
  known: ReadonlySet<string> = new Set(),
): ReferenceRecord[] {
  return referencesFromSection(referenceSectionLines(lines, body, furniture), boxes, known);
}

/** Splits and parses the lines of a reference section (see referenceSectionLines). */
export function referencesFromSection(
  section: readonly Line[],
  boxes: ReadonlyMap<number, PageBox>,
  known: ReadonlySet<string> = new Set(),
): ReferenceRecord[] {
  const entries = splitEntries(section, boxes);
  const out: ReferenceRecord[] = [];
  for (const e of entries) {
    const raw = joinLines(e, known);
    if (raw.length < 12 || !/\p{L}{3}/u.test(raw)) continue;
    out.push(parseReference(raw));
  }

  return out;
}

// ---------------------------------------------------------------------------------------------
// One entry's fields.

const ARXIV_IN_REF = [
  /arxiv(?:\s*preprint)?(?:\s*arxiv)?\s*[:.]?\s*(\d{4})\.\s?(\d{4,5})(v\d+)?/i,
  /arxiv\.org\/(?:abs|pdf)\/(\d{4})\.(\d{4,5})/i,
  /\babs\/(\d{4})\.(\d{4,5})/i,
  /\bcorr\b[^0-9]{0,20}(\d{4})\.(\d{4,5})/i,
  /\b10\.48550\/arxiv\.(\d{4})\.\s?(\d{4,5})/i,
];
const ARXIV_OLD_IN_REF = /arxiv(?:\s*preprint)?\s*:?\s*((?:[a-z-]+)(?:\.[A-Z]{2})?\/\d{7})/i;

function arxivOf(s: string): string | null {
  for (const re of ARXIV_IN_REF) {
    const m = re.exec(s);
    if (m && Number(m[1].slice(2)) >= 1 && Number(m[1].slice(2)) <= 12) return `${m[1]}.${m[2]}`;
  }
  const old = ARXIV_OLD_IN_REF.exec(s);

  return old ? old[1] : null;
}

function doiOf(s: string): string | null {
  const m = /\b(10\.\d{4,9}\/[^\s,;"<>]+)/.exec(s);
  if (!m) return null;
  let doi = m[1];
  // A DOI broken at a line end after "." or "/" ("10.1145/1390156. 1390204").
  const tail = /^\s(\d[\w./-]*)/.exec(s.slice(m.index + m[0].length));
  if (tail && /[./]$/.test(doi)) doi += tail[1];

  return doi.replace(/[.)\]]+$/, '');
}

const YEAR = /(?<![\d.\/-])((?:19[5-9]|20[0-4])\d)[a-z]?(?![\d]|\.\d)/g;

function yearOf(s: string, authorsEnd: number): number | null {
  const paren = /\(((?:19|20)\d\d)[a-z]?\)/.exec(s);
  if (paren && paren.index <= authorsEnd + 4) return Number(paren[1]);
  const scrubbed = s.replace(/\d{4}\.\d{4,5}/g, ' ').replace(/10\.\d{4,9}\/\S+/g, ' ');
  const all = [...scrubbed.matchAll(YEAR)].map((m) => Number(m[1]));
  if (!all.length) return null;
  const afterAuthors = [...scrubbed.slice(authorsEnd).matchAll(YEAR)].map((m) => Number(m[1]));

  return (afterAuthors.length ? afterAuthors : all)[afterAuthors.length ? afterAuthors.length - 1 : 0];
}

/** Lowercase words that belong to names ("L.-P. de las Heras", "Gomez i Bigorda"). */
const NAME_PARTICLES = /^(?:van|von|der|den|de|del|della|di|da|du|la|las|los|le|i|y|zu|ter|ten|dos|das|bin|al|el)$/;

/** A printed year between 1950 and 2049, or null ("n.d.", a page number). */
function plausibleYear(s: string): number | null {
  const y = Number.parseInt(s, 10);

  return y >= 1950 && y <= 2049 ? y : null;
}

/** Words before a period that do not end a sentence. */
const ABBREV =
  new RegExp(
    `(?:^|[\\s(])(?:${[
      'vs|proc|conf|int|intl|vol|no|pp|eds?|jr|sr|st|dr|mr|ms|inc|ltd|co|corp|dept|univ|assoc|comput|j',
      'trans|natl|mach|learn|res|lett|rev|phys|sci|eng|artif|intell|ling|stat|math|appl|syst|adv|inf',
      'process|neural|rep|tech|e\\.g|i\\.e|cf|fig|sec|ch|ser|ann|symp|workshop|mag|jpn|am|soc|acad|nat',
      'ieee|acm|arxiv|abs|pt',
    ].join('|')})\\.$`,
    'i',
  );

/**
 * Positions where a sentence ends in a reference: ". ", "? ", "! " not after an initial ("G.")
 * or an abbreviation ("Proc.").
 */
function sentenceEnds(s: string, afterInitials = false): number[] {
  const out: number[] = [];
  const re = /[.?!](?=\s+\S|$)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const before = s.slice(Math.max(0, m.index - 12), m.index + 1);
    // "Yes but.. can chatgpt identify entities": an ellipsis is not a sentence end.
    if (s[m.index - 1] === '.') continue;
    if (m[0] === '.' && /(?:^|[\s.(-])\p{Lu}\.$/u.test(before)) {
      // After an initial a sentence ends only where a title-like phrase (lowercase words) follows:
      // "Smola, Alexander J. Integrating structured biological data ...".
      const next = s.slice(m.index + 1).trim().split(/[,.:;]/)[0];
      const lower = next.split(' ').filter((w) => /^\p{Ll}/u.test(w) && !NAME_PARTICLES.test(w));
      if (afterInitials && lower.length >= 2) out.push(m.index);
      continue;
    }
    if (m[0] === '.' && ABBREV.test(before)) continue;
    // "Are you smarter than a sixth grader? textbook question answering...": a question inside a title.
    const after = s.slice(m.index + 1);
    const venueNext = /^\s+(?:arxiv|in\b|preprint|pages|pp\.|url|https?:|doi|corr)/i.test(after);
    if (m[0] !== '.' && /^\s+\p{Ll}/u.test(after) && !venueNext) continue;
    out.push(m.index);
  }

  return out;
}

/** True when a run of text reads like an author list (names, commas, "and", initials, "et al."). */
function looksLikeAuthors(s: string): boolean {
  const t = s.trim();
  if (!t || t.length > 1500) return false;
  const words = t.split(/\s+/);
  const capital = words.filter(
    (w) => /^[\p{Lu}(]/u.test(w) || /^(?:and|et|al\.?|van|von|de|der|den|da|di|du|le|la|las|los|del|i|y|&)$/.test(w),
  );

  return capital.length >= words.length * 0.7 && (words.length <= 6 || /,|\band\b|&/.test(t));
}

/** "Surname, I., Surname, I.:" (Springer) or "Surname, I. J., & Surname, K." (APA) author lists. */
const SURNAME_FIRST = /^\p{Lu}[\p{L}'’-]+(?: [\p{Lu}][\p{L}'’-]+)?, (?:\p{Lu}\.(?:\s?-?\p{Lu}\.)*)/u;

export function splitAuthors(s: string): string[] {
  let t = collapseSpaces(s.replace(/\bet\s*al\.?/gi, ' ').replace(/\s*\((?:eds?|editors?)\.?\)\s*/gi, ' '));
  // A final period goes, unless it closes an initial ("Hinton, G.E.").
  t = t.replace(/[,;:\s]+$/, '').replace(/(?<!(?:^|[\s.,-])\p{Lu})\.$/u, '');
  if (!t) return [];
  const chunks = t
    .split(/\s*(?:[,;]\s*(?:and|&)\s+|,|;|\s+and\s+|\s*&\s*)\s*/)
    .map((c) => c.trim())
    .filter((c) => /\p{L}/u.test(c));
  const names: string[] = [];
  const bare = (c: string): string => c.replace(/^(?:(?:van|von|de|der|den|da|di|du|le|la)\s+)+/i, '');
  const single = chunks.filter((c) => !/\s/.test(bare(c))).length;
  if (chunks.length >= 2 && single >= chunks.length * 0.6 && !/^\p{Lu}\.$/u.test(chunks[1] ?? '')) {
    // ICML's "Surname, Given, Surname, Given, and Surname, Given": pairs of one-word chunks.
    for (let i = 0; i < chunks.length; i += 2) names.push(chunks[i + 1] ? `${chunks[i + 1]} ${chunks[i]}` : chunks[i]);
  } else if (SURNAME_FIRST.test(t)) {
    // Pairs of "Surname" and "I." chunks.
    for (let i = 0; i < chunks.length; i++) {
      const next = chunks[i + 1];
      if (next && /^(?:\p{Lu}\.\s?-?)+(?:\s?\p{Lu}\.)*$/u.test(next)) {
        names.push(`${next.replace(/\s+/g, ' ')} ${chunks[i]}`);
        i++;
      } else {
        names.push(chunks[i]);
      }
    }
  } else {
    names.push(...chunks);
  }

  return names
    .map((n) => n.replace(/^(?:and|&)\s+/i, '').replace(/[*∗†‡]+$/, '').trim())
    .filter((n) => n.length >= 2 && n.length <= 80 && /\p{L}/u.test(n) && !/^(?:others|et al)$/i.test(n));
}

function cleanTitle(t: string): string | null {
  let s = collapseSpaces(t)
    .replace(/^[\s,.:;"“”'‘’]+/, '')
    .replace(/[\s,.:;"“”'‘’]+$/, '')
    .replace(/^(?:in|title)\s*:\s*/i, '')
    .replace(/\s*\((?:19|20)\d\d[a-z]?\)$/, '');
  s = s.replace(/\s*\[(?:online|j|c|m|cs\.\w+)\]\s*$/i, '').replace(/,\s*(?:19|20)\d\d[a-z]?$/, '');
  if (s.length < 3 || !/\p{L}{2}/u.test(s)) return null;

  return s.length > 400 ? s.slice(0, 400) : s;
}

/** The title: the text up to the next sentence end, or the whole rest when it has none. */
function firstSentence(s: string): string {
  const ends = sentenceEnds(s);
  const end = ends.find((e) => e >= 8) ?? -1;
  if (end < 0) return s.replace(/,\s*(?:in\b|arxiv|(?:19|20)\d\d).*$/i, '');
  const keep = s[end] === '.' ? end : end + 1;

  return s.slice(0, keep);
}

const PARTICLES = '(?:(?:van|von|de|der|den|da|di|du|le|la|dos|del)\\s+)*';
const SURNAME = `${PARTICLES}\\p{Lu}[\\p{L}'’\`-]*(?:\\s\\p{Lu}[\\p{L}'’\`-]+)?`;
const GIVEN = '\\p{Lu}\\p{Ll}+(?:-\\p{Lu}?\\p{Ll}+)?';
const ITEM_END = '(?=,|;|:|\\s+(?:and|&)\\s|\\.?\\s|\\.?$)[,;]?';
/** "Surname, I. J.," items (Springer, APA, ICML 2020). */
const SF_INITIALS = new RegExp(`\\s*(?:(?:and|&)\\s+)?${SURNAME},\\s(?:\\p{Lu}\\.\\s?-?\\s?)+${ITEM_END}`, 'uy');
/** "Surname, Given," items (ICML 2014). */
const SF_GIVEN = new RegExp(
  `\\s*(?:(?:and|&)\\s+)?${SURNAME},\\s${GIVEN}(?:\\s${GIVEN})?(?:\\s\\p{Lu}\\.)?${ITEM_END}`,
  'uy',
);
const SF_START =
  new RegExp(
    "^(?:(?:van |von |de |der )*(?:\\p{Lu}[\\p{L}'’-]+(?: \\p{Lu}[\\p{L}'’-]+)?, \\p{Lu}\\." +
      "|\\p{Lu}[\\p{L}'’-]+, \\p{Lu}\\p{Ll}+(?: \\p{Lu}\\.)?(?:, |,? and )" +
      "(?:van |von |de |der )*\\p{Lu}[\\p{L}'’-]+,))",
    'u',
  );

/**
 * Where a "Surname, I., Surname, I., and Surname, I." (or ICML's "Surname, Given, ...") author list
 * ends, read item by item in the form its first item has; −1 when the entry does not open with one.
 */
function surnameFirstEnd(s: string): number {
  if (!SF_START.test(s)) return -1;
  SF_INITIALS.lastIndex = 0;
  const re = SF_INITIALS.test(s) ? SF_INITIALS : SF_GIVEN;
  let pos = 0;
  let items = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m && m[0].length > 0 && items < 300; m = re.exec(s)) {
    pos = re.lastIndex;
    items++;
  }

  return items > 0 ? pos : -1;
}

/** A quoted title counts when it comes after something that reads as the authors (IEEE's style). */
function quotedTitleFirst(s: string, at: number): boolean {
  return at < s.length * 0.8 && (at < 400 || looksLikeAuthors(s.slice(0, at)));
}

/** Parses one reference entry into fields. Never throws; fields it cannot find are null or []. */
export function parseReference(rawEntry: string): ReferenceRecord {
  const raw = collapseSpaces(normalizeChars(rawEntry));
  let s = raw.replace(BRACKET_LABEL, '').replace(/^\d{1,3}\.\s+/, '').replace(/^[•·∗*]\s*/, '');
  s = s.replace(/^\(\d{1,4}\)\s+/, '');
  const arxivId = arxivOf(s);
  const doi = doiOf(s);
  let authorsText = '';
  let title: string | null = null;
  // The year printed right after the authors ("Authors. 2019. Title." or "Authors (2019)") wins.
  let statedYear: number | null = null;

  const quoted = /[“"‘]{1,2}([^”"]{6,}?)[,.]?\s*[”"’]{1,2}/u.exec(s);
  const yearFirst = /^\(?((?:19|20)\d\d)[a-z]?\)?\.\s+(.+)$/u.exec(s);
  if (yearFirst) {
    // ACM's entries without authors: "2021. Fermat's Library. https://fermatslibrary.com/".
    title = cleanTitle(firstSentence(yearFirst[2]));
  } else if (quoted && quotedTitleFirst(s, quoted.index)) {
    // IEEE: A. Author, B. Author, and C. Author, “Title,” in Proc. ...
    authorsText = s.slice(0, quoted.index);
    const after = s.slice(quoted.index + quoted[0].length);
    // A title that opens with a quoted phrase: Taylor. “Cloze procedure”: A new tool for measuring readability.
    title = /^\s*:\s*\p{L}/u.test(after) && !/[,.]\s*[”"’]+$/.test(quoted[0])
      ? cleanTitle(`${quoted[1]}: ${firstSentence(after.replace(/^\s*:\s*/, ''))}`)
      : cleanTitle(quoted[1]);
  } else {
    let rest: string | null = null;
    const acl = /^(.{2,1200}?)\.\s+\(?((?:19|20)\d\d[a-z]?|n\.d\.)\)?\.\s+(.+)$/u.exec(s);
    const apa = /^(.{2,1200}?)\s*\(((?:19|20)\d\d[a-z]?|n\.d\.)(?:, [^)]{1,30})?\)[.,:]?\s+(.+)$/u.exec(s);
    const sfEnd = surnameFirstEnd(s);
    const aclAuthors = acl && looksLikeAuthors(acl[1]);
    // "Jiangen He, Q. Ping, and Chaomei Chen. 2019." opens like "Surname, I." but is not one.
    if (sfEnd > 0 && !(aclAuthors && acl && sfEnd < acl[1].length)) {
      authorsText = s.slice(0, sfEnd);
      rest = s
        .slice(sfEnd)
        .replace(/^\s*[.,:]?\s*/, '')
        .replace(/^\(?(?:19|20)\d\d[a-z]?\)?[.,:]?\s+/, '');
    } else if (acl && aclAuthors) {
      authorsText = acl[1];
      statedYear = plausibleYear(acl[2]);
      rest = acl[3];
    } else if (apa && looksLikeAuthors(apa[1])) {
      authorsText = apa[1];
      statedYear = plausibleYear(apa[2]);
      rest = apa[3];
    } else {
      const ends = sentenceEnds(s, true);
      const first = ends.find((e) => looksLikeAuthors(s.slice(0, e + 1)) || /\bet al\.?$/.test(s.slice(0, e + 1)));
      if (first !== undefined && first < s.length - 1) {
        authorsText = s.slice(0, first + 1);
        rest = s.slice(first + 1);
      } else {
        rest = s;
      }
    }
    title = cleanTitle(firstSentence(rest.trim()));
  }
  const authorsEnd = authorsText.length;

  return {
    raw,
    title,
    authors: splitAuthors(authorsText).slice(0, 100),
    year: statedYear ?? yearOf(s, authorsEnd),
    arxivId,
    doi,
  };
}
