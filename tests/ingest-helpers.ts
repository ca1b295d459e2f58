/** Helpers for the ingestion, hostile-input and crash tests: a CLI child process and library checks. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT } from './helpers.js';

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Highest resident memory seen of the process and its workers (from /proc), in MB; NaN where /proc is missing. */
  peakRssMb: number;
}

export interface CliChild {
  child: ChildProcess;
  done: Promise<ChildResult>;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));

    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** The process's children (its parse workers), from /proc. */
function childPids(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Resident memory of a process and its children in MB: the process's own peak
 * (VmHWM) plus what its workers hold now; NaN where /proc is missing.
 */
function rssMb(pid: number): number {
  const own = statusKb(pid, 'VmHWM');
  if (Number.isNaN(own)) return NaN;
  const children = childPids(pid).reduce((kb, c) => kb + (statusKb(c, 'VmRSS') || 0), 0);

  return (own + children) / 1024;
}

/** Starts the real `surveyor` binary without waiting for it. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): CliChild {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'surveyor.js'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let peak = NaN;
  const poll = setInterval(() => {
    const now = rssMb(child.pid!);
    if (!Number.isNaN(now)) peak = Number.isNaN(peak) ? now : Math.max(peak, now);
  }, 20);
  const done = new Promise<ChildResult>((resolve) => {
    child.on('close', (status, signal) => {
      clearInterval(poll);
      resolve({ status, signal, stdout, stderr, peakRssMb: peak });
    });
  });

  return { child, done };
}

/** Copies a file to `dest` (creating folders), returning `dest`. */
export function copyTo(src: string, dest: string): string {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(src, dest);

  return dest;
}

export interface PaperState {
  id: number;
  title: string | null;
  arxivId: string | null;
  contentHash: string | null;
  refs: number;
  files: number;
  textLength: number;
}

export interface LibraryState {
  integrity: string;
  papers: PaperState[];
  /** Rows that point at no paper, or papers with no file row: each should be zero. */
  orphanRefs: number;
  orphanFiles: number;
  papersWithoutFile: number;
  /** Duplicate arXiv ids or content hashes among papers. */
  duplicateKeys: number;
}

/** Reads a library straight through SQLite (read-only), independent of the code under test. */
export function libraryState(file: string): LibraryState {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const checks = db.pragma('integrity_check') as { integrity_check: string }[];
    const integrity = checks.map((r) => r.integrity_check).join('; ');
    const papers = db
      .prepare(
        `SELECT p.id, p.title, p.arxiv_id AS arxivId, p.content_hash AS contentHash, length(p.full_text) AS textLength,
           (SELECT count(*) FROM refs r WHERE r.paper_id = p.id) AS refs,
           (SELECT count(*) FROM paper_files f WHERE f.paper_id = p.id) AS files
         FROM papers p ORDER BY p.id`,
      )
      .all() as PaperState[];
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

    return {
      integrity,
      papers,
      orphanRefs: one('SELECT count(*) AS n FROM refs WHERE paper_id NOT IN (SELECT id FROM papers)'),
      orphanFiles: one('SELECT count(*) AS n FROM paper_files WHERE paper_id NOT IN (SELECT id FROM papers)'),
      papersWithoutFile: one('SELECT count(*) AS n FROM papers WHERE id NOT IN (SELECT paper_id FROM paper_files)'),
      duplicateKeys:
        one('SELECT count(*) - count(DISTINCT arxiv_id) AS n FROM papers WHERE arxiv_id IS NOT NULL') +
        one('SELECT count(*) - count(DISTINCT content_hash) AS n FROM papers WHERE content_hash IS NOT NULL'),
    };
  } finally {
    db.close();
  }
}

/** Waits until `check` returns true, polling; false when `ms` pass first. */
export async function waitFor(check: () => boolean, ms: number, every = 25): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, every));
  }

  return check();
}

/** Papers stored so far, read without disturbing the writer; 0 while the file is not there yet. */
export function countPapers(file: string): number {
  if (!fs.existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 1000');

      return (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
