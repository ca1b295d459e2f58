/**
 * `surveyor import`: papers from metadata files (for libraries without PDFs,
 * and for measuring at scale). An imported paper has no PDF until one is
 * ingested; a PDF whose arXiv id or DOI matches fills the record in.
 */
import fs from 'node:fs';
import { serializeError, SurveyorError } from '../core/errors.js';
import type { StepOptions } from '../core/progress.js';
import type { Library } from '../db/library.js';
import { metadataOnlyPaper, storePaper } from '../db/papers.js';
import { readMetadataFile, type MetadataRecord } from './formats.js';
import { squash } from './text.js';

export interface ImportReport {
  added: { id: number; file: string; title: string | null }[];
  duplicates: { file: string; id: number; title: string | null; reason: string }[];
  failed: { file: string; error: string; code?: string }[];
  cancelled?: boolean;
}

interface Known {
  byArxiv: Map<string, number>;
  byDoi: Map<string, number>;
  byTitle: Map<string, number>;
}

function knownPapers(lib: Library): Known {
  const rows = lib.db.prepare('SELECT id, title, arxiv_id, doi FROM papers').all() as {
    id: number;
    title: string | null;
    arxiv_id: string | null;
    doi: string | null;
  }[];
  const known: Known = { byArxiv: new Map(), byDoi: new Map(), byTitle: new Map() };
  for (const r of rows) remember(known, r.id, { arxivId: r.arxiv_id, doi: r.doi, title: r.title });

  return known;
}

function remember(
  known: Known,
  id: number,
  r: { arxivId: string | null; doi: string | null; title: string | null },
): void {
  if (r.arxivId) known.byArxiv.set(r.arxivId, id);
  if (r.doi) known.byDoi.set(r.doi.toLowerCase(), id);
  if (r.title) known.byTitle.set(squash(r.title), id);
}

/** The stored paper a record describes: same arXiv id, same DOI, or (with neither) the same title. */
function existing(known: Known, r: MetadataRecord): { id: number; reason: string } | null {
  if (r.arxivId && known.byArxiv.has(r.arxivId))
    return { id: known.byArxiv.get(r.arxivId)!, reason: `arXiv ${r.arxivId} already in the library` };
  if (r.doi && known.byDoi.has(r.doi))
    return { id: known.byDoi.get(r.doi)!, reason: `DOI ${r.doi} already in the library` };
  if (!r.arxivId && !r.doi && r.title) {
    const id = known.byTitle.get(squash(r.title));
    if (id !== undefined) return { id, reason: 'same title already in the library' };
  }

  return null;
}

export async function importFiles(lib: Library, files: string[], opts: StepOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { added: [], duplicates: [], failed: [] };
  const known = knownPapers(lib);
  const setMeta = lib.db.prepare(
    `UPDATE papers SET categories = ?, imported_from = ?
      WHERE id = ? AND (categories = '[]' OR imported_from IS NOT NULL)`,
  );
  const fillCategories = lib.db.prepare("UPDATE papers SET categories = ? WHERE id = ? AND categories = '[]'");

  for (const file of files) {
    if (opts.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    let records: MetadataRecord[];
    try {
      if (!fs.existsSync(file)) throw new SurveyorError('not-found', `${file}: no such file`);
      if (fs.statSync(file).isDirectory())
        throw new SurveyorError('is-folder', `${file}: is a folder; give metadata files`);
      records = await readMetadataFile(file, fs.readFileSync(file, 'utf8'));
    } catch (err) {
      const e = serializeError(err);
      report.failed.push({
        file,
        error: err instanceof SurveyorError ? e.message : `${file}: ${e.message}`,
        code: e.code,
      });
      continue;
    }

    let done = 0;
    opts.onProgress?.({ phase: 'import', done, total: records.length, item: file });
    // Batches of papers per transaction: a crash loses at most the batch in flight, and 10,000
    // records store in seconds.
    const BATCH = 200;
    for (let start = 0; start < records.length; start += BATCH) {
      if (opts.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      lib.db.transaction(() => {
        for (const [offset, r] of records.slice(start, start + BATCH).entries()) {
          const where = `${file}: record ${start + offset + 1}`;
          if (!r.title && !r.arxivId && !r.doi) {
            report.failed.push({ file, error: `${where} has no title, arXiv id or DOI`, code: 'empty-record' });
            continue;
          }
          const same = existing(known, r);
          if (same) {
            if (r.categories.length > 0) fillCategories.run(JSON.stringify(r.categories), same.id);
            report.duplicates.push({ file, id: same.id, title: r.title, reason: same.reason });
            continue;
          }
          const outcome = storePaper(
            lib.db,
            metadataOnlyPaper({
              title: r.title,
              authors: r.authors,
              year: r.year,
              abstract: r.abstract,
              arxivId: r.arxivId,
              doi: r.doi,
            }),
          );
          setMeta.run(JSON.stringify(r.categories), file, outcome.id);
          remember(known, outcome.id, r);
          if (outcome.status === 'duplicate')
            report.duplicates.push({ file, id: outcome.id, title: r.title, reason: outcome.reason });
          else report.added.push({ id: outcome.id, file, title: r.title });
        }
      })();
      done = Math.min(records.length, start + BATCH);
      opts.onProgress?.({ phase: 'import', done, total: records.length, item: file });
    }
  }

  return report;
}
