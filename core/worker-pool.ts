/**
 * A small pool of worker threads running one script. Each task has a timeout:
 * a worker that overruns it (a hostile PDF, a decompression bomb) is terminated
 * and replaced, and the task fails with a `timeout` error. A worker that dies
 * (out of memory) fails only its own task.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError, rebuildError, SurveyorError, type SerializedError } from './errors.js';

export interface PoolOptions {
  size?: number;
  timeoutMs?: number;
  /** Heap limit of each worker, so one bad input cannot take the machine's memory. */
  maxHeapMb?: number;
  /** Names the input in timeout and crash messages. */
  describe?: (input: unknown) => string;
}

interface Task<I, O> {
  input: I;
  resolve: (o: O) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

export type WorkerReply<O> = { ok: true; value: O } | { ok: false; error: SerializedError };

export class WorkerPool<I, O> {
  private readonly slots: Slot[] = [];
  private readonly queue: Task<I, O>[] = [];
  private closed = false;
  private readonly size: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly script: URL,
    private readonly opts: PoolOptions = {},
  ) {
    this.size = Math.max(1, opts.size ?? os.availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? 120_000;
  }

  run(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new CancelledError('the worker pool is closed'));

    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb ?? 1536 },
      stderr: false,
    });
    worker.unref();
    const slot = { worker, busy: false };
    this.slots.push(slot);

    return slot;
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      this.dispatch(slot, this.queue.shift()!);
    }
  }

  private dispatch(slot: Slot, task: Task<I, O>): void {
    slot.busy = true;
    const what = this.opts.describe?.(task.input) ?? 'task';
    let settled = false;
    const finish = (fn: () => void, keep: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.worker.off('message', onMessage);
      slot.worker.off('error', onError);
      slot.worker.off('exit', onExit);
      if (keep) slot.busy = false;
      else this.retire(slot);
      fn();
      this.pump();
    };
    const onMessage = (reply: WorkerReply<O>) =>
      finish(() => (reply.ok ? task.resolve(reply.value) : task.reject(rebuildError(reply.error))), true);
    const onError = (err: Error) => {
      const oom = /memory|heap/i.test(err.message) || (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const e = oom
        ? new SurveyorError('out-of-memory', `${what}: needed more than ${this.opts.maxHeapMb ?? 1536} MB of memory; skipped`)
        : new SurveyorError('worker-crash', `${what}: the worker failed (${err.message})`, 'bug');
      finish(() => task.reject(e), false);
    };
    const onExit = (code: number) =>
      finish(() => task.reject(new SurveyorError('worker-crash', `${what}: the worker exited (code ${code})`, 'bug')), false);
    const timer = setTimeout(
      () =>
        finish(
          () => task.reject(new SurveyorError('timeout', `${what}: gave up after ${Math.round(this.timeoutMs / 1000)} s (per-file time limit)`)),
          false,
        ),
      this.timeoutMs,
    );
    slot.worker.on('message', onMessage);
    slot.worker.on('error', onError);
    slot.worker.on('exit', onExit);
    slot.worker.postMessage(task.input);
  }

  /** Stops all workers; queued tasks fail as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new CancelledError());
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
