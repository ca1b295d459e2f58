/** Reading and writing paper embeddings (float32 vectors stored as BLOBs). */
import type Database from 'better-sqlite3';

type NumberArray = Float32Array | Float64Array | Int32Array;

export function vectorToBlob(v: NumberArray): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** A BLOB read back as a typed array of `Kind` (a copy). */
export function blobToArray<T extends NumberArray>(
  b: Buffer,
  Kind: { new (length: number): T; BYTES_PER_ELEMENT: number },
): T {
  // Copy: the Buffer may share a pool and be misaligned for a typed-array view.
  const out = new Kind(b.byteLength / Kind.BYTES_PER_ELEMENT);
  Buffer.from(out.buffer).set(b);

  return out;
}

export function blobToVector(b: Buffer): Float32Array {
  return blobToArray(b, Float32Array);
}

export interface StoredEmbedding {
  paperId: number;
  vector: Float32Array;
  inputHash: string;
}

export function writeEmbeddings(db: Database.Database, model: string, rows: StoredEmbedding[]): void {
  const put = db.prepare(
    `INSERT INTO embeddings (paper_id, model, dim, vector, input_hash) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (paper_id, model) DO UPDATE SET dim = excluded.dim, vector = excluded.vector,
       input_hash = excluded.input_hash, created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  );
  db.transaction(() => {
    for (const r of rows) put.run(r.paperId, model, r.vector.length, vectorToBlob(r.vector), r.inputHash);
  }).immediate();
}

/** The embedding model most papers were embedded with (the library's current one), or null. */
export function currentEmbeddingModel(db: Database.Database): string | null {
  const row = db.prepare('SELECT model FROM embeddings GROUP BY model ORDER BY count(*) DESC, max(created_at) DESC LIMIT 1').get() as
    | { model: string }
    | undefined;

  return row?.model ?? null;
}

/** Every stored vector of one model (default: the current one), by paper id. */
export function readEmbeddings(db: Database.Database, model: string | null = currentEmbeddingModel(db)): { model: string | null; vectors: Map<number, Float32Array> } {
  const vectors = new Map<number, Float32Array>();
  if (!model) return { model: null, vectors };
  const rows = db.prepare('SELECT paper_id, vector FROM embeddings WHERE model = ?').all(model) as { paper_id: number; vector: Buffer }[];
  for (const r of rows) vectors.set(r.paper_id, blobToVector(r.vector));

  return { model, vectors };
}

/** The input hashes already embedded with a model, to find what is missing or stale. */
export function embeddedInputHashes(db: Database.Database, model: string): Map<number, string> {
  const rows = db.prepare('SELECT paper_id, input_hash FROM embeddings WHERE model = ?').all(model) as { paper_id: number; input_hash: string }[];

  return new Map(rows.map((r) => [r.paper_id, r.input_hash]));
}

/** Drops the vectors of some papers for one model (e.g. papers whose text is gone). */
export function deleteEmbeddings(db: Database.Database, model: string, paperIds: number[]): void {
  const del = db.prepare('DELETE FROM embeddings WHERE model = ? AND paper_id = ?');
  db.transaction(() => {
    for (const id of paperIds) del.run(model, id);
  }).immediate();
}
