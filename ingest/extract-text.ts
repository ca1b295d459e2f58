/**
 * Text clean-up shared by every extractor: Unicode compatibility forms (ligatures, full-width
 * letters), soft hyphens, hyphenation across line ends, and whitespace.
 */

/** Spacing accents that NFKC leaves alone, as the combining marks they stand for. */
const SPACING_ACCENTS: Record<string, string> = {
  ˆ: '\u0302',
  ˇ: '\u030c',
  '˘': '\u0306',
  '˙': '\u0307',
  '˚': '\u030a',
};

/** NFKC turns ligatures (ﬁ ﬂ ﬀ) into letters; the replacements catch what NFKC leaves alone. */
export function normalizeChars(s: string): string {
  // Most runs are plain printable ASCII, which NFKC and the accent repairs leave unchanged.
  if (/^[\x20-\x5f\x61-\x7e]*$/.test(s)) return s;

  return s
    .normalize('NFKC')
    // LaTeX accents come as a spacing accent before the letter ("D ́epartement"); NFKC made it
    // a space plus a combining mark, which belongs after the letter.
    .replace(/(?<=\p{L})`(?=[aeiouAEIOU])/gu, '\u0300')
    .replace(/[ˆˇ˘˙˚]/g, (c) => SPACING_ACCENTS[c] ?? c)
    .replace(/ ?([\u0300-\u036f])([A-Za-zı])/g, '$2$1')
    .replace(/ı(?=[\u0300-\u036f])/g, 'i')
    .normalize('NFC')
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u2010\u2011]/g, '-')
    .replace(/\u00a0|\u2009|\u202f/g, ' ');
}

export function collapseSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Joins text lines into one paragraph. A line that ends with a hyphen after a letter and is
 * followed by a lowercase word is usually a word broken by the layout ("repre-" + "sentation"),
 * so the hyphen goes; it stays when the document spells that word with a hyphen elsewhere
 * (`known` holds such words, lowercase, e.g. "pre-training"), or when the part before it is
 * already a compound ("state-of-" + "the-art") or an acronym ("BERT-" + "based").
 */
export function joinLines(lines: readonly string[], known: ReadonlySet<string> = EMPTY): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (!out) {
      out = line;
      continue;
    }
    const hy = /([A-Za-z\u00c0-\u024f]+)-$/.exec(out);
    const next = /^[A-Za-z\u00c0-\u024f]+/.exec(line)?.[0] ?? '';
    if (hy && next) {
      const before = out.slice(0, out.length - 1 - hy[1].length);
      const pair = `${hy[1]}-${next}`.toLowerCase();
      const word = `${hy[1]}${next}`.toLowerCase();
      let keep: boolean;
      if (known.has(pair)) keep = true;
      else if (known.has(word)) keep = false;
      // Two words the paper uses on their own ("deeply-" + "supervised") make a compound.
      else if (hy[1].length >= 3 && next.length >= 3 && known.has(hy[1].toLowerCase()) && known.has(next)) keep = true;
      // "end-" + "to-end", "state-of-" + "the-art", "BERT-" + "based", "Pre-" + "Training": the author's hyphen.
      else {
        keep =
          /^[A-Za-z\u00c0-\u024f]+-/.test(line) ||
          /-$/.test(before) ||
          /^[A-Z0-9]{2,}$/.test(hy[1]) ||
          /^[A-Z0-9]/.test(next);
      }
      out = keep ? out + line : out.slice(0, -1) + line;
    } else if ((/[-/]$/.test(out) && /^[A-Za-z0-9]/.test(line)) || (/https?:$/.test(out) && /^\/\//.test(line))) {
      // "GPT-" + "4", a URL broken after "/" or "https:": joined without a space.
      out += line;
    } else {
      out += ' ' + line;
    }
  }

  return collapseSpaces(out);
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * The document's own spellings, lowercase: its words and its hyphenated words as written inside
 * lines (line ends aside), so that "pre-" + "training" is joined the way the paper writes it.
 */
export function documentWords(text: string): Set<string> {
  const out = new Set<string>();
  // Words broken at a line end are not spellings: leave both halves out.
  const inner = text.replace(/[A-Za-z\u00c0-\u024f]+-\n[A-Za-z\u00c0-\u024f]+/g, ' ');
  for (const m of inner.matchAll(/[A-Za-z\u00c0-\u024f]+(?:-[A-Za-z\u00c0-\u024f]+)*/g)) {
    const w = m[0].toLowerCase();
    out.add(w);
    if (w.includes('-')) {
      const parts = w.split('-');
      for (let i = 0; i + 1 < parts.length; i++) out.add(`${parts[i]}-${parts[i + 1]}`);
    }
  }

  return out;
}

/** Lowercase letters and digits separated by single spaces: the form titles are compared in. */
export function normalizeTitle(s: string): string {
  return normalizeChars(s)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
