import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SurveyorError } from '../core/errors.js';
import { filesDirFor } from '../core/paths.js';
import { logger } from '../core/log.js';
import { latestVersion, migrate, schemaVersion } from './migrate.js';

const log = logger('library');

/** A handle on one library: the SQLite file and the folder of stored PDFs beside it. */
export interface Library {
  readonly db: Database.Database;
  readonly path: string;
  readonly filesDir: string;
  readonly readonly: boolean;
  close(): void;
}

export interface OpenOptions {
  readonly?: boolean;
  /** How long a write waits for another process's write before failing (ms). */
  busyTimeoutMs?: number;
}

/** Libraries up to this size get a full structural check (PRAGMA quick_check) each time they open. */
const QUICK_CHECK_MAX_BYTES = 64 * 2 ** 20;

/**
 * Opens (creating if needed) a library: WAL mode, foreign keys on, a busy
 * timeout so the app and the command line can write to one file, and the
 * schema migrated to the newest version (with a backup kept first).
 *
 * A damaged file is never silently replaced by an empty library: it fails with
 * a `damaged-library` error that names the backups and `surveyor recover`.
 */
export function openLibrary(file: string, opts: OpenOptions = {}): Library {
  const full = path.resolve(file);
  const exists = fs.existsSync(full);
  if (opts.readonly && !exists) {
    throw new SurveyorError('no-library', `${full}: no library here yet (ingest some PDFs first)`);
  }
  if (!exists) fs.mkdirSync(path.dirname(full), { recursive: true });
  const size = exists ? fs.statSync(full).size : 0;

  // SQLite treats an empty file as a new database; if PDFs or backups sit beside it,
  // it was a library that got truncated, and starting afresh would hide the loss.
  if (exists && size === 0 && (hasStoredFiles(full) || listBackups(full).length > 0)) {
    throw damaged(full, new Error('the file is empty (0 bytes) but stored PDFs or backups sit beside it'));
  }

  // Another process opening, migrating or closing the same file at that moment can make a step
  // fail at once with SQLITE_BUSY, without waiting (SQLite skips the busy handler where waiting
  // could deadlock); the whole opening is tried again until the busy timeout has passed.
  const waitMs = opts.busyTimeoutMs ?? 15000;
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    let db: Database.Database | undefined;
    try {
      const opened = new Database(full, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
      db = opened;
      db.pragma(`busy_timeout = ${waitMs}`);
      if (!opts.readonly) db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      if (size > 0) checkStructure(db, size);
      upgrade(db, full, !!opts.readonly);

      return { db, path: full, filesDir: filesDirFor(full), readonly: !!opts.readonly, close: () => opened.close() };
    } catch (err) {
      db?.close();
      if (err instanceof SurveyorError) throw err;
      if (!isBusy(err)) throw damaged(full, err);
      if (Date.now() >= deadline) throw busy(full, waitMs);
      log.debug(`openLibrary(): ${full} was busy (${(err as Error).message}); trying again`, { attempt });
      pause(attempt);
    }
  }
}

/** SQLite's "database is locked" errors (SQLITE_BUSY, SQLITE_LOCKED and their variants): worth waiting out. */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;

  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Sleeps the thread a little longer each attempt (20–200 ms, with jitter so two openers part). */
function pause(attempt: number): void {
  const ms = Math.min(200, 20 * attempt) * (0.5 + Math.random());
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function busy(file: string, waitMs: number): SurveyorError {
  return new SurveyorError(
    'library-busy',
    `${file}: another program kept the library locked for ${Math.round(waitMs / 1000)} s; nothing was changed. ` +
      'Try again when it has finished (another Surveyor import or build, or a program holding the file open).',
  );
}

/** Reads the schema and, for libraries of ordinary size, checks every page's structure. */
function checkStructure(db: Database.Database, size: number): void {
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  if (size > QUICK_CHECK_MAX_BYTES) return;
  const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new Error(`the structure check found damage: ${problems.join('; ')}`);
  }
}

/**
 * Migrates under a write lock, re-reading the version inside it: when two processes
 * open a new or old library at once, the second waits and then finds nothing to do.
 */
function upgrade(db: Database.Database, full: string, readonly: boolean): void {
  const have = schemaVersion(db);
  if (have > latestVersion()) {
    throw new SurveyorError(
      'newer-library',
      `${full}: made by a newer Surveyor (schema ${have}, this one knows ${latestVersion()})`,
    );
  }
  if (have === latestVersion()) return;
  if (readonly) throw new SurveyorError('old-library', `${full}: needs upgrading; open it once for writing`);
  if (have > 0) backupBeforeMigration(db, full, have);

  db.exec('BEGIN IMMEDIATE');
  try {
    if (schemaVersion(db) < latestVersion()) migrate(db);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

function hasStoredFiles(full: string): boolean {
  try {
    return fs.readdirSync(filesDirFor(full)).some((f) => f.endsWith('.pdf'));
  } catch {
    return false;
  }
}

/** The backups kept beside a library before each schema upgrade, newest schema first. */
export function listBackups(file: string): string[] {
  const full = path.resolve(file);
  const base = path.basename(full);
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(full));
  } catch {
    return [];
  }

  return names
    .filter((n) => n.startsWith(`${base}.bak-v`) && /\d+$/.test(n))
    .sort((a, b) => Number(/\d+$/.exec(b)![0]) - Number(/\d+$/.exec(a)![0]))
    .map((n) => path.join(path.dirname(full), n));
}

function damaged(file: string, err: unknown): SurveyorError {
  const why = err instanceof Error ? err.message : String(err);
  const backups = listBackups(file);
  const backupAdvice = backups.length
    ? `Backups made before upgrades: ${backups.map((b) => path.basename(b)).join(', ')}. `
    : 'There is no backup from an upgrade beside it. ';

  return new SurveyorError(
    'damaged-library',
    `${file}: cannot be read as a Surveyor library (${why}). Nothing was changed. ${backupAdvice}` +
      `Run \`surveyor recover --library ${file}\` to copy whatever can still be read, and re-read the stored PDFs, ` +
      `into a new library beside it.`,
  );
}

/**
 * Keeps a copy of the library as it was before a schema upgrade. VACUUM INTO writes
 * a consistent snapshot (WAL included) through SQLite, so a backup is never torn.
 */
function backupBeforeMigration(db: Database.Database, file: string, version: number): void {
  const dest = `${file}.bak-v${version}`;
  if (fs.existsSync(dest)) fs.rmSync(dest);
  db.prepare('VACUUM INTO ?').run(dest);
  log.info(`backupBeforeMigration(): kept ${dest}`);
}
