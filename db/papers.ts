import type Database from 'better-sqlite3';

/** A reference as parsed from a paper's bibliography. */
export interface ReferenceRecord {
  raw: string;
  title: string | null;
  authors: string[];
  year: number | null;
  arxivId: string | null;
  doi: string | null;
}

/** What ingestion or import hands to the library for one paper. */
export interface PaperInput {
  title: string | null;
  authors: string[];
  year: number | null;
  abstract: string | null;
  arxivId: string | null;
  arxivVersion: number | null;
  doi: string | null;
  pages: number | null;
  headings: string[];
  fullText: string | null;
  contentHash: string | null;
  file: string | null;
  sourceFile: string | null;
  references: ReferenceRecord[];
}

/** The `surveyor papers --json` row. Later steps add fields; none is renamed. */
export interface PaperSummary {
  id: number;
  title: string | null;
  authors: string[];
  year: number | null;
  arxivId: string | null;
  doi: string | null;
  abstract: string | null;
  pages: number | null;
  referenceCount: number;
  file: string | null;
}

export interface PaperDetail extends PaperSummary {
  arxivVersion: number | null;
  versions: number[];
  headings: string[];
  sourceFile: string | null;
  addedAt: string;
  references: (ReferenceRecord & { idx: number })[];
}

/**
 * A record known only from metadata (an import, a BibTeX entry): no PDF, text or references yet.
 * Matching by arXiv id or DOI later joins a PDF of the same paper to it.
 */
export function metadataOnlyPaper(
  fields: Pick<PaperInput, 'title' | 'authors'> & Partial<Pick<PaperInput, 'year' | 'abstract' | 'arxivId' | 'doi'>>,
): PaperInput {
  return {
    year: null,
    abstract: null,
    arxivId: null,
    doi: null,
    ...fields,
    arxivVersion: null,
    pages: null,
    headings: [],
    fullText: null,
    contentHash: null,
    file: null,
    sourceFile: null,
    references: [],
  };
}

export type StoreOutcome =
  | { status: 'added'; id: number }
  | { status: 'updated'; id: number; previousVersion: number | null }
  | { status: 'duplicate'; id: number; reason: string };

interface PaperRow {
  id: number;
  title: string | null;
  authors: string;
  year: number | null;
  abstract: string | null;
  arxiv_id: string | null;
  arxiv_version: number | null;
  doi: string | null;
  pages: number | null;
  headings: string;
  file: string | null;
  source_file: string | null;
  added_at: string;
  reference_count: number;
}

const SUMMARY_COLUMNS = `p.id, p.title, p.authors, p.year, p.abstract, p.arxiv_id, p.arxiv_version, p.doi, p.pages,
  p.headings, p.file, p.source_file, p.added_at,
  (SELECT count(*) FROM refs r WHERE r.paper_id = p.id) AS reference_count`;

function toSummary(r: PaperRow): PaperSummary {
  return {
    id: r.id,
    title: r.title,
    authors: JSON.parse(r.authors) as string[],
    year: r.year,
    arxivId: r.arxiv_id,
    doi: r.doi,
    abstract: r.abstract,
    pages: r.pages,
    referenceCount: r.reference_count,
    file: r.file,
  };
}

export function findPaperByHash(db: Database.Database, hash: string): number | null {
  const row = db.prepare('SELECT paper_id FROM paper_files WHERE content_hash = ?').get(hash) as { paper_id: number } | undefined;

  return row?.paper_id ?? null;
}

function findExisting(db: Database.Database, p: PaperInput): { id: number; arxiv_version: number | null; file: string | null } | undefined {
  if (p.arxivId) {
    const row = db.prepare('SELECT id, arxiv_version, file FROM papers WHERE arxiv_id = ?').get(p.arxivId) as
      | { id: number; arxiv_version: number | null; file: string | null }
      | undefined;
    if (row) return row;
  }
  if (p.doi) {
    return db.prepare('SELECT id, arxiv_version, file FROM papers WHERE lower(doi) = lower(?)').get(p.doi) as
      | { id: number; arxiv_version: number | null; file: string | null }
      | undefined;
  }

  return undefined;
}

