/**
 * Rebuilds text lines from pdf.js text runs. pdf.js reports runs (pieces of a line in one font)
 * in content-stream order, which for LaTeX output is reading order, column by column. A line
 * keeps its position, size and font, because titles, headings and reference entries are found
 * by layout: the biggest type on page 1, a heading font, a hanging indent, a wider line gap.
 */
import { normalizeChars } from './extract-text.js';
import type { PageContent } from './pdf-text.js';

export interface Line {
  /** 1-based page number. */
  page: number;
  text: string;
  /** Left and right edge, and baseline, in PDF units (y grows upwards). */
  x0: number;
  x1: number;
  y: number;
  /** Font size and font of most of the line's characters. */
  size: number;
  font: string;
  /** The largest font size on the line (a title's capital can be larger than its small caps). */
  maxSize: number;
  /**
   * The line's pieces between wide gaps and raised marks, when there are several: the names on an
   * author line ("Tri Dao†  Daniel Y. Fu†" gives "Tri Dao", "Daniel Y. Fu").
   */
  segments?: string[];
}

interface Draft {
  parts: string[];
  segs: string[];
  seg: string;
  x0: number;
  x1: number;
  y: number;
  chars: Map<string, number>;
  maxSize: number;
  lastSize: number;
}

function styleKey(size: number, font: string): string {
  return `${size.toFixed(1)}|${font}`;
}

function finish(d: Draft, page: number): Line | null {
  const text = normalizeChars(d.parts.join('')).replace(/\s+/g, ' ').trim();
  if (!text) return null;
  let best = '';
  let bestN = -1;
  for (const [k, n] of d.chars) {
    if (n > bestN) {
      best = k;
      bestN = n;
    }
  }
  const bar = best.indexOf('|');
  const segments = [...d.segs, d.seg]
    .map((x) => normalizeChars(x).replace(/\s+/g, ' ').trim())
    .filter(Boolean);

  return {
    page,
    text,
    x0: d.x0,
    x1: d.x1,
    y: d.y,
    size: Number(best.slice(0, bar)),
    font: best.slice(bar + 1),
    maxSize: d.maxSize,
    ...(segments.length > 1 ? { segments } : {}),
  };
}

/**
 * The page's lines in content order. A run starts a new line when pdf.js marked the previous
 * run as a line end, when it sits at another height, when it jumps back left, or when a gap of
 * several ems separates it from the previous run (the gutter between two columns).
 */
export function pageLines(page: PageContent): Line[] {
  const lines: Line[] = [];
  let cur: Draft | null = null;
  let breakNext = false;

  const flush = (): void => {
    if (cur) {
      const line = finish(cur, page.number);
      if (line) lines.push(line);
    }
    cur = null;
  };

  for (const it of page.items) {
    if (it.rotated) continue;
    const size = it.size > 0 && Number.isFinite(it.size) ? it.size : 10;
    if (!it.str) {
      if (it.eol) breakNext = true;
      continue;
    }
    const blank = !it.str.trim();
    if (cur !== null) {
      const c: Draft = cur;
      const em = Math.max(size, c.lastSize);
      const gap = it.x - c.x1;
      const otherHeight = Math.abs(it.y - c.y) > 0.55 * em;
      // Text on a line never runs backwards: a run well left of the line's end starts another line
      // (a figure label set beside the text, the next column's line in row-ordered PDFs).
      const jumpBack = it.x < c.x1 - 1.5 * em;
      const gutter = gap > 2.2 * em && !blank;
      if (breakNext || otherHeight || jumpBack || gutter) {
        // A blank run after a line end carries nothing; a raised footnote mark stays on its line.
        if (!(otherHeight && !breakNext && !jumpBack && !gutter && size < 0.8 * c.lastSize && gap < em)) flush();
      }
    }
    breakNext = it.eol;
    if (blank) {
      if (cur) {
        (cur as Draft).parts.push(' ');
        (cur as Draft).seg += ' ';
      }
      continue;
    }
    if (cur === null) {
      cur = {
        parts: [],
        segs: [],
        seg: '',
        x0: it.x,
        x1: it.x,
        y: it.y,
        chars: new Map(),
        maxSize: size,
        lastSize: size,
      };
    }
    const d: Draft = cur;
    const last = d.parts[d.parts.length - 1];
    const gap = it.x - d.x1;
    if (d.parts.length && gap > 0.12 * size && last !== ' ' && !/^\s/.test(it.str)) d.parts.push(' ');
    d.parts.push(it.str);
    const raised = d.parts.length > 1 && size < 0.85 * d.maxSize && Math.abs(it.y - d.y) > 0.15 * size;
    if (raised || (d.parts.length > 1 && gap > 0.8 * size)) {
      d.segs.push(d.seg);
      d.seg = '';
    }
    if (!raised) d.seg += (d.seg && gap > 0.12 * size && !/^\s/.test(it.str) ? ' ' : '') + it.str;
    d.x0 = Math.min(d.x0, it.x);
    d.x1 = Math.max(d.x1, it.x + Math.max(0, it.w));
    const key = styleKey(size, it.font);
    d.chars.set(key, (d.chars.get(key) ?? 0) + it.str.length);
    if (size > d.maxSize * 1.05 || (size >= 0.8 * d.maxSize && it.str.trim().length > 1 && d.parts.length <= 2)) {
      // The line's baseline is that of its main text, not of a raised mark that began it.
      if (size >= d.maxSize * 0.95) d.y = it.y;
    }
    d.maxSize = Math.max(d.maxSize, size);
    d.lastSize = size;
  }
  flush();

  return lines;
}

/** The text of the rotated runs on a page (the arXiv stamp in the left margin). */
export function rotatedText(page: PageContent): string {
  return normalizeChars(page.items.filter((i) => i.rotated).map((i) => i.str).join(''));
}

/** The most common (size, font) among the lines' characters: the body text style. */
export function bodyStyle(lines: readonly Line[]): { size: number; font: string } {
  const counts = new Map<string, number>();
  for (const l of lines) {
    const k = `${l.size}|${l.font}`;
    counts.set(k, (counts.get(k) ?? 0) + l.text.length);
  }
  let best = '10|';
  let n = -1;
  for (const [k, c] of counts) {
    if (c > n) {
      best = k;
      n = c;
    }
  }
  const bar = best.indexOf('|');

  return { size: Number(best.slice(0, bar)), font: best.slice(bar + 1) };
}

/** Median of the numbers (0 for none). */
export function median(xs: readonly number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;

  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
