/**
 * Recovery from a damaged library: copies every paper, reference and file row
 * that SQLite can still read into a new library (keeping paper ids), and lists
 * the stored PDFs beside the damaged file whose rows were lost, for the caller
 * to read again. The damaged file is only read, never changed.
 *
 * Derived data (embeddings, graph, clusters, directions) is not copied: `surveyor
 * build` and the embedding step make it again from the papers.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SurveyorError } from '../core/errors.js';
import { logger } from '../core/log.js';
import { filesDirFor } from '../core/paths.js';
import { openLibrary, type Library } from './library.js';

const log = logger('recover');

export interface RecoverOptions {
  /** The new library to write (must not exist yet). */
  out: string;
  /** Also write what was read as JSON here (papers with their references). */
  jsonOut?: string;
}

export interface RecoverReport {
  from: string;
  out: string;
  /** Papers copied from the damaged file with their references. */
  papers: number;
  references: number;
  /** Paper ids that could not be read (the damaged pages held them). */
  unreadable: number[];
  /** Stored PDFs beside the damaged file that no recovered row accounts for: to be read again. */
  lostFiles: string[];
  jsonOut?: string;
}

type Row = Record<string, unknown>;

/**
 * Reads rows of `table` in rowid order, stepping over damaged pages: when a scan
 * fails, single rows are probed one by one past the failure, and the scan resumes
 * at the next row that reads.
 */
function readRows(db: Database.Database, table: string, key: string, maxKey: number, lost: number[]): Row[] {
  const rows: Row[] = [];
  const scan = db.prepare(`SELECT ${key} AS k__, * FROM ${table} WHERE ${key} >= ? ORDER BY ${key}`);
  const one = db.prepare(`SELECT ${key} AS k__, * FROM ${table} WHERE ${key} = ?`);
  const keep = (r: Row) => {
    const { k__: k, ...rest } = r;
    rows.push(rest);

    return Number(k);
  };
  let from = 0;
  while (from <= maxKey) {
    try {
      for (const r of scan.iterate(from) as Iterable<Row>) from = keep(r) + 1;

      return rows;
    } catch (err) {
      log.debug(`readRows(): ${table} unreadable after ${key} ${from}`, (err as Error).message);
    }
    let found = false;
    for (; from <= maxKey && !found; from++) {
      try {
        const r = one.get(from) as Row | undefined;
        if (r) {
          keep(r);
          found = true;
        }
      } catch {
        lost.push(from);
      }
    }
  }

  return rows;
}

/** The highest key a table may hold, from whichever source still reads. */
function guessMaxKey(db: Database.Database, queries: string[]): number {
  let max = 0;
  for (const q of queries) {
    try {
      max = Math.max(max, Number((db.prepare(q).pluck().get() as number | null) ?? 0));
    } catch {
      // this source is damaged too; the others may still answer
    }
  }

  return max;
}

function columnsOf(db: Database.Database, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
}

