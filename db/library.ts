import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SurveyorError } from '../core/errors.js';
import { filesDirFor } from '../core/paths.js';
import { latestVersion, migrate, schemaVersion } from './migrate.js';

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

/**
 * Opens (creating if needed) a library: WAL mode, foreign keys on, a busy
 * timeout so the app and the command line can write to one file, and the
 * schema migrated to the newest version (with a backup kept first).
 */
export function openLibrary(file: string, opts: OpenOptions = {}): Library {
  const full = path.resolve(file);
  const exists = fs.existsSync(full);
  if (opts.readonly && !exists) {
    throw new SurveyorError('no-library', `${full}: no library here yet (ingest some PDFs first)`);
  }
  if (!exists) fs.mkdirSync(path.dirname(full), { recursive: true });

  let db: Database.Database;
  try {
    db = new Database(full, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 15000}`);
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    throw damaged(full, err);
  }

  try {
    const have = schemaVersion(db);
    if (have > latestVersion()) {
      throw new SurveyorError('newer-library', `${full}: made by a newer Surveyor (schema ${have}, this one knows ${latestVersion()})`);
    }
    if (have < latestVersion()) {
      if (opts.readonly) throw new SurveyorError('old-library', `${full}: needs upgrading; open it once for writing`);
      if (have > 0) backupBeforeMigration(db, full, have);
      migrate(db);
    }
  } catch (err) {
    db.close();
    if (err instanceof SurveyorError) throw err;
    throw damaged(full, err);
  }

  const filesDir = filesDirFor(full);

  return { db, path: full, filesDir, readonly: !!opts.readonly, close: () => db.close() };
}

function damaged(file: string, err: unknown): SurveyorError {
  const why = err instanceof Error ? err.message : String(err);

  return new SurveyorError(
    'damaged-library',
    `${file}: cannot be read as a Surveyor library (${why}). ` +
      `Backups made before upgrades sit beside it as ${path.basename(file)}.bak-v*; ` +
      `move the damaged file aside and copy a backup in its place, or run \`surveyor recover\`.`,
  );
}

/** Keeps a copy of the library as it was before a schema upgrade. */
function backupBeforeMigration(db: Database.Database, file: string, version: number): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  fs.copyFileSync(file, `${file}.bak-v${version}`);
}
