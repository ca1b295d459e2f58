/**
 * Rebuilds text lines from pdf.js text runs. pdf.js reports runs (pieces of a line in one font)
 * in content-stream order, which for LaTeX output is reading order, column by column. A line
 * keeps its position, size and font, because titles, headings and reference entries are found
 * by layout: the biggest type on page 1, a heading font, a hanging indent, a wider line gap.
 */
import { normalizeChars } from './extract-text.js';
import type { PageContent, TextItem } from './pdf-text.js';

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
}

interface Draft {
  parts: string[];
  x0: number;
  x1: number;
  y: number;
  chars: Map<string, number>;
  maxSize: number;
  lastSize: number;
}

function styleKey(it: TextItem): string {
  return `${it.size.toFixed(1)}|${it.font}`;
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

  return {
    page,
    text,
    x0: d.x0,
    x1: d.x1,
    y: d.y,
    size: Number(best.slice(0, bar)),
    font: best.slice(bar + 1),
    maxSize: d.maxSize,
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
      const jumpBack = it.x < c.x1 - 1.5 * em && it.x < c.x0 + 0.5 * em;
      const gutter = gap > 2.2 * em && !blank;
      if (breakNext || otherHeight || jumpBack || gutter) {
        // A blank run after a line end carries nothing; a raised footnote mark stays on its line.
        if (!(otherHeight && !breakNext && !jumpBack && !gutter && size < 0.8 * c.lastSize && gap < em)) flush();
      }
    }
    breakNext = it.eol;
    if (blank) {
      if (cur) (cur as Draft).parts.push(' ');
      continue;
    }
    if (cur === null) {
      cur = { parts: [], x0: it.x, x1: it.x, y: it.y, chars: new Map(), maxSize: size, lastSize: size };
    }
    const d: Draft = cur;
    const last = d.parts[d.parts.length - 1];
    if (d.parts.length && it.x - d.x1 > 0.12 * size && last !== ' ' && !/^\s/.test(it.str)) d.parts.push(' ');
    d.parts.push(it.str);
    d.x0 = Math.min(d.x0, it.x);
    d.x1 = Math.max(d.x1, it.x + Math.max(0, it.w));
    const key = styleKey({ ...it, size });
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
