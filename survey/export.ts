/**
 * `surveyor export`: the outline in one of five formats, written atomically (a temporary
 * file renamed into place, so an interrupted export never leaves half a file). Papers not
 * classified yet, or classified by an older classifier or another embedding model, are
 * classified first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SurveyorError, throwIfAborted } from '../core/errors.js';
import type { StepOptions } from '../core/progress.js';
import { currentEmbeddingModel } from '../db/embeddings.js';
import type { Library } from '../db/library.js';
import { toBibtex } from './bibtex.js';
import { toGraphml } from './graphml.js';
import { buildOutline, type Outline, type OutlineOptions, type OutlinePaper } from './outline.js';
import { renderLatex, renderMarkdown } from './render.js';
import { CLASSIFIER_VERSION, classifyLibrary, type ClassifyOptions } from './taxonomy.js';

export const EXPORT_FORMATS = ['markdown', 'latex', 'bibtex', 'json', 'graphml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

export interface ExportOptions extends StepOptions, OutlineOptions {
  /** For LaTeX: the BibTeX file written beside it (default `references.bib` in the same folder). */
  bib?: string;
  /** Classify papers that need it first (default true). */
  classify?: boolean;
  encoder?: ClassifyOptions['encoder'];
}

export interface ExportReport {
  /** Every file written, the requested one first. */
  files: string[];
  papers: number;
  /** True when the taxonomy step ran before exporting. */
  classified: boolean;
}

/** True when some paper has no stored direction, or one made by another classifier or model or before it changed. */
export function needsClassifying(lib: Library): boolean {
  const row = lib.db
    .prepare(
      `SELECT count(*) AS n FROM papers p LEFT JOIN paper_directions d ON d.paper_id = p.id
        WHERE d.auto_direction IS NULL                         -- never classified
           OR d.classifier IS NULL OR d.classifier NOT LIKE ? || '+%'  -- by another classifier
           OR d.model IS NOT ?                                   -- with another model's vectors
           OR p.updated_at > d.classified_at                     -- the paper changed since`,
    )
    .get(CLASSIFIER_VERSION, currentEmbeddingModel(lib.db)) as { n: number };

  return row.n > 0;
}

/** Writes text to a file through a temporary file in the same folder. */
export function writeAtomically(file: string, text: string): void {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    throw new SurveyorError(
      'cannot-write',
      `${file}: cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

function allPapers(o: Outline): OutlinePaper[] {
  return [...o.sections.flatMap((s) => s.subsections.flatMap((x) => x.papers)), ...o.unclassified].sort(
    (a, b) => a.id - b.id,
  );
}

/** The BibTeX text for every paper of an outline. */
export function outlineBibtex(o: Outline): Promise<string> {
  return toBibtex(allPapers(o));
}

/** Classifies first when some paper needs it (and the library is writable); true when it ran. */
async function classifyIfNeeded(lib: Library, opts: ExportOptions): Promise<boolean> {
  if (opts.classify === false || lib.readonly || !needsClassifying(lib)) return false;
  await classifyLibrary(lib, { onProgress: opts.onProgress, signal: opts.signal, encoder: opts.encoder });

  return true;
}

/** Exports the library's outline in one format to `file` (LaTeX also writes its .bib beside it). */
export async function exportOutline(
  lib: Library,
  format: ExportFormat,
  file: string,
  opts: ExportOptions = {},
): Promise<ExportReport> {
  const classified = await classifyIfNeeded(lib, opts);
  throwIfAborted(opts.signal);
  const outline = buildOutline(lib, opts);
  const out = path.resolve(file);
  const files = [out];

  switch (format) {
    case 'markdown':
      writeAtomically(out, renderMarkdown(outline));
      break;
    case 'json':
      writeAtomically(out, JSON.stringify(outline, null, 2) + '\n');
      break;
    case 'bibtex':
      writeAtomically(out, await outlineBibtex(outline));
      break;
    case 'latex': {
      const bib = path.resolve(path.dirname(out), opts.bib ?? 'references.bib');
      if (path.dirname(bib) !== path.dirname(out)) {
        throw new SurveyorError('bad-option', `${bib}: the .bib must sit beside ${out} for bibtex to find it`);
      }
      writeAtomically(bib, await outlineBibtex(outline));
      writeAtomically(out, renderLatex(outline, path.basename(bib).replace(/\.bib$/i, '')));
      files.push(bib);
      break;
    }
    case 'graphml':
      writeAtomically(out, outlineGraphml(lib, outline));
      break;
  }

  return { files, papers: outline.counts.papers, classified };
}

function outlineGraphml(lib: Library, outline: Outline): string {
  return toGraphml(lib.db, new Map(allPapers(outline).map((p) => [p.id, p.key])));
}

/** One export as a single file's text, for the app (which offers it as a download). */
export interface ExportText {
  fileName: string;
  mime: string;
  content: string;
}

/**
 * The outline in one format as one text. LaTeX carries its bibliography inside, in a
 * `filecontents*` block that writes `references.bib` on the first pdflatex run, so the one
 * downloaded file compiles on its own.
 */
export async function exportText(lib: Library, format: ExportFormat, opts: ExportOptions = {}): Promise<ExportText> {
  await classifyIfNeeded(lib, opts);
  const outline = buildOutline(lib, opts);
  switch (format) {
    case 'markdown':
      return { fileName: 'outline.md', mime: 'text/markdown', content: renderMarkdown(outline) };
    case 'json':
      return { fileName: 'outline.json', mime: 'application/json', content: JSON.stringify(outline, null, 2) + '\n' };
    case 'bibtex':
      return { fileName: 'references.bib', mime: 'application/x-bibtex', content: await outlineBibtex(outline) };
    case 'latex': {
      const bib = await outlineBibtex(outline);
      const embedded = `\\begin{filecontents*}[overwrite]{references.bib}\n${bib}\\end{filecontents*}\n`;

      return {
        fileName: 'outline.tex',
        mime: 'application/x-tex',
        content: embedded + renderLatex(outline, 'references'),
      };
    }
    case 'graphml':
      return { fileName: 'graph.graphml', mime: 'application/graphml+xml', content: outlineGraphml(lib, outline) };
  }
}
