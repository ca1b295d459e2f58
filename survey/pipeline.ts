/**
 * The main job in one call: ingest PDFs, embed and build the graph, classify, and write
 * outline.md, outline.tex, references.bib and graph.graphml into a folder. Each step keeps
 * what it finished if a later one fails or the run is cancelled.
 */
import path from 'node:path';
import { SurveyorError, throwIfAborted } from '../core/errors.js';
import type { StepOptions } from '../core/progress.js';
import type { Library } from '../db/library.js';
import { buildGraph, type BuildReport } from '../graph/build.js';
import { ingestPaths, type IngestReport } from '../ingest/ingest.js';
import { exportOutline } from './export.js';
import { classifyLibrary, type ClassifyReport } from './taxonomy.js';

export interface SurveyOptions extends StepOptions {
  title?: string;
  missingLimit?: number;
  /** An encoder model folder for the embedding step. */
  model?: string;
}

export interface SurveyReport {
  ingest: Pick<IngestReport, 'added' | 'duplicates' | 'failed'>;
  build: BuildReport;
  classify: ClassifyReport;
  /** The files written, in the order outline.md, outline.tex, references.bib, graph.graphml. */
  files: string[];
}

export async function runSurvey(
  lib: Library,
  inputs: string[],
  outDir: string,
  opts: SurveyOptions = {},
): Promise<SurveyReport> {
  const step = { onProgress: opts.onProgress, signal: opts.signal };
  const ingest = await ingestPaths(lib, inputs, step);
  if (ingest.cancelled) throwIfAborted(opts.signal);
  const papers = (lib.db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  if (papers === 0) {
    const why = ingest.failed.length
      ? ingest.failed.map((f) => f.error).join('; ')
      : `no PDF found in ${inputs.join(', ')}`;
    throw new SurveyorError('empty-library', `nothing to survey: the library holds no papers (${why})`);
  }

  const build = await buildGraph(lib, { ...step, model: opts.model });
  throwIfAborted(opts.signal);
  const classify = await classifyLibrary(lib, { ...step, model: opts.model });

  const dir = path.resolve(outDir);
  const outline = { ...step, title: opts.title, missingLimit: opts.missingLimit, classify: false };
  const md = await exportOutline(lib, 'markdown', path.join(dir, 'outline.md'), outline);
  const tex = await exportOutline(lib, 'latex', path.join(dir, 'outline.tex'), { ...outline, bib: 'references.bib' });
  const graphml = await exportOutline(lib, 'graphml', path.join(dir, 'graph.graphml'), outline);

  return {
    ingest: { added: ingest.added, duplicates: ingest.duplicates, failed: ingest.failed },
    build,
    classify,
    files: [...md.files, ...tex.files, ...graphml.files],
  };
}
