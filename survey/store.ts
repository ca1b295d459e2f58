/**
 * The taxonomy's tables (migration 4): each paper's direction from the classifier and from
 * the user, kept apart so that re-classifying can never overwrite a correction, and the
 * embedded direction descriptions cached per model.
 */
import type Database from 'better-sqlite3';
import { blobToVector, vectorToBlob } from '../db/embeddings.js';
import type { Classification, Evidence } from './classify.js';
import { isDirectionId, type DirectionId } from './directions.js';

export type DirectionSource = 'auto' | 'user';

export interface StoredDirection {
  paperId: number;
  /** The direction in force: the user's if they set one, else the classifier's. */
  direction: DirectionId | null;
  /** 1 for a user's correction, the classifier's probability otherwise. */
  confidence: number | null;
  source: DirectionSource | null;
  /** What the classifier said, kept even while a correction overrides it. */
  autoDirection: DirectionId | null;
  autoConfidence: number | null;
  evidence: Evidence | null;
  model: string | null;
  classifier: string | null;
}

interface Row {
  paper_id: number;
  auto_direction: DirectionId | null;
  auto_confidence: number | null;
  evidence: string;
  model: string | null;
  classifier: string | null;
  user_direction: DirectionId | null;
}

const COLUMNS = 'paper_id, auto_direction, auto_confidence, evidence, model, classifier, user_direction';

function toStored(r: Row): StoredDirection {
  const user = r.user_direction;
  const evidence = JSON.parse(r.evidence) as Partial<Evidence>;

  return {
    paperId: r.paper_id,
    direction: user ?? r.auto_direction,
    confidence: user ? 1 : r.auto_confidence,
    source: user ? 'user' : r.auto_direction ? 'auto' : null,
    autoDirection: r.auto_direction,
    autoConfidence: r.auto_confidence,
    evidence: evidence.cues ? (evidence as Evidence) : null,
    model: r.model,
    classifier: r.classifier,
  };
}

/** Every paper's stored direction, by paper id (papers never classified are absent). */
export function readDirections(db: Database.Database): Map<number, StoredDirection> {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM paper_directions`).all() as Row[];

  return new Map(rows.map((r) => [r.paper_id, toStored(r)]));
}

export function readDirection(db: Database.Database, paperId: number): StoredDirection | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM paper_directions WHERE paper_id = ?`).get(paperId) as Row | undefined;

  return row ? toStored(row) : null;
}

/** The user's corrections, by paper id. */
export function readCorrections(db: Database.Database): Map<number, DirectionId> {
  const rows = db
    .prepare('SELECT paper_id, user_direction FROM paper_directions WHERE user_direction IS NOT NULL')
    .all() as {
    paper_id: number;
    user_direction: string;
  }[];

  return new Map(
    rows.filter((r) => isDirectionId(r.user_direction)).map((r) => [r.paper_id, r.user_direction as DirectionId]),
  );
}

/**
 * Stores the classifier's answers in one transaction. Only the `auto_*` columns are
 * written: a user's correction stays exactly as it was.
 */
export function writeAutoDirections(
  db: Database.Database,
  results: Map<number, Classification>,
  meta: { model: string | null; classifier: string },
): void {
  const put = db.prepare(
    `INSERT INTO paper_directions
       (paper_id, auto_direction, auto_confidence, evidence, model, classifier, classified_at)
     VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
     ON CONFLICT (paper_id) DO UPDATE SET auto_direction = excluded.auto_direction,
       auto_confidence = excluded.auto_confidence, evidence = excluded.evidence, model = excluded.model,
       classifier = excluded.classifier, classified_at = excluded.classified_at`,
  );
  db.transaction(() => {
    for (const [id, c] of results) {
      put.run(id, c.autoDirection, c.autoConfidence, JSON.stringify(c.evidence), meta.model, meta.classifier);
    }
  }).immediate();
}

/** Records (or, with null, removes) the user's direction for one paper. */
export function setUserDirection(db: Database.Database, paperId: number, direction: DirectionId | null): void {
  db.prepare(
    `INSERT INTO paper_directions (paper_id, user_direction, user_set_at)
     VALUES (?, ?, CASE WHEN ? IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ','now') END)
     ON CONFLICT (paper_id) DO UPDATE SET user_direction = excluded.user_direction, user_set_at = excluded.user_set_at`,
  ).run(paperId, direction, direction);
}

/** The embedded description sentences of each direction for one model, if cached for this text. */
export function readPrototypeVectors(
  db: Database.Database,
  model: string,
  textHash: string,
): Map<DirectionId, Float32Array[]> | null {
  const rows = db
    .prepare('SELECT direction, vectors FROM direction_prototypes WHERE model = ? AND text_hash = ?')
    .all(model, textHash) as {
    direction: string;
    vectors: string;
  }[];
  if (rows.length === 0) return null;
  const out = new Map<DirectionId, Float32Array[]>();
  for (const r of rows) {
    if (!isDirectionId(r.direction)) continue;
    out.set(
      r.direction,
      (JSON.parse(r.vectors) as string[]).map((b) => blobToVector(Buffer.from(b, 'base64'))),
    );
  }

  return out;
}

export function writePrototypeVectors(
  db: Database.Database,
  model: string,
  textHash: string,
  vectors: Map<DirectionId, Float32Array[]>,
): void {
  const put = db.prepare(
    `INSERT INTO direction_prototypes (direction, model, text_hash, vectors) VALUES (?, ?, ?, ?)
     ON CONFLICT (direction, model) DO UPDATE SET text_hash = excluded.text_hash, vectors = excluded.vectors`,
  );
  db.transaction(() => {
    for (const [d, vs] of vectors)
      put.run(d, model, textHash, JSON.stringify(vs.map((v) => vectorToBlob(v).toString('base64'))));
  }).immediate();
}
