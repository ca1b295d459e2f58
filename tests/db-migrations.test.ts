import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openLibrary } from '../db/library.js';
import { latestVersion, migrate, schemaVersion } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { tempLibraryPath } from './helpers.js';

test('a new library is migrated to the newest schema, in WAL mode with foreign keys on', () => {
  const lib = openLibrary(tempLibraryPath());
  assert.equal(schemaVersion(lib.db), latestVersion());
  assert.equal(lib.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(lib.db.pragma('foreign_keys', { simple: true }), 1);
  lib.close();
});

test('migration 1 creates papers, paper_files, refs and the FTS index', () => {
  const db = new Database(':memory:');
  assert.deepEqual(migrate(db, MIGRATIONS, 1), [1]);
  assert.equal(schemaVersion(db), 1);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  for (const t of ['papers', 'paper_files', 'refs', 'papers_fts']) assert.ok(tables.includes(t), `missing table ${t}`);
  db.prepare("INSERT INTO papers (title, abstract, full_text) VALUES ('Low-Rank Adaptation', 'adapters for transformers', '')").run();
  const hit = db.prepare("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'adapter'").get() as { rowid: number };
  assert.equal(hit.rowid, 1, 'the FTS index follows inserts (porter stemming matches adapter/adapters)');
});

test('every migration sets user_version to its own number and runs once', () => {
  const db = new Database(':memory:');
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    assert.deepEqual(migrate(db, MIGRATIONS, m.version), [m.version]);
    assert.equal(schemaVersion(db), m.version);
    assert.deepEqual(migrate(db, MIGRATIONS, m.version), [], 'a second run applies nothing');
  }
});

test('a failing migration rolls back and leaves user_version where it was', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS, 1);
  const broken = [...MIGRATIONS, { version: 999, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM nowhere;') }];
  assert.throws(() => migrate(db, broken));
  assert.ok(schemaVersion(db) < 999);
  assert.equal(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get() && (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get() as { n: number }).n, 0);
});

test('migration 2 stores embeddings per paper and model, and round-trips float32 vectors', async () => {
  const { readEmbeddings, writeEmbeddings, currentEmbeddingModel } = await import('../db/embeddings.js');
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS, 2);
  assert.equal(schemaVersion(db), 2);
  db.prepare("INSERT INTO papers (id, title) VALUES (1, 'a'), (2, 'b')").run();
  const v = new Float32Array([0.6, 0.8, 0]);
  writeEmbeddings(db, 'm1', [{ paperId: 1, vector: v, inputHash: 'h1' }, { paperId: 2, vector: new Float32Array([1, 0, 0]), inputHash: 'h2' }]);
  assert.equal(currentEmbeddingModel(db), 'm1');
  const got = readEmbeddings(db);
  assert.deepEqual(Array.from(got.vectors.get(1)!), Array.from(v));
  db.pragma('foreign_keys = ON');
  db.prepare('DELETE FROM papers WHERE id = 1').run();
  assert.deepEqual([...readEmbeddings(db, 'm1').vectors.keys()], [2], "deleting a paper deletes its embeddings");
});

test('a library another connection keeps locked fails as busy, not as damaged, and opens once it is free', () => {
  const file = tempLibraryPath();
  // A library one schema behind, so opening it must take the write lock to migrate.
  const old = new Database(file);
  old.pragma('journal_mode = WAL');
  migrate(old, MIGRATIONS, latestVersion() - 1);
  old.prepare("INSERT INTO papers (title) VALUES ('kept')").run();
  old.exec('BEGIN IMMEDIATE');
  const t0 = Date.now();
  assert.throws(
    () => openLibrary(file, { busyTimeoutMs: 300 }),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'library-busy');
      assert.ok(err.message.includes(file), err.message);
      assert.match(err.message, /locked/);
      assert.doesNotMatch(err.message, /recover/, 'a lock is not damage');
      return true;
    },
  );
  assert.ok(Date.now() - t0 >= 250, 'it waited for the lock first');
  old.exec('COMMIT');
  old.close();
  const lib = openLibrary(file, { busyTimeoutMs: 300 });
  assert.equal(schemaVersion(lib.db), latestVersion());
  assert.deepEqual(lib.db.prepare('SELECT title FROM papers').all(), [{ title: 'kept' }]);
  lib.close();
});