function replaceReferences(db: Database.Database, paperId: number, refs: ReferenceRecord[]): void {
  db.prepare('DELETE FROM refs WHERE paper_id = ?').run(paperId);
  const ins = db.prepare(
    'INSERT INTO refs (paper_id, idx, raw, title, authors, year, arxiv_id, doi) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  refs.forEach((r, i) => ins.run(paperId, i, r.raw, r.title, JSON.stringify(r.authors), r.year, r.arxivId, r.doi));
}

function writeFields(db: Database.Database, id: number, p: PaperInput): void {
  db.prepare(
    `UPDATE papers SET title = ?, authors = ?, year = ?, abstract = ?, arxiv_id = coalesce(?, arxiv_id), arxiv_version = ?,
       doi = coalesce(?, doi), pages = ?, headings = ?, full_text = ?, content_hash = ?, file = ?, source_file = ?,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
     WHERE id = ?`,
  ).run(
    p.title,
    JSON.stringify(p.authors),
    p.year,
    p.abstract,
    p.arxivId,
    p.arxivVersion,
    p.doi,
    p.pages,
    JSON.stringify(p.headings),
    p.fullText,
    p.contentHash,
    p.file,
    p.sourceFile,
    id,
  );
}

/**
 * Stores one ingested paper in a single transaction (a crash never leaves half a
 * paper). The same PDF twice is one paper; two arXiv versions of one paper are
 * one paper that keeps the newest version and remembers the others; a PDF whose
 * arXiv id or DOI matches an imported record without a PDF fills that record in.
 */
export function storePaper(db: Database.Database, p: PaperInput): StoreOutcome {
  return db
    .transaction((): StoreOutcome => {
      if (p.contentHash) {
        const same = findPaperByHash(db, p.contentHash);
        if (same !== null) return { status: 'duplicate', id: same, reason: 'same file already in the library' };
      }
      const existing = findExisting(db, p);
      const remember = (id: number) => {
        if (p.contentHash) {
          db.prepare('INSERT INTO paper_files (content_hash, paper_id, arxiv_version, source_file) VALUES (?, ?, ?, ?)').run(
            p.contentHash,
            id,
            p.arxivVersion,
            p.sourceFile,
          );
        }
      };
      if (existing) {
        remember(existing.id);
        const newer = (p.arxivVersion ?? 0) > (existing.arxiv_version ?? 0);
        if (existing.file === null || newer) {
          writeFields(db, existing.id, p);
          replaceReferences(db, existing.id, p.references);

          return { status: 'updated', id: existing.id, previousVersion: existing.arxiv_version };
        }
        const reason = p.arxivId
          ? `arXiv ${p.arxivId}${p.arxivVersion ? 'v' + p.arxivVersion : ''} is not newer than the stored v${existing.arxiv_version ?? '?'}`
          : 'same DOI already in the library';

        return { status: 'duplicate', id: existing.id, reason };
      }
      const info = db.prepare('INSERT INTO papers (title) VALUES (NULL)').run();
      const id = Number(info.lastInsertRowid);
      writeFields(db, id, p);
      replaceReferences(db, id, p.references);
      remember(id);

      return { status: 'added', id };
    })
    .immediate();
}

export function listPapers(db: Database.Database): PaperSummary[] {
  const rows = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM papers p ORDER BY p.id`).all() as PaperRow[];

  return rows.map(toSummary);
}

/** Resolves a paper by numeric id, or by arXiv id (with or without version or `arXiv:` prefix). */
export function resolvePaperId(db: Database.Database, key: string): number | null {
  const k = key.trim();
  if (/^\d+$/.test(k)) {
    const row = db.prepare('SELECT id FROM papers WHERE id = ?').get(Number(k)) as { id: number } | undefined;
    if (row) return row.id;
  }
  const arxiv = k.replace(/^arxiv:/i, '').replace(/v\d+$/i, '');
  const row = db.prepare('SELECT id FROM papers WHERE arxiv_id = ?').get(arxiv) as { id: number } | undefined;
  if (row) return row.id;
  const byDoi = db.prepare('SELECT id FROM papers WHERE lower(doi) = lower(?)').get(k) as { id: number } | undefined;

  return byDoi?.id ?? null;
}

export function getPaper(db: Database.Database, id: number): PaperDetail | null {
  const row = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM papers p WHERE p.id = ?`).get(id) as PaperRow | undefined;
  if (!row) return null;
  const refs = db
    .prepare('SELECT idx, raw, title, authors, year, arxiv_id, doi FROM refs WHERE paper_id = ? ORDER BY idx')
    .all(id) as { idx: number; raw: string; title: string | null; authors: string; year: number | null; arxiv_id: string | null; doi: string | null }[];
  const versions = (
    db.prepare('SELECT DISTINCT arxiv_version AS v FROM paper_files WHERE paper_id = ? AND arxiv_version IS NOT NULL ORDER BY v').all(id) as { v: number }[]
  ).map((r) => r.v);

  return {
    ...toSummary(row),
    arxivVersion: row.arxiv_version,
    versions,
    headings: JSON.parse(row.headings) as string[],
    sourceFile: row.source_file,
    addedAt: row.added_at,
    references: refs.map((r) => ({
      idx: r.idx,
      raw: r.raw,
      title: r.title,
      authors: JSON.parse(r.authors) as string[],
      year: r.year,
      arxivId: r.arxiv_id,
      doi: r.doi,
    })),
  };
}

export interface SearchHit {
  id: number;
  title: string | null;
  year: number | null;
  arxivId: string | null;
  score: number;
  snippet: string;
}

/** Turns free text into an FTS5 query that cannot be a syntax error: every word quoted, all required. */
export function toFtsQuery(text: string): string {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];

  return words.map((w) => `"${w}"`).join(' ');
}

/** Full-text search over title, abstract and body, best first (title matches weigh most). */
export function searchPapers(db: Database.Database, text: string, limit = 20): SearchHit[] {
  const q = toFtsQuery(text);
  if (!q) return [];
  const rows = db
    .prepare(
      `SELECT p.id, p.title, p.year, p.arxiv_id, bm25(papers_fts, 10.0, 4.0, 1.0) AS score,
              snippet(papers_fts, -1, '[', ']', '…', 12) AS snippet
         FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid
        WHERE papers_fts MATCH ? ORDER BY score LIMIT ?`,
    )
    .all(q, limit) as { id: number; title: string | null; year: number | null; arxiv_id: string | null; score: number; snippet: string }[];

  return rows.map((r) => ({ id: r.id, title: r.title, year: r.year, arxivId: r.arxiv_id, score: -r.score, snippet: r.snippet }));
}
