/**
 * A small pool of worker threads running one script. Each task has a timeout:
 * a worker that overruns it (a hostile PDF, a decompression bomb) is terminated
 * and replaced, and the task fails with a `timeout` error. A worker that dies
 * (out of heap) fails only its own task.
 *
 * Memory outside the JavaScript heap (the buffers a PDF inflates into) is not
 * bounded by a worker's resourceLimits, so the pool also watches the process's
 * resident memory: past the bound it stops every busy worker and runs their
 * tasks again one at a time, so an innocent file that happened to share the
 * moment with a hostile one still gets through, and only the culprit fails.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError, rebuildError, SurveyorError, type SerializedError } from './errors.js';

export interface PoolOptions {
  size?: number;
  timeoutMs?: number;
  /** Heap limit of each worker, so one bad input cannot take the machine's memory. */
  maxHeapMb?: number;
  /** Bound on the whole process's resident memory (MB); 0 turns the watch off. */
  maxRssMb?: number;
  /** Names the input in timeout and crash messages. */
  describe?: (input: unknown) => string;
}

interface Task<I, O> {
  input: I;
  resolve: (o: O) => void;
  reject: (e: Error) => void;
  /** Runs with no other task beside it (a second try after a memory overrun). */
  solo: boolean;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  /** Set while busy: ends the task as the given failure and throws the worker away. */
  abort?: (e: SurveyorError | 'retry') => void;
  solo?: boolean;
}

/**
 * What a worker posts back for each task. `retire` asks the pool to throw the
 * worker away after this task (its state can no longer be trusted).
 */
export type WorkerReply<O> = { ok: true; value: O } | { ok: false; error: SerializedError; retire?: boolean };

/**
 * Default bound on resident memory: 1 GB plus 512 MB per worker (a paper needs far
 * less), at most half the machine, at least 1.5 GB.
 */
export function defaultMaxRssMb(workers: number): number {
  return Math.max(1536, Math.min(1024 + 512 * workers, Math.round(os.totalmem() / 2 / 2 ** 20)));
}

export class WorkerPool<I, O> {
  private readonly slots: Slot[] = [];
  private readonly queue: Task<I, O>[] = [];
  private closed = false;
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly maxRssMb: number;
  private watch: NodeJS.Timeout | null = null;
  /** When workers were last stopped for memory; null when not waiting for it to come back. */
  private cooling: number | null = null;
  /** Highest resident memory seen while tasks ran (MB), for benchmarks. */
  peakRssMb = 0;

  constructor(
    private readonly script: URL,
    private readonly opts: PoolOptions = {},
  ) {
    this.size = Math.max(1, opts.size ?? os.availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxHeapMb = opts.maxHeapMb ?? 1024;
    this.maxRssMb = opts.maxRssMb ?? defaultMaxRssMb(this.size);
  }

  run(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new CancelledError('the worker pool is closed'));

    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject, solo: false });
      this.pump();
    });
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 64 },
      stderr: false,
      // Anything a worker prints (a library's stray console.log) goes to standard error,
      // so it can never break the JSON a command prints on standard output.
      stdout: true,
    });
    worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    worker.unref();
    const slot: Slot = { worker, busy: false };
    this.slots.push(slot);

    return slot;
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  private pump(): void {
    // After workers were stopped for memory, wait (up to 5 s) for it to be given back,
    // so the next task is not blamed for what the last one left behind.
    if (this.cooling !== null && this.queue.length > 0) {
      const over = process.memoryUsage.rss() / 2 ** 20 > this.maxRssMb;
      if (over && Date.now() - this.cooling < 5000) {
        setTimeout(() => this.pump(), 100);
        return;
      }
      this.cooling = null;
    }
    while (!this.closed && this.queue.length > 0) {
      const busy = this.slots.filter((s) => s.busy);
      if (busy.some((s) => s.solo)) return;

      // A task on its second try waits until it can run alone.
      const next = this.queue[0];
      if (next.solo && busy.length > 0) return;
      let slot = this.slots.find((s) => !s.busy);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      this.dispatch(slot, this.queue.shift()!);
    }
    this.updateWatch();
  }

  /** Polls resident memory while any task runs. */
  private updateWatch(): void {
    const busy = this.slots.some((s) => s.busy);
    if (busy && this.watch === null && this.maxRssMb > 0) {
      this.watch = setInterval(() => this.checkMemory(), 100);
      this.watch.unref();
    } else if (!busy && this.watch !== null) {
      clearInterval(this.watch);
      this.watch = null;
    }
  }

  private checkMemory(): void {
    const rssMb = process.memoryUsage.rss() / 2 ** 20;
    this.peakRssMb = Math.max(this.peakRssMb, rssMb);
    if (rssMb <= this.maxRssMb) return;

    // Which busy worker holds the memory cannot be told from here: a task that
    // was alone is the culprit, the others get a second try on their own.
    const busy = this.slots.filter((s) => s.busy);
    const alone = busy.length === 1;
    this.cooling = Date.now();
    for (const s of busy) {
      const e = new SurveyorError('out-of-memory', `the process went past ${this.maxRssMb} MB of memory; skipped`);
      s.abort?.(alone || s.solo ? e : 'retry');
    }
  }

  private dispatch(slot: Slot, task: Task<I, O>): void {
    slot.busy = true;
    slot.solo = task.solo;
    const what = this.opts.describe?.(task.input) ?? 'task';
    let settled = false;
    const finish = (fn: () => void, keep: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.worker.off('message', onMessage);
      slot.worker.off('error', onError);
      slot.worker.off('exit', onExit);
      slot.abort = undefined;
      slot.solo = false;
      if (keep) slot.busy = false;
      else this.retire(slot);
      fn();
      this.pump();
    };
    slot.abort = (e) => {
      if (e === 'retry') {
        finish(() => this.queue.unshift({ ...task, solo: true }), false);
        return;
      }
      const err = e.kind === 'cancelled' ? new CancelledError() : new SurveyorError(e.code, `${what}: ${e.message}`);
      finish(() => task.reject(err), false);
    };
    const onMessage = (reply: WorkerReply<O>) => {
      const keep = reply.ok || !reply.retire;
      finish(() => (reply.ok ? task.resolve(reply.value) : task.reject(rebuildError(reply.error))), keep);
    };
    const onError = (err: Error) => {
      const code = (err as { code?: string }).code;
      const oom = code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap/i.test(err.message);
      const e = oom
        ? new SurveyorError('out-of-memory', `${what}: needed more than ${this.maxHeapMb} MB of heap; skipped`)
        : new SurveyorError('worker-crash', `${what}: the worker failed (${err.message})`, 'bug');
      finish(() => task.reject(e), false);
    };
    const onExit = (code: number) => {
      const e = new SurveyorError('worker-crash', `${what}: the worker exited (code ${code})`, 'bug');
      finish(() => task.reject(e), false);
    };
    const limit = this.timeoutMs < 1000 ? `${this.timeoutMs} ms` : `${Math.round(this.timeoutMs / 100) / 10} s`;
    const timer = setTimeout(
      () =>
        finish(
          () => task.reject(new SurveyorError('timeout', `${what}: gave up after ${limit} (the per-file time limit)`)),
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
    if (this.watch !== null) clearInterval(this.watch);
    this.watch = null;
    for (const t of this.queue.splice(0)) t.reject(new CancelledError());
    const slots = this.slots.splice(0);
    for (const s of slots) s.abort?.(new CancelledError());
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
