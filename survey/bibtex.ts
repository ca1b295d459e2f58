/**
 * The BibTeX file for the outline, built with citation-js from CSL-JSON items (so escaping,
 * name order and accents are the library's job, not string concatenation). arXiv papers
 * become `@misc` entries with the arXiv id in `note` and the abstract page as `url`.
 */
import { displayTitle, splitName, paperYear } from './cite-keys.js';

export interface BibPaper {
  key: string;
  title: string;
  authors: string[];
  year: number | null;
  arxivId: string | null;
  doi: string | null;
}

// Scripts pdflatex cannot typeset from a plain .bib (CJK, emoji, symbols) are dropped; Latin,
// Greek and common punctuation are left to citation-js, which writes them as LaTeX commands.
const TYPESETTABLE = /[^\u0000-\u024f\u0370-\u03ff\u2010-\u2027\u2030-\u205e]/gu;

function clean(text: string): string {
  return text.replace(TYPESETTABLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * Marks words with capitals after their first letter (XNOR, ImageNet, BERT, LoRA) as
 * case-protected, which citation-js writes as braces, so styles that lowercase titles keep them.
 */
function protectCase(title: string): string {
  return title.replace(/[\p{L}\p{N}]+/gu, (w) => (/\p{Lu}/u.test(w.slice(1)) ? `<span class="nocase">${w}</span>` : w));
}

/** One CSL-JSON item for a paper. */
export function cslItem(p: BibPaper): Record<string, unknown> {
  const year = paperYear(p);
  const item: Record<string, unknown> = {
    id: p.key,
    'citation-key': p.key,
    type: p.doi && !p.arxivId ? 'article-journal' : 'document',
    title: protectCase(clean(displayTitle(p.title))),
  };
  const authors = p.authors.map((a) => splitName(clean(a))).filter((n) => n.family);
  if (authors.length) item.author = authors;
  if (year) item.issued = { 'date-parts': [[year]] };
  if (p.arxivId) {
    item.note = `arXiv preprint arXiv:${p.arxivId}`;
    item.URL = `https://arxiv.org/abs/${p.arxivId}`;
    // With a publisher set, citation-js does not copy the URL into `howpublished`, which
    // plain.bst would print raw beside the note.
    item.publisher = 'arXiv';
  }
  if (p.doi) item.DOI = p.doi;

  return item;
}

/** A BibTeX file with one entry per paper, keyed by `key`. */
export async function toBibtex(papers: BibPaper[]): Promise<string> {
  const { plugins } = await import('@citation-js/core');
  await import('@citation-js/plugin-bibtex');
  if (papers.length === 0) return '';

  return plugins.output.format('bibtex', papers.map(cslItem));
}
