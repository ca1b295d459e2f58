/**
 * Front-matter extraction from page 1's lines: title, authors, abstract, arXiv id, year, DOI.
 * Layout first (the biggest type near the top is the title; the block between title and
 * abstract holds the authors), text patterns second (stamps, venue lines, "Abstract").
 */
import { joinLines, normalizeChars } from './extract-text.js';
import type { Line } from './layout.js';

/** Lines that sit near the title in big or bold type but are never the title. */
const NOT_TITLE = [
  /^arxiv:/i,
  /\barxiv:\s*\d{4}\.\d{4,5}/i,
  /^(published|accepted|presented) (as|at|in|to|for)\b/i,
  /conference paper at/i,
  /^(under review|preprint|work in progress|draft|technical report|tech report)\b.{0,40}$/i,
  /^(to appear|appeared) in\b/i,
  /^(in )?proceedings of\b/i,
  /\b(conference|workshop|symposium|transactions|journal) (on|of)\b.*\b(19|20)\d\d\b/i,
  /^journal of [a-z ]+(research|learning)\b/i,
  /©|\(c\)\s*(19|20)\d\d|copyright|all rights reserved|licensed under|creative commons/i,
  /^\d+(\s*[-–]\s*\d+)?$/,
  /^(vol\.|volume)\s*\d+/i,
  /^(abstract|contents|table of contents)\b/i,
  /^(ieee|acm|springer|elsevier)\b.{0,60}$/i,
  /https?:\/\/|www\.|@/i,
];

export function isNotTitle(text: string): boolean {
  return NOT_TITLE.some((re) => re.test(text)) || (text.match(/[A-Za-z]/g)?.length ?? 0) < 3;
}

/** Where the abstract's label is: "Abstract", "ABSTRACT", "A B S T R A C T", "Abstract—", "Abstract." */
const ABSTRACT_LABEL = /^(?:abstract|a\s?b\s?s\s?t\s?r\s?a\s?c\s?t|summary)(?=$|[\s.:—–-])[\s.:—–-]*/i;

/** What ends an abstract: the introduction, keywords, ACM's blocks, a numbered first section. */
const AFTER_ABSTRACT = [
  /^(?:(?:\d+|[IVX]+|[A-Z])\.?\s*)?(?:introduction|background|overview|motivation)\b\s*$/i,
  /^(?:(?:1|I)\.?\s+)[A-Z][A-Za-z-]+(?:\s+[A-Za-z-]+){0,5}$/,
  /^(?:key\s?words|index terms|ccs concepts|acm reference format|additional key words)\b/i,
  /^(?:\*|∗|†)?\s*(?:equal contribution|corresponding author|work (?:done|performed) (?:while|during))/i,
  /^(?:preprint|under review|published as)\b/i,
];

export interface TitleResult {
  title: string | null;
  /** Index in page 1's lines of the last title line (−1 when no title was found). */
  end: number;
  start: number;
}

/**
 * The title: the run of lines in the largest type among the upper part of page 1, skipping
 * stamps, venue lines and running headers. Lines in the same type that follow it closely are
 * its continuation.
 */
export function findTitle(lines: readonly Line[], pageHeight: number, known?: ReadonlySet<string>): TitleResult {
  const upper = lines
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.y > pageHeight * 0.3 && !isNotTitle(l.text) && l.text.length <= 250);
  if (!upper.length) return { title: null, start: -1, end: -1 };
  const big = Math.max(...upper.map(({ l }) => l.size));
  const first = upper.find(({ l }) => l.size >= big - 0.6);
  if (!first) return { title: null, start: -1, end: -1 };
  const parts = [first.l.text];
  let end = first.i;
  let prev = first.l;
  for (let i = first.i + 1; i < lines.length && i < first.i + 8; i++) {
    const l = lines[i];
    const sameRow = Math.abs(l.y - prev.y) < 0.3 * prev.size;
    const below = prev.y - l.y;
    const close = sameRow || (below > 0 && below < 2.3 * big);
    // A subtitle in smaller type right under the title belongs to it ("STaR: Self-Taught Reasoner" /
    // "Bootstrapping Reasoning With Reasoning"); a dash-led tagline does not.
    const subtitle =
      below > 0 && below < 1.3 * big && l.size >= 0.8 * big && l.font === prev.font && !/^[–—-]/.test(l.text);
    if (!close || (Math.abs(l.size - big) > Math.max(0.6, big * 0.06) && !subtitle) || isNotTitle(l.text)) {
      // A footnote mark or a superscript between title lines does not end the title.
      if (l.text.length <= 2 && l.size < big) continue;
      break;
    }
    parts.push(l.text);
    end = i;
    prev = l;
  }
  const title = fixSmallCaps(joinLines(parts, known))
    .replace(/\s*[∗*†‡§¶]+\s*$/u, '')
    .replace(/(\p{L})\d(,\d)*$/u, '$1')
    .trim();

  return { title: title || null, start: first.i, end };
}

