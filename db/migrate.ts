import type Database from 'better-sqlite3';
import { logger } from '../core/log.js';
import { MIGRATIONS } from './migrations/index.js';

const log = logger('db');

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The newest schema this build knows. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((m, x) => Math.max(m, x.version), 0);
}

/**
 * Brings the schema up to date: each pending migration runs in its own
 * transaction that also sets `user_version`, so a crash leaves the file at the
 * last complete version. Returns the versions applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, upTo = Infinity): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const applied: number[] = [];
  for (const m of ordered) {
    if (m.version > upTo || m.version <= schemaVersion(db)) continue;
    const t0 = Date.now();
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    log.info(`migrate(): applied ${m.version} (${m.name}) in ${Date.now() - t0} ms`);
    applied.push(m.version);
  }

  return applied;
}
