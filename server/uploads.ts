/**
 * PDFs dropped on the browser page arrive one request each and wait in a private temporary
 * folder until an ingest job reads them; the job's end removes them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { SurveyorError } from '../core/errors.js';

/** Keeps the user's file name readable in messages, but never lets it name a path. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 180);

  return clean || 'upload.pdf';
}

export class UploadStore {
  readonly dir: string;
  private readonly files = new Map<string, string>();

  constructor(private readonly maxBytes = 512 * 1024 * 1024) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveyor-uploads-'));
  }

  /** Streams one request body into a new upload; returns its id. */
  async save(name: string, body: NodeJS.ReadableStream): Promise<string> {
    const id = randomBytes(16).toString('hex');
    const folder = path.join(this.dir, id);
    fs.mkdirSync(folder, { mode: 0o700 });
    const file = path.join(folder, safeFileName(name));
    let seen = 0;
    const limit = this.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        if (seen > limit)
          done(
            new SurveyorError(
              'too-large',
              `${safeFileName(name)}: larger than ${limit / 1024 / 1024} MB; not uploaded`,
            ),
          );
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, fs.createWriteStream(file, { mode: 0o600 }));
    } catch (err) {
      fs.rmSync(folder, { recursive: true, force: true });
      throw err;
    }
    this.files.set(id, file);

    return id;
  }

  /** The files behind upload ids, and a cleanup that removes them. Unknown ids are an error. */
  resolve(ids: string[]): { paths: string[]; cleanup: () => void } {
    const unknown = ids.filter((id) => !this.files.has(id));
    if (unknown.length)
      throw new SurveyorError('bad-request', `unknown upload id(s): ${unknown.slice(0, 3).join(', ')}`);
    const paths = ids.map((id) => this.files.get(id)!);
    for (const id of ids) this.files.delete(id);

    return { paths, cleanup: () => paths.forEach((p) => fs.rmSync(path.dirname(p), { recursive: true, force: true })) };
  }

  close(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.files.clear();
  }
}
