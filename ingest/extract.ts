/**
 * Turns the text layer of a paper into metadata: title, authors, year, abstract, arXiv id, DOI,
 * section headings, the reference list and the full text. Layout comes from ingest/layout.ts;
 * the front matter from ingest/extract-meta.ts; headings from ingest/extract-sections.ts; the
 * reference list from ingest/references.ts.
 */
import type { ReferenceRecord } from '../db/papers.js';
import {
  arxivIdIn,
  findAbstract,
  findAuthors,
  findDoi,
  findTitle,
  stampYear,
  venueYear,
  yearOfArxivId,
  type ArxivRef,
} from './extract-meta.js';
import { findHeadings } from './extract-sections.js';
import { documentWords, normalizeTitle } from './extract-text.js';
import { bodyStyle, pageLines, rotatedText, type Line } from './layout.js';
import type { PageContent } from './pdf-text.js';
import { findFurniture, referenceSectionLines, referencesFromSection, type PageBox } from './references.js';

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

/** An arXiv id (and version) from a file name such as `2106.09685v2.pdf` or `hep-th_9901001.pdf`. */
export function arxivIdFromFileName(file: string): { id: string; version: number | null } | null {
  const base = file.split(/[\\/]/).pop() ?? '';
  const m = /(?<![\d.])(\d{4}\.\d{4,5})(?:v(\d+))?(?![\d])/.exec(base);
  if (m) return { id: m[1], version: m[2] ? Number(m[2]) : null };
  const old = /\b([a-z-]+(?:\.[A-Z]{2})?)[_/](\d{7})(?:v(\d+))?/.exec(base);

  return old ? { id: `${old[1]}/${old[2]}`, version: old[3] ? Number(old[3]) : null } : null;
}

/** Plain page text, one rebuilt line per text line. */
export function pageText(page: PageContent): string {
  return pageLines(page)
    .map((l) => l.text)
    .join('\n');
}

/** A stamp is an arXiv id followed by a category and a date, as arXiv prints it in the margin. */
const STAMP = /arxiv:\s*(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?\s*\[[^\]]{2,20}\]\s*\d{1,2}\s+\w{3}/i;

function findArxiv(first: PageContent | undefined, firstLines: readonly Line[], file: string): {
  ref: ArxivRef | null;
  stamp: string;
} {
  const rotated = first ? rotatedText(first) : '';
  const fromStamp = arxivIdIn(rotated);
  if (fromStamp) return { ref: fromStamp, stamp: rotated };
  const stampLine = firstLines.find((l) => STAMP.test(l.text));
  if (stampLine) return { ref: arxivIdIn(stampLine.text), stamp: stampLine.text };
  const fromName = arxivIdFromFileName(file);
  if (fromName) return { ref: fromName, stamp: '' };
  // Text on page 1 that names an arXiv id, outside footnotes that cite other papers.
  const header = firstLines.find((l) => /^(?:arxiv|preprint)\b.*\barxiv:/i.test(l.text) && arxivIdIn(l.text));

  return { ref: header ? arxivIdIn(header.text) : null, stamp: '' };
}

export function extractPaper(pages: PageContent[], file: string): ExtractedPaper {
  const linesByPage = pages.map((p) => pageLines(p));
  const lines = linesByPage.flat();
  const fullText = linesByPage.map((ls) => ls.map((l) => l.text).join('\n')).join('\n\f\n');
  const body = bodyStyle(lines);
  const first = pages[0];
  const firstLines = linesByPage[0] ?? [];

  const known = documentWords(fullText);
  const { ref, stamp } = findArxiv(first, firstLines, file);
  const t = findTitle(firstLines, first?.height ?? 792, known);

  // The abstract may start on page 2 (a cover page, a long author list).
  const frontLines = [...firstLines, ...(linesByPage[1] ?? [])];
  const abs = findAbstract(frontLines, t.end + 1, known);
  const authorsEnd = abs.start > t.end ? Math.min(abs.start, firstLines.length) : firstLines.length;
  const authors = t.end >= 0 ? findAuthors(firstLines, t.end + 1, authorsEnd) : [];
  let abstract = abs.text;
  if (abstract && t.title && normalizeTitle(abstract).startsWith(normalizeTitle(t.title))) abstract = null;

  const firstText = firstLines.map((l) => l.text).join('\n');
  const year =
    (ref ? yearOfArxivId(ref.id) : null) ?? venueYear(firstText) ?? stampYear(stamp) ?? null;

  const boxes = new Map<number, PageBox>(pages.map((p) => [p.number, { width: p.width, height: p.height }]));
  const furniture = findFurniture(linesByPage.map((ls, i) => ({ lines: ls, height: pages[i].height })));
  const section = referenceSectionLines(lines, body, furniture);
  const references = referencesFromSection(section, boxes, known);

  return {
    title: t.title,
    authors,
    year,
    abstract,
    arxivId: ref?.id ?? null,
    arxivVersion: ref?.version ?? null,
    doi: findDoi(firstText),
    headings: findHeadings(lines, body, new Set(section), known),
    references,
    fullText,
    pages: pages.length,
  };
}
