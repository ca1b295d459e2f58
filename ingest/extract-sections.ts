/**
 * Section headings over the whole paper, and where the reference list starts and ends.
 * A heading is a short line in a type other than the body's ("1 Introduction", "3.2 Ablation",
 * "Related Work", "I. INTRODUCTION", "A Appendix").
 */
import { joinLines } from './extract-text.js';
import type { Line } from './layout.js';

const NUMBERED = /^(?:(?:\d{1,2}(?:\.\d{1,2}){0,3})|(?:[IVX]{1,5})|(?:[A-H](?:\.\d{1,2}){0,3}))\.?\s+(\p{Lu}|\d)/u;

const KNOWN =
  new RegExp(
    `^(?:${[
      'abstract',
      'introduction',
      'related work',
      'background',
      'preliminaries',
      'method(?:s|ology)?',
      'approach',
      'experiments?',
      'experimental (?:setup|results)',
      'results',
      'evaluation',
      'analysis',
      'discussion',
      'conclusions?',
      'conclusion and future work',
      'limitations',
      'future work',
      'broader impacts?',
      'ethics statement',
      'ethical considerations',
      'acknowledge?ments?',
      'references',
      'bibliography',
      'appendix',
      'appendices',
      'supplementary material',
    ].join('|')})$`,
    'i',
  );

/** Words that say a short numbered line is not a heading (a list item, a table row, an equation). */
const NOT_HEADING = /[=<>±×%]|\b(?:et al|fig\.|table|eq\.)|\.\s*$|,\s*$|^\d+(?:\.\d+)?\s+\d/i;

export function isHeadingText(text: string): boolean {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length < 3 || t.length > 90 || !(NUMBERED.test(t) || KNOWN.test(t)) || NOT_HEADING.test(t)) return false;
  const bare = t.replace(/^(?:\d{1,2}(?:\.\d{1,2}){0,3}|[IVX]{1,5}|[A-H](?:\.\d{1,2}){0,3})\.?\s+/, '');

  return (NUMBERED.test(t) && /\p{L}{3}/u.test(bare) && bare.split(' ').length <= 12) || KNOWN.test(t);
}

/**
 * The headings, in order. A line qualifies when its text reads as a heading and its type stands
 * out from the body text (another font, or larger), or when it is a known heading alone on its line.
 */
export function findHeadings(
  lines: readonly Line[],
  body: { size: number; font: string },
  skip: ReadonlySet<Line> = new Set(),
  known?: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  // Numbered headings go 1, 1.1, 2, ...: a number far off the running one is a table row,
  // a list item or a footnote ("2. DIVE-SCI" after "4 Experiments").
  let top = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (skip.has(l) || !isHeadingText(l.text)) continue;
    // ICLR's small-caps headings are mostly in a smaller size; their capitals are larger.
    const distinct = l.font !== body.font || l.size > body.size + 0.5 || l.maxSize > body.size + 1.5;
    if (!distinct || l.size < body.size - 1.2) continue;
    if (/^\d+$/.test(l.text) || /\[\d/.test(l.text)) continue;
    const n = topNumber(l.text);
    if (n !== null) {
      const sub = /^\S+\.\d/.test(l.text);
      if (sub ? n !== top : n !== top + 1) continue;
      top = n;
    }
    out.push(continued(l, lines[i + 1], known));
    if (out.length >= 300) break;
  }

  return out;
}

/** A heading wrapped onto a second line in the same type ("4.3 Comparison between ... Pre-" / "training"). */
function continued(l: Line, next: Line | undefined, known?: ReadonlySet<string>): string {
  const open = /-$|\b(?:and|of|for|with|to|the|in|on|a|an|via|from|by)$/i.test(l.text);
  if (!open || !next || next.page !== l.page || next.font !== l.font) return l.text;
  if (Math.abs(next.size - l.size) > 0.2) return l.text;
  if (l.y - next.y <= 0 || l.y - next.y > 1.6 * l.size) return l.text;

  return joinLines([l.text, next.text], known);
}

const ROMAN: Record<string, number> = Object.fromEntries(
  ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'].map((r, i) => [r, i + 1]),
);

/** The top-level section number of an arabic- or roman-numbered heading; null for letters and none. */
function topNumber(text: string): number | null {
  const m = /^(\d{1,2})(?:\.\d{1,2})*\.?\s/.exec(text);
  if (m) return Number(m[1]);
  const r = /^([IVX]{1,4})\.?\s/.exec(text);

  return r && ROMAN[r[1]] ? ROMAN[r[1]] : null;
}

/** A figure or table caption ("Table 3: Hyperparameters ..."). */
export function isCaption(text: string): boolean {
  return /^(?:table|figure|fig\.)\s*[A-Z]?\d{1,2}\s*[:.]/i.test(text);
}

const REFS_HEADING =
  /^(?:(?:\d{1,2}|[IVX]{1,4}|[A-Z])\.?\s+)?(?:references|bibliography|literature cited|works cited|reference)\s*:?$/i;

export function isReferencesHeading(text: string): boolean {
  return REFS_HEADING.test(text.replace(/\s+/g, ' ').trim()) || /^r\s?e\s?f\s?e\s?r\s?e\s?n\s?c\s?e\s?s$/i.test(text);
}

/**
 * Headings that end a reference list: appendices, supplementary material, checklists, author
 * biographies. The letter-numbered form ("A Proofs", "A. Details") counts only in a heading type.
 */
const AFTER_REFS =
  new RegExp(
    [
      '^(?:(?:appendix|appendices|supplementary|supplemental)\\b',
      '(?:[A-H]|\\d{1,2})\\.?\\s+(?:appendix|supplementary|additional|proofs?|experimental details',
      'implementation details|more|further|hyperparameters?|details)\\b',
      '(?:neurips|iclr|icml)? ?(?:paper )?checklist\\b',
      'author contributions\\b|biograph(?:y|ies)\\b|acknowledge?ments?\\b)',
    ].join('|'),
    'i',
  );

export function endsReferences(l: Line, body: { size: number; font: string }, refSize: number): boolean {
  if (AFTER_REFS.test(l.text) && l.text.length < 80) return true;

  // Any short line in type clearly larger than the references and the body is a new section.
  if (refSize > 0 && l.size > Math.max(refSize, body.size) + 1.5 && l.text.length < 80 && /\p{L}{3}/u.test(l.text)) {
    return true;
  }

  // "A Proof of Theorem 1" in a heading type larger than the references' type.
  if (!/^[A-H](?:\.\d)?\.?\s+\p{Lu}/u.test(l.text) || l.text.length >= 80) return false;
  const allCaps = l.text === l.text.toUpperCase() && /\p{Lu}{4}/u.test(l.text);

  return l.maxSize > Math.max(refSize, body.size) + 0.4 || allCaps;
}
