/** Worker thread entry: parses one PDF per message. */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../core/errors.js';
import type { WorkerReply } from '../core/worker-pool.js';
import { parsePdfFile, type ParsedFile } from './parse-file.js';

export interface ParseTask {
  file: string;
  maxPages?: number;
}

/** Failures after which this thread's pdf.js state is not worth keeping. */
const RETIRE_AFTER = new Set(['decompression-bomb', 'internal']);

parentPort!.on('message', async (task: ParseTask) => {
  let reply: WorkerReply<ParsedFile>;
  try {
    reply = { ok: true, value: await parsePdfFile(task.file, { maxPages: task.maxPages }) };
  } catch (err) {
    const error = serializeError(err);
    reply = { ok: false, error, retire: RETIRE_AFTER.has(error.code) };
  }
  parentPort!.postMessage(reply);
});