function insertRows(target: Library, table: string, rows: Row[]): number {
  if (rows.length === 0) return 0;
  const have = columnsOf(target.db, table);
  let n = 0;
  for (const row of rows) {
    const cols = Object.keys(row).filter((c) => have.has(c));
    const sql = `INSERT OR IGNORE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    n += target.db.prepare(sql).run(...cols.map((c) => row[c] as unknown)).changes;
  }

  return n;
}

/** Copies what can be read from `from` into a new library at `opts.out`. */
export function recoverLibrary(from: string, opts: RecoverOptions): RecoverReport {
  const src = path.resolve(from);
  const out = path.resolve(opts.out);
  if (!fs.existsSync(src)) throw new SurveyorError('no-library', `${src}: no such file`);
  if (fs.existsSync(out)) throw new SurveyorError('exists', `${out}: already exists; choose another --out`);

  const report: RecoverReport = { from: src, out, papers: 0, references: 0, unreadable: [], lostFiles: [] };
  let papers: Row[] = [];
  let refs: Row[] = [];
  let files: Row[] = [];
  try {
    const db = new Database(src, { readonly: true, fileMustExist: true });
    try {
      const maxPaper = guessMaxKey(db, [
        'SELECT max(id) FROM papers',
        'SELECT max(paper_id) FROM paper_files',
        'SELECT max(paper_id) FROM refs',
        'SELECT max(rowid) FROM papers_fts',
      ]);
      papers = readRows(db, 'papers', 'id', maxPaper + 1000, report.unreadable);
      const maxRef = guessMaxKey(db, ['SELECT max(id) FROM refs']);
      refs = readRows(db, 'refs', 'id', maxRef + 1000, []);
      files = readRows(db, 'paper_files', 'rowid', guessMaxKey(db, ['SELECT max(rowid) FROM paper_files']) + 1000, []);
    } finally {
      db.close();
    }
  } catch (err) {
    // Nothing reads through SQLite (the header itself is damaged): the stored PDFs remain.
    log.warn(`recoverLibrary(): ${src} does not open as SQLite`, (err as Error).message);
  }

  // Only ids that turned out missing in between readable rows count as lost.
  const readIds = new Set(papers.map((p) => Number(p.id)));
  const maxRead = Math.max(0, ...readIds);
  report.unreadable = [...new Set(report.unreadable)].filter((id) => id >= 1 && id <= maxRead && !readIds.has(id));

  const target = openLibrary(out);
  try {
    target.db.transaction(() => {
      report.papers = insertRows(target, 'papers', papers);
      report.references = insertRows(target, 'refs', refs.filter((r) => readIds.has(Number(r.paper_id))));
      insertRows(target, 'paper_files', files.filter((f) => readIds.has(Number(f.paper_id))));

      // A paper whose file row was on a damaged page still names its current PDF by hash.
      target.db
        .prepare(
          `INSERT OR IGNORE INTO paper_files (content_hash, paper_id, arxiv_version, source_file)
           SELECT content_hash, id, arxiv_version, source_file FROM papers WHERE content_hash IS NOT NULL`,
        )
        .run();
    })();
    relinkStoredFiles(target, src);

    if (opts.jsonOut) {
      const byPaper = new Map<number, Row[]>();
      for (const r of refs) byPaper.set(Number(r.paper_id), [...(byPaper.get(Number(r.paper_id)) ?? []), r]);
      const dump = papers.map((p) => ({ ...p, references: byPaper.get(Number(p.id)) ?? [] }));
      fs.writeFileSync(opts.jsonOut, JSON.stringify({ from: src, papers: dump }, null, 1));
      report.jsonOut = path.resolve(opts.jsonOut);
    }
    report.lostFiles = storedPdfsWithoutRows(target, src);
  } finally {
    target.close();
  }

  return report;
}

/** Points the recovered rows at copies of their PDFs in the new library's folder. */
function relinkStoredFiles(target: Library, src: string): void {
  const oldDir = filesDirFor(src);
  const rows = target.db.prepare('SELECT id, content_hash FROM papers WHERE content_hash IS NOT NULL').all() as {
    id: number;
    content_hash: string;
  }[];
  const update = target.db.prepare('UPDATE papers SET file = ? WHERE id = ?');
  for (const r of rows) {
    const from = path.join(oldDir, `${r.content_hash}.pdf`);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(target.filesDir, { recursive: true });
    const to = path.join(target.filesDir, `${r.content_hash}.pdf`);
    if (!fs.existsSync(to)) fs.copyFileSync(from, to);
    update.run(to, r.id);
  }
}

/** The stored PDFs (named by their hash) beside the damaged library that no recovered row accounts for. */
function storedPdfsWithoutRows(target: Library, src: string): string[] {
  const dir = filesDirFor(src);
  if (!fs.existsSync(dir)) return [];
  const known = new Set(target.db.prepare('SELECT content_hash FROM paper_files').pluck().all() as string[]);

  return fs
    .readdirSync(dir)
    .filter((f) => /^[0-9a-f]{64}\.pdf$/.test(f) && !known.has(f.slice(0, 64)))
    .map((f) => path.join(dir, f));
}
