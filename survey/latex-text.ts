/**
 * Plain text (titles, abstracts, names as PDFs give them) made safe for pdflatex: the ten
 * special characters escaped, accented Latin letters written as accent commands, common
 * punctuation and Greek letters spelled out, and anything pdflatex cannot typeset without
 * extra packages dropped rather than left to stop the compilation.
 */

const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '%': '\\%',
  '~': '\\textasciitilde{}',
};

// Combining marks (after NFD) and the accent command each becomes.
const ACCENTS: Record<string, string> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0306': 'u',
  '\u0307': '.',
  '\u0308': '"',
  '\u030a': 'r',
  '\u030b': 'H',
  '\u030c': 'v',
  '\u0327': 'c',
  '\u0328': 'k',
};

const LETTERS: Record<string, string> = {
  ß: '{\\ss}',
  æ: '{\\ae}',
  Æ: '{\\AE}',
  ø: '{\\o}',
  Ø: '{\\O}',
  ł: '{\\l}',
  Ł: '{\\L}',
  œ: '{\\oe}',
  Œ: '{\\OE}',
  ı: '{\\i}',
  '\u2018': '`',
  '\u2019': "'",
  '\u201c': '``',
  '\u201d': "''",
  '\u2013': '--',
  '\u2014': '---',
  '\u2026': '\\ldots{}',
  '\u00a0': '~',
  '\u00d7': '$\\times$',
  '\u2212': '$-$',
  '\u2264': '$\\leq$',
  '\u2265': '$\\geq$',
  '\u2248': '$\\approx$',
  '\u2192': '$\\rightarrow$',
  '\u00b1': '$\\pm$',
  '\u00b0': '$^\\circ$',
  '\u221e': '$\\infty$',
};

const GREEK = (
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron ' +
  'pi rho sigma sigma tau upsilon phi chi psi omega'
).split(' ');

function greek(ch: string): string | null {
  const code = ch.codePointAt(0)!;
  if (code >= 0x3b1 && code <= 0x3c9) {
    const name = GREEK[code - 0x3b1]!;
    return name === 'omicron' ? 'o' : `$\\${name}$`;
  }
  if (code >= 0x391 && code <= 0x3a9) {
    const name = GREEK[code - 0x391]!;
    const upper = name[0]!.toUpperCase() + name.slice(1);
    // Greek capitals that look like Latin ones have no command of their own.
    return ['Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega'].includes(upper)
      ? `$\\${upper}$`
      : name[0]!.toUpperCase();
  }

  return null;
}

/** Escapes plain text for LaTeX (pdflatex, no extra packages). */
export function latexText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (SPECIAL[ch]) out += SPECIAL[ch];
    else if (ch.charCodeAt(0) < 0x80) out += ch;
    else if (LETTERS[ch]) out += LETTERS[ch];
    else out += accented(ch) ?? greek(ch) ?? '';
  }

  return out;
}

/** An accented Latin letter as accent commands (é → \'{e}), or null. */
function accented(ch: string): string | null {
  const [base, ...marks] = [...ch.normalize('NFD')];
  if (!base || marks.length === 0 || base.charCodeAt(0) >= 0x80 || !/[A-Za-z]/.test(base)) return null;
  let out = base === 'i' || base === 'j' ? `\\${base}` : base;
  for (const m of marks) {
    const cmd = ACCENTS[m];
    if (!cmd) return null;
    out = `{\\${cmd}{${out}}}`;
  }

  return out;
}

/** Folds text to plain ASCII letters and digits (for citation keys). */
export function asciiFold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[^A-Za-z0-9]+/g, '');
}
