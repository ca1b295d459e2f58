/**
 * Parses one PDF file into a paper record: the unit of work a worker does.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { SurveyorError } from '../core/errors.js';
import { extractPaper, type ExtractedPaper } from './extract.js';
import { readPdf, type ReadOptions } from './pdf-text.js';

export interface ParsedFile extends ExtractedPaper {
  file: string;
  contentHash: string;
  bytes: number;
}

/** Minimum characters of text on the first pages before a PDF counts as having a text layer. */
const MIN_TEXT_CHARS = 200;

/** Larger files are refused before being read into memory: no paper is this big. */
export const MAX_FILE_BYTES = 512 * 2 ** 20;

export async function parsePdfFile(file: string, opts: ReadOptions = {}): Promise<ParsedFile> {
  let data: Buffer;
  try {
    const { size } = await fs.stat(file);
    if (size > MAX_FILE_BYTES) {
      const mb = Math.round(size / 2 ** 20);
      const limit = `${MAX_FILE_BYTES >> 20} MB`;
      throw new SurveyorError('too-large', `${file}: ${mb} MB, more than the ${limit} limit for one paper`);
    }
    data = await fs.readFile(file);
  } catch (err) {
    if (err instanceof SurveyorError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SurveyorError('unreadable-file', `${file}: cannot read the file (${code ?? (err as Error).message})`);
  }
  const contentHash = createHash('sha256').update(data).digest('hex');
  const content = await readPdf(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), file, opts);
  const chars = content.pages.reduce((n, p) => n + p.items.reduce((m, i) => m + i.str.trim().length, 0), 0);
  if (chars < MIN_TEXT_CHARS) {
    throw new SurveyorError(
      'no-text-layer',
      `${file}: no text layer (${chars} characters on ${content.pageCount} pages); a scanned PDF needs OCR first`,
    );
  }
  const extracted = extractPaper(content.pages, file);

  return { ...extracted, file, contentHash, bytes: data.length };
}
