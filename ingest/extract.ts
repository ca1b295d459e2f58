/**
 * Turns the text layer of a paper into metadata: title, authors, year,
 * abstract, arXiv id, DOI, section headings and the reference list.
 */
import type { ReferenceRecord } from '../db/papers.js';
import type { PageContent } from './pdf-text.js';

export interface ExtractedPaper {
  title: string | null;
  authors: string[];
  year: number | null;
  abstract: string | null;
  arxivId: string | null;
  arxivVersion: number | null;
  doi: string | null;
  headings: string[];
  references: ReferenceRecord[];
  fullText: string;
  pages: number;
}

const NEW_ARXIV = /\b(?:arXiv:)?(\d{4}\.\d{4,5})(?:v(\d+))?\b/i;

/** An arXiv id (and version) from a file name such as `2106.09685v2.pdf`. */
export function arxivIdFromFileName(file: string): { id: string; version: number | null } | null {
  const base = file.split(/[\\/]/).pop() ?? '';
  const m = base.match(/(\d{4}\.\d{4,5})(?:v(\d+))?/);

  return m ? { id: m[1], version: m[2] ? Number(m[2]) : null } : null;
}

/** Plain page text, lines joined by newlines (items in pdf.js order). */
export function pageText(page: PageContent): string {
  let out = '';
  for (const it of page.items) {
    if (it.rotated) continue;
    out += it.str;
    if (it.eol) out += '\n';
  }

  return out;
}

// A first, simple extractor; replaced by the layout-aware one.
export function extractPaper(pages: PageContent[], file: string): ExtractedPaper {
  const texts = pages.map(pageText);
  const fullText = texts.join('\n\f\n');
  const first = pages[0];
  const stamp = first?.items.filter((i) => i.rotated).map((i) => i.str).join(' ') ?? '';
  const m = stamp.match(NEW_ARXIV) ?? texts[0]?.match(NEW_ARXIV);
  const fromName = arxivIdFromFileName(file);
  const arxivId = m ? m[1] : (fromName?.id ?? null);
  const arxivVersion = m?.[2] ? Number(m[2]) : (fromName?.version ?? null);
  let title: string | null = null;
  if (first) {
    const big = Math.max(...first.items.filter((i) => !i.rotated && i.str.trim()).map((i) => i.size));
    title = first.items.filter((i) => !i.rotated && Math.abs(i.size - big) < 0.5).map((i) => i.str).join(' ').replace(/\s+/g, ' ').trim() || null;
  }
  const abs = fullText.match(/Abstract\s*[.:—-]?\s*([\s\S]{50,3000}?)\n\s*(?:1|I)\.?\s+Introduction/i);
  const doi = fullText.match(/\b10\.\d{4,9}\/[^\s"<>]+/)?.[0]?.replace(/[.,;]$/, '') ?? null;

  return {
    title,
    authors: [],
    year: null,
    abstract: abs ? abs[1].replace(/-\n/g, '').replace(/\s+/g, ' ').trim() : null,
    arxivId,
    arxivVersion,
    doi,
    headings: [],
    references: [],
    fullText,
    pages: pages.length,
  };
}
