import type { Migration } from '../migrate.js';

/** Papers, the files and arXiv versions behind them, their references, and full-text search. */
export const migration001: Migration = {
  version: 1,
  name: 'papers, references and full-text index',
  up(db) {
    db.exec(`
      CREATE TABLE papers (
        id            INTEGER PRIMARY KEY,
        title         TEXT,
        authors       TEXT NOT NULL DEFAULT '[]',  -- JSON array of names
        year          INTEGER,
        abstract      TEXT,
        arxiv_id      TEXT UNIQUE,                 -- without version, e.g. 1706.03762
        arxiv_version INTEGER,
        doi           TEXT,
        pages         INTEGER,
        headings      TEXT NOT NULL DEFAULT '[]',  -- JSON array of section headings
        full_text     TEXT,
        content_hash  TEXT,                        -- sha256 of the PDF kept as current
        file          TEXT,                        -- the stored copy of that PDF
        source_file   TEXT,                        -- where the user's file was
        added_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX papers_doi ON papers(lower(doi));

      -- Every PDF ever ingested, so the same file twice is recognised, and every
      -- arXiv version seen of a paper is remembered.
      CREATE TABLE paper_files (
        content_hash  TEXT PRIMARY KEY,
        paper_id      INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        arxiv_version INTEGER,
        source_file   TEXT,
        added_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX paper_files_paper ON paper_files(paper_id);

      CREATE TABLE refs (
        id        INTEGER PRIMARY KEY,
        paper_id  INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        idx       INTEGER NOT NULL,
        raw       TEXT NOT NULL,
        title     TEXT,
        authors   TEXT NOT NULL DEFAULT '[]',
        year      INTEGER,
        arxiv_id  TEXT,
        doi       TEXT,
        UNIQUE (paper_id, idx)
      );
      CREATE INDEX refs_arxiv ON refs(arxiv_id);

      CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, full_text,
        content='papers', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER papers_fts_ai AFTER INSERT ON papers BEGIN
        INSERT INTO papers_fts(rowid, title, abstract, full_text)
        VALUES (new.id, new.title, new.abstract, new.full_text);
      END;
      CREATE TRIGGER papers_fts_ad AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, title, abstract, full_text)
        VALUES ('delete', old.id, old.title, old.abstract, old.full_text);
      END;
      CREATE TRIGGER papers_fts_au AFTER UPDATE OF title, abstract, full_text ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, title, abstract, full_text)
        VALUES ('delete', old.id, old.title, old.abstract, old.full_text);
        INSERT INTO papers_fts(rowid, title, abstract, full_text)
        VALUES (new.id, new.title, new.abstract, new.full_text);
      END;
    `);
  },
};
