/**
 * Text normalization shared by citation matching and the topic map: titles as
 * printed in bibliographies carry hyphenation, line breaks, ligatures, accents
 * and LaTeX leftovers that must not stop two spellings of one title matching.
 */

const LATEX_ACCENT = /\\[`'^"~=.uvHcdbkrt]\s*\{?\s*([A-Za-z])\s*\}?/g;
const LATEX_COMMAND = /\\[A-Za-z]+\*?/g;

/** Removes LaTeX accents, commands and braces, keeping the letters they wrap. */
export function stripLatex(text: string): string {
  return text
    .replace(LATEX_ACCENT, '$1')
    .replace(/\\([&%$#_])/g, '$1')
    .replace(LATEX_COMMAND, ' ')
    .replace(/[{}$]/g, '');
}

/**
 * Lower-case words without accents, ligatures or punctuation. Words split by a
 * hyphen at a line end are joined again ("trans-\nformers").
 */
export function normalizeTitle(text: string): string {
  return stripLatex(text)
    .replace(/(\p{L})-\s*\n\s*(\p{Ll})/gu, '$1$2')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The title with every space and punctuation mark removed: "Pre-Trained
 * Trans- formers" and "pretrained transformers" become one string, which makes
 * hyphenation and spacing accidents harmless.
 */
export function squash(text: string): string {
  return normalizeTitle(text).replace(/ /g, '');
}

/** arXiv ids (new style, and old style like `cs/0501001`) mentioned in a text, without versions. */
export function arxivIdsIn(text: string): string[] {
  const out = new Set<string>();
  const clean = text.replace(/-\s*\n\s*/g, '').replace(/\s*\.\s*(?=\d{4,5}\b)/g, '.');
  for (const m of clean.matchAll(
    /(?:arxiv[:\s./]*(?:abs\/|pdf\/)?|arxiv\.org\/(?:abs|pdf)\/|\b)(\d{4}\.\d{4,5})(?:v\d+)?\b/gi,
  )) {
    const id = m[1];
    const month = Number(id.slice(2, 4));
    if (month >= 1 && month <= 12) out.add(id);
  }
  for (const m of clean.matchAll(
    /\b((?:cs|math|stat|physics|q-bio|hep-th|cond-mat|quant-ph)(?:\.[A-Z]{2})?\/\d{7})\b/g,
  ))
    out.add(m[1]);

  return [...out];
}

/** DOIs mentioned in a text, lower-cased, trailing punctuation removed. */
export function doisIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.replace(/-\s*\n\s*/g, '-').matchAll(/\b10\.\d{4,9}\/[^\s"<>,;]+/g)) {
    out.add(m[0].replace(/[.)\]]+$/, '').toLowerCase());
  }

  return [...out];
}

/** A paper's arXiv id without the `arXiv:` prefix or version. */
export function cleanArxivId(id: string): string {
  return id
    .trim()
    .replace(/^arxiv:/i, '')
    .replace(/v\d+$/i, '');
}

// Function words and the stock vocabulary of abstracts, which say nothing about a topic.
const STOP = new Set(
  (
    'a about above after again against all also although am among an and any are as at be because been before ' +
    'being below between both but by can could did do does doing down during each either few for from further ' +
    'had has have having he her here hers him his how however i if in into is it its itself just may me might ' +
    'more most much must my no nor not now of off on once only or other our ours out over own per same she ' +
    'should so some such than that the their theirs them then there these they this those through thus to too ' +
    'under until up upon us very via was we were ' +
    'what when where whether which while who whom why will with within without would yet you your ' +
    'paper propose proposed proposes present presents show shows shown approach approaches method methods novel new ' +
    'results result based using use used study studies work works existing state art significantly significant ' +
    'furthermore moreover experiments experimental demonstrate demonstrates various extensive well first two three ' +
    'one able many different several provide provides including introduce introduces achieve achieves achieving ' +
    'outperforms outperform compared comparison respectively recent recently code available https github com www ' +
    'however thereby therefore problem problems task tasks et al e g i e'
  ).split(/\s+/),
);

/** A light English stemmer (plural endings only) so "models" and "model" are one term. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  if (word.endsWith('ies') && word.length > 5) return word.slice(0, -3) + 'y';
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(?:ss|us|is|ics)$/.test(word)) return word;
  if (word.endsWith('s')) return word.slice(0, -1);

  return word;
}

/**
 * The words of a text as the topic map reads them, each with its stem: words of 2+ letters,
 * accents and LaTeX removed, lower case; null marks a break (punctuation, a stop word, a number)
 * that no word pair may cross.
 */
function* topicWords(text: string): Generator<{ word: string; stem: string } | null> {
  const clean = stripLatex(text)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  for (const segment of clean.split(/[.,;:!?()[\]{}"“”'‘’/|]+\s|[()[\]{}"“”|;]/u)) {
    yield null;
    for (const raw of segment.match(/[\p{L}\p{N}][\p{L}\p{N}-]*/gu) ?? []) {
      const word = raw.replace(/-+$/g, '');
      yield word.length < 2 || STOP.has(word) || /^\d/.test(word) ? null : { word, stem: stem(word) };
    }
  }
}

/**
 * Topic terms of a text: stemmed words of 2+ letters, stop words removed, plus
 * adjacent word pairs that no punctuation or stop word separates.
 */
export function topicTerms(text: string, withBigrams = true): string[] {
  const terms: string[] = [];
  let prev: string | null = null;
  for (const w of topicWords(text)) {
    if (w === null) {
      prev = null;
      continue;
    }
    terms.push(w.stem);
    if (withBigrams && prev) terms.push(`${prev} ${w.stem}`);
    prev = w.stem;
  }

  return terms;
}

/**
 * How to show each of `stems` to a reader: the stem itself where the texts use it as a word at
 * least a quarter as often as the commonest word it stands for ("model"), else that word
 * ("vertice" → "vertices", "sery" → "series"); either way with the accents the texts write
 * ("schrodinger" → "schrödinger"). Stems the texts never use map to themselves.
 */
export function surfaceForms(texts: string[], stems: Set<string>): Map<string, string> {
  // The words each stem can come from (see stem), so that one plain pass over the texts counts them.
  const from = new Map<string, string>();
  for (const s of stems) {
    for (const w of [s, `${s}s`, `${s}es`, s.endsWith('y') ? `${s.slice(0, -1)}ies` : '']) {
      if (w && stem(w) === s && !from.has(w)) from.set(w, s);
    }
  }
  // Per stem: each way the texts write it (accents kept), with its count and its unaccented form.
  const seen = new Map<string, Map<string, { count: number; plain: string }>>();
  for (const text of texts) {
    for (const w of text.toLowerCase().match(/[\p{L}\p{M}]+/gu) ?? []) {
      const plain = /^[\x00-\x7f]*$/.test(w) ? w : w.normalize('NFKD').replace(/\p{M}+/gu, '');
      const s = from.get(plain);
      if (s === undefined) continue;
      const forms = seen.get(s) ?? seen.set(s, new Map()).get(s)!;
      const f = forms.get(w) ?? forms.set(w, { count: 0, plain }).get(w)!;
      f.count++;
    }
  }
  const out = new Map<string, string>();
  for (const s of stems) {
    const forms = [...(seen.get(s) ?? [])].sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : 1));
    const itself = forms.filter(([, f]) => f.plain === s);
    const uses = itself.reduce((sum, [, f]) => sum + f.count, 0);
    out.set(s, forms.length === 0 ? s : uses * 4 >= forms[0][1].count ? itself[0][0] : forms[0][0]);
  }

  return out;
}