/**
 * Small-caps titles come as runs of two sizes, and pdf.js sometimes puts a space inside a run
 * ("REAC T : SYNERGIZING"); in an all-caps title a lone letter other than A or I after a capital
 * word is glued back, and no space stays before a colon.
 */
function fixSmallCaps(title: string): string {
  if (title !== title.toUpperCase()) return title;

  return title.replace(/\b(\p{Lu}{2,}) ([B-HJ-Z])(?=[\s:]|$)/gu, '$1$2').replace(/\s+:/g, ':');
}

const AFFILIATION = new RegExp(
  [
    'universit',
    'institut',
    'college',
    'school',
    'department',
    'dept\\.',
    'laborator',
    '\\blab\\b',
    '\\blabs\\b',
    'research',
    'academy',
    'centre',
    'center',
    '\\binc\\b',
    '\\bltd\\b',
    '\\bllc\\b',
    'corporation',
    'company',
    'google',
    'microsoft',
    'facebook',
    '\\bmeta\\b',
    'deepmind',
    'openai',
    'nvidia',
    'amazon',
    'alibaba',
    'tencent',
    'baidu',
    'huawei',
    'samsung',
    '\\bibm\\b',
    'intel\\b',
    'foundation',
    'hospital',
    'faculty',
    'polytechnic',
    'eleutherai',
    'hugging ?face',
    'allen ',
    'anthropic',
    '\\busa\\b',
    '\\bchina\\b',
    '\\bcanada\\b',
    '\\bgermany\\b',
    '\\bfrance\\b',
    '\\bjapan\\b',
    '\\bkorea\\b',
    '\\bu\\.s\\.a',
    '\\buk\\b',
    'street',
    '\\broad\\b',
    'avenue',
    '\\buc\\b',
    'fellow',
    'member',
    '\\bteam\\b',
    '\\bgroup\\b',
    'preprint',
    '\\bview\\b',
    '\\bnew york\\b',
    '\\bsan\\b',
    'segment',
    '\\bmodels?\\b',
    '\\blearning\\b',
    '\\bnetworks?\\b',
    '\\bsystems?\\b',
    'equal contribution',
    'correspond',
    'abstract',
  ].join('|'),
  'i',
);

const NAME_PARTICLE = /^(?:van|von|der|den|de|del|della|di|da|du|la|le|bin|al|el|dos|das|y|zu|ter|ten)$/;

