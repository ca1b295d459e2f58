/** Worker process entry: parses one PDF per message from the pool (core/worker-pool.ts). */
import { serializeError } from '../core/errors.js';
import type { WorkerReply } from '../core/worker-pool.js';
import { parsePdfFile, type ParsedFile } from './parse-file.js';

export interface ParseTask {
  file: string;
  maxPages?: number;
}

/** Failures after which this process's pdf.js state is not worth keeping. */
const RETIRE_AFTER = new Set(['decompression-bomb', 'internal']);

if (!process.send) throw new Error('ingest/worker.js runs as a worker process of core/worker-pool.js');

// Ctrl-C reaches the whole process group: the pool decides when workers stop, and a
// worker whose pool has gone (killed without a chance to clean up) stops too.
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));

process.on('message', async (task: ParseTask) => {
  let reply: WorkerReply<ParsedFile>;
  try {
    reply = { ok: true, value: await parsePdfFile(task.file, { maxPages: task.maxPages }) };
  } catch (err) {
    const error = serializeError(err);
    reply = { ok: false, error, retire: RETIRE_AFTER.has(error.code) };
  }
  process.send!(reply);
});
