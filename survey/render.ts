/**
 * The outline rendered as Markdown (pandoc-style `[@key]` citations) and as LaTeX
 * (`\section`, `\subsection`, `\cite{key}`, compiled against the exported BibTeX file).
 */
import { latexText } from './latex-text.js';
import { countsLine, type Outline, type OutlineMissing, type OutlinePaper } from './outline.js';

function markdownText(text: string): string {
  return text
    .replace(/([\\`*_[\]<>#|])/g, '\\$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function arxivLink(id: string): string {
  return `[arXiv:${id}](https://arxiv.org/abs/${id})`;
}

function markdownPaper(p: OutlinePaper): string {
  const year = p.year ? ` (${p.year})` : '';
  const summary = p.summary ? ` ${markdownText(p.summary)}` : '';
  const link = p.arxivId ? ` · ${arxivLink(p.arxivId)}` : p.doi ? ` · [doi:${p.doi}](https://doi.org/${p.doi})` : '';

  return `- **${markdownText(p.title)}**${year}.${summary} [@${p.key}]${link}`;
}

function missingWhere(m: OutlineMissing): string {
  return m.arxivId ? ` · ${arxivLink(m.arxivId)}` : m.doi ? ` · [doi:${m.doi}](https://doi.org/${m.doi})` : '';
}

export function renderMarkdown(o: Outline): string {
  const out: string[] = [`# ${markdownText(o.title)}`, '', countsLine(o), ''];
  for (const s of o.sections) {
    out.push(`## ${s.name}`, '', `_${markdownText(s.description)}_ ${s.count} paper${s.count === 1 ? '' : 's'}.`, '');
    if (s.count === 0) out.push('No papers in this direction yet.', '');
    for (const sub of s.subsections) {
      out.push(`### ${markdownText(sub.label)}`, '');
      for (const p of sub.papers) out.push(markdownPaper(p));
      out.push('');
    }
  }
  if (o.unclassified.length) {
    out.push('## Not classified yet', '');
    for (const p of o.unclassified) out.push(markdownPaper(p));
    out.push('');
  }
  out.push('## Missing papers most cited by the library', '');
  if (o.missing.length === 0) out.push('None: no paper outside the library is cited by two or more of its papers.', '');
  o.missing.forEach((m, i) => {
    const year = m.year ? ` (${m.year})` : '';
    out.push(
      `${i + 1}. ${markdownText(m.title ?? m.arxivId ?? m.doi ?? 'untitled')}${year}, ` +
        `cited by ${m.citedBy} papers of the library${missingWhere(m)}`,
    );
  });
  if (o.missing.length) out.push('');

  return out.join('\n');
}

function latexPaper(p: OutlinePaper): string {
  const year = p.year ? ` (${p.year})` : '';
  const summary = p.summary ? ` ${latexText(p.summary)}` : '';

  return `  \\item \\textbf{${latexText(p.title)}}${year}.${summary}~\\cite{${p.key}}`;
}

/** LaTeX for pdflatex with no package beyond the article class; `bib` names the .bib file without extension. */
export function renderLatex(o: Outline, bib = 'references'): string {
  const out: string[] = [
    '\\documentclass[11pt]{article}',
    '% Made by Surveyor: compile with pdflatex, bibtex, pdflatex, pdflatex.',
    `\\title{${latexText(o.title)}}`,
    '\\date{}',
    '\\begin{document}',
    '\\maketitle',
    '',
    `\\noindent ${latexText(countsLine(o))}`,
    '',
  ];
  for (const s of o.sections) {
    out.push(
      `\\section{${latexText(s.name)}}`,
      '',
      `\\emph{${latexText(s.description)}} ${s.count} paper${s.count === 1 ? '' : 's'}.`,
      '',
    );
    if (s.count === 0) out.push('No papers in this direction yet.', '');
    for (const sub of s.subsections) {
      out.push(`\\subsection{${latexText(sub.label)}}`, '\\begin{itemize}');
      for (const p of sub.papers) out.push(latexPaper(p));
      out.push('\\end{itemize}', '');
    }
  }
  if (o.unclassified.length) {
    out.push('\\section{Not classified yet}', '\\begin{itemize}');
    for (const p of o.unclassified) out.push(latexPaper(p));
    out.push('\\end{itemize}', '');
  }
  out.push('\\section{Missing papers most cited by the library}', '');
  if (o.missing.length === 0) out.push('None: no paper outside the library is cited by two or more of its papers.', '');
  else {
    out.push('\\begin{enumerate}');
    for (const m of o.missing) {
      const year = m.year ? ` (${m.year})` : '';
      const where = m.arxivId ? `, arXiv:${latexText(m.arxivId)}` : m.doi ? `, doi:${latexText(m.doi)}` : '';
      out.push(
        `  \\item ${latexText(m.title ?? m.arxivId ?? m.doi ?? 'untitled')}${year}, ` +
          `cited by ${m.citedBy} papers of the library${where}.`,
      );
    }
    out.push('\\end{enumerate}', '');
  }
  out.push('\\bibliographystyle{plain}', `\\bibliography{${bib}}`, '', '\\end{document}', '');

  return out.join('\n');
}