/** A plausible personal name: 2–6 words, each capitalised (or a particle, or an initial). */
export function looksLikeName(s: string): boolean {
  if (s.length < 3 || s.length > 60 || AFFILIATION.test(s) || /\d|@|[()[\]{}|/\\:;]/.test(s)) return false;
  const words = s.split(/\s+/);
  // Mononyms are left out: a lone capitalised word on an author line is more often a place.
  if (words.length < 2 || words.length > 6) return false;

  return words.every(
    (w) => /^\p{Lu}[\p{L}'’.-]*$/u.test(w) || NAME_PARTICLE.test(w) || /^\p{Lu}\.(?:-?\p{Lu}\.)*$/u.test(w),
  );
}

/** Title-cases an all-caps name ("TAL AUGUST" → "Tal August"). */
function fixCase(name: string): string {
  if (name !== name.toUpperCase() || !/\p{Lu}{2}/u.test(name)) return name;

  return name.replace(/\p{Lu}+/gu, (w) => (w.length === 1 ? w : w[0] + w.slice(1).toLowerCase()));
}

/** Footnote marks, affiliation numbers and symbols that trail names on the author lines. */
const MARKS = new RegExp(`[∗*†‡§¶♠♣♥♦♢♡⋆★☆✝✉♮♯◇◆#※∥‖⊥⊤]|\\b\\d{1,2}(?:\\s*,\\s*\\d{1,2})*\\b`, 'gu');

/** Marks right after a name: affiliation numbers and footnote symbols ("Huang1,2∗ †", "Guu * 1"). */
const MARKS_AFTER_NAME = /(\p{L})(?:\s?(?:\d{1,2}(?:\s*,\s*\d{1,2})*|[∗*†‡§¶♠♣♥♦⋆⇤]))+(?=\s|$|,)/gu;

/**
 * Author names from the lines between the title and the abstract. Name lines are split at commas,
 * "and", "&", wide gaps (each gap makes its own line) and footnote marks; chunks that look like
 * affiliations, emails or places are dropped.
 */
export function findAuthors(lines: readonly Line[], from: number, to: number): string[] {
  const names: string[] = [];
  let nameFont: string | null = null;
  for (let i = from; i < to && i < from + 60; i++) {
    const l = lines[i];
    for (const piece of l.segments ?? [l.text]) {
      const good = namesIn(piece, l, nameFont);
      if (good === null) continue;
      nameFont ??= `${l.font}|${l.size}`;
      for (const g of good) {
        const n = fixCase(g);
        if (!names.includes(n)) names.push(n);
      }
    }
  }

  return names.slice(0, 200);
}

/** The names in one piece of an author line, or null when it holds none (an affiliation, emails). */
function namesIn(piece: string, l: Line, nameFont: string | null): string[] | null {
  let text = piece;
  if (/@|https?:|www\./i.test(text) && !/[A-Z][a-z]+ [A-Z][a-z]+/.test(text.replace(/\S*@\S*/g, ''))) return null;
  text = text.replace(/\{[^}]*\}\s*@\S*/g, ' ').replace(/\S*@\S*/g, ' ');
  // Marks after a name separate names: "Yue Huang1,2∗ † Lichao Sun1", "Kelvin Guu * 1 Kenton Lee * 1".
  text = text.replace(MARKS_AFTER_NAME, '$1 | ');
  const chunks = text
    .split(/\s*(?:,|;|\||·|•|\band\b|&|\s{2,})\s*/)
    .map((c) => collapse(c.replace(MARKS, ' ')))
    .filter(Boolean);
  const good = chunks.filter(looksLikeName);
  if (!good.length) return null;
  // Lines in another type than the first names' must be mostly names to count (not affiliations).
  if (nameFont !== null && nameFont !== `${l.font}|${l.size}` && good.length < chunks.length / 2) return null;

  return good;
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export interface AbstractResult {
  text: string | null;
  /** Index just past the abstract's last line. */
  end: number;
  /** Index of the "Abstract" label line, or of the first abstract line when there is no label. */
  start: number;
}

function endsAbstract(l: Line, bodySize: number): boolean {
  return AFTER_ABSTRACT.some((re) => re.test(l.text)) || (l.size > bodySize + 1.5 && l.text.length < 60);
}

/**
 * The abstract: the paragraph(s) after an "Abstract" label, or, without one, the first run of
 * full-width text lines after the authors. It ends at the introduction, keywords, a change of
 * type size, or a wide gap.
 */
export function findAbstract(lines: readonly Line[], after: number, known?: ReadonlySet<string>): AbstractResult {
  let start = -1;
  let firstText = '';
  for (let i = Math.max(0, after); i < lines.length; i++) {
    const m = ABSTRACT_LABEL.exec(lines[i].text);
    if (m && (m[0].length === lines[i].text.length || /[.:—–-]\s*$|\s$/.test(m[0]) || m[0].length > 8)) {
      start = i;
      firstText = lines[i].text.slice(m[0].length);
      break;
    }
  }
  let from: number;
  if (start >= 0) {
    from = firstText ? start : start + 1;
  } else {
    from = findParagraphStart(lines, after);
    if (from < 0) return { text: null, start: -1, end: -1 };
    start = from;
    firstText = lines[from].text;
  }
  const parts: string[] = [];
  const head = firstText ? lines[start] : lines[from];
  const size = firstText ? lines[Math.min(start + 1, lines.length - 1)]?.size ?? head.size : head?.size ?? 10;
  let i = from;
  let prev: Line | null = null;
  const gaps: number[] = [];
  let inUrl = false;
  for (; i < lines.length && parts.length < 120; i++) {
    const l = lines[i];
    const text = i === start && firstText ? firstText : l.text;
    if (i > from && endsAbstract(l, size)) break;
    if (prev && l.page === prev.page) {
      const gap = prev.y - l.y;
      const typical = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 1.25 * size;
      // A new column (gap < 0) or a gap of several lines ends the abstract unless the text goes on.
      if (gap > 2.6 * typical || (gap < -size && parts.length > 3 && /[.!?]$/.test(parts[parts.length - 1]))) break;
      if (gap > 0 && gap < 2 * size) gaps.push(gap);
    } else if (prev && l.page !== prev.page && /[.!?]$/.test(parts[parts.length - 1] ?? '')) {
      break;
    }
    // Footnotes under the abstract are set smaller; a heading larger. A code link set in a smaller
    // typewriter font ("available at:" / "https://github.com/...") still belongs to it.
    const last = parts[parts.length - 1] ?? '';
    const urlLine: boolean =
      /^(?:https?:|\/\/|www\.)/.test(l.text) || (inUrl && /[/-]$/.test(last) && !/\s/.test(l.text));
    const urlGoesOn: boolean = /(?:https?:\/*|\bat:)$/.test(last) || urlLine;
    if ((l.size > size + 1.2 || l.size < size - 0.7) && !(i === start && firstText) && !urlGoesOn) {
      // A short piece of a formula set small ("(L+1)") is skipped; anything longer ends the abstract.
      if (l.text.length > 12) break;
      continue;
    }
    inUrl = urlLine || /https?:\S*$/.test(text);
    parts.push(text);
    prev = l;
  }
  // A footnote mark after the last sentence ("... is lim- ited.12") is not text.
  const text = joinLines(parts, known).replace(/([a-z][.!?])\d{1,2}(?:,\d{1,2})*$/, '$1');

  return { text: text.length >= 20 ? text : null, start, end: i };
}

/** The first line of at least three consecutive long lines in one type size: a paragraph. */
function findParagraphStart(lines: readonly Line[], after: number): number {
  const widths = lines.map((l) => l.x1 - l.x0);
  const wide = Math.max(0, ...widths) * 0.55;
  for (let i = Math.max(0, after); i + 2 < lines.length && i < after + 80; i++) {
    const run = [lines[i], lines[i + 1], lines[i + 2]];
    if (
      run.every((l) => l.x1 - l.x0 >= wide && Math.abs(l.size - run[0].size) < 0.5 && isProse(l.text)) &&
      !AFFILIATION.test(lines[i].text.slice(0, 40))
    ) {
      return i;
    }
  }

  return -1;
}

/** Running text has lowercase words; a list of names or affiliations has almost none. */
function isProse(text: string): boolean {
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w));

  return words.length >= 4 && words.filter((w) => /^\p{Ll}/u.test(w)).length >= words.length * 0.3;
}

const ARXIV_NEW = /(?:arxiv\s*:?\s*)(\d{4}\.\d{4,5})(?:v(\d+))?/i;
const ARXIV_OLD = /(?:arxiv\s*:?\s*)([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?/i;

export interface ArxivRef {
  id: string;
  version: number | null;
}

/** The arXiv id in a stamp or text ("arXiv:1706.03762v7 [cs.CL] 2 Aug 2023"). */
export function arxivIdIn(text: string): ArxivRef | null {
  const m = ARXIV_NEW.exec(text) ?? ARXIV_OLD.exec(text);

  return m ? { id: m[1], version: m[2] ? Number(m[2]) : null } : null;
}

const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const STAMP_DATE = new RegExp(`\\]\\s*\\d{1,2}\\s+(?:${MONTHS})[a-z]*\\.?\\s+((?:19|20)\\d\\d)`, 'i');

/** The year of a stamp's date ("... [cs.CL] 2 Aug 2023" → 2023). */
export function stampYear(stamp: string): number | null {
  const m = STAMP_DATE.exec(stamp);

  return m ? Number(m[1]) : null;
}

/** The year an arXiv id was first submitted (yymm of new ids, yymmnnn of old ones). */
export function yearOfArxivId(id: string): number | null {
  const m = /^(\d\d)(\d\d)\.\d{4,5}$/.exec(id) ?? /\/(\d\d)(\d\d)\d{3}$/.exec(id);
  if (!m) return null;
  const yy = Number(m[1]);
  const mm = Number(m[2]);
  if (mm < 1 || mm > 12) return null;

  return yy >= 91 ? 1900 + yy : 2000 + yy;
}

const VENUE_WORDS = [
  'conference',
  'proceedings',
  'workshop',
  'symposium',
  'journal',
  'transactions',
  'published',
  'iclr',
  'neurips',
  'nips',
  'icml',
  'cvpr',
  'iccv',
  'eccv',
  'acl',
  'emnlp',
  'naacl',
  'aaai',
  'ijcai',
  'kdd',
  'sigir',
  'www',
  'chi',
];
const VENUE_YEAR = new RegExp(`\\b(?:${VENUE_WORDS.join('|')})\\b[^\\n]{0,80}?\\b((?:19|20)\\d\\d)\\b`, 'i');

/** A year from a venue or copyright line on page 1 ("Published as a conference paper at ICLR 2016"). */
export function venueYear(text: string): number | null {
  const m = VENUE_YEAR.exec(text) ?? /(?:©|\(c\)|copyright)\s*((?:19|20)\d\d)/i.exec(text);

  return m ? Number(m[1]) : null;
}

/** The paper's own DOI: on page 1 (ACM, IEEE and journal footers); later DOIs belong to references. */
export function findDoi(text: string): string | null {
  const m = /\b(?:doi\s*:?\s*|doi\.org\/)(10\.\d{4,9}\/[^\s"<>]+)/i.exec(normalizeChars(text));

  return m ? m[1].replace(/[.,;)\]]+$/, '') : null;
}
