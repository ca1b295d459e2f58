/** Shared test helpers: where the fixtures are, temporary libraries, running the CLI. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `SURVEYOR_FIXTURES`, default `../shared/fixtures` beside the repository. */
export const FIXTURES = path.resolve(process.env.SURVEYOR_FIXTURES ?? path.join(REPO_ROOT, '..', 'shared', 'fixtures'));
export const FIXTURE_PDFS = path.join(FIXTURES, 'pdfs');

export function fixturePdf(arxivId: string): string {
  return path.join(FIXTURE_PDFS, `${arxivId}.pdf`);
}

export interface FixtureRecord {
  arxiv_id: string;
  title: string;
  pages: number;
  sha256: string;
  direction: 'efficient' | 'pretrained' | 'plugin' | 'dataset';
  off_topic: boolean;
  arxiv_category_on_stamp: string | null;
}

export function fixtureRecords(): FixtureRecord[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'papers.json'), 'utf8')) as FixtureRecord[];
}

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'surveyor-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

  return dir;
}

export function tempLibraryPath(): string {
  return path.join(tempDir(), 'library.sqlite');
}

/** Runs the real `surveyor` binary in a child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'surveyor.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });

  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
