/**
 * A small pool of worker processes running one script. Each task has a timeout:
 * a worker that overruns it (a hostile PDF, a decompression bomb) is killed and
 * replaced, and the task fails with a `timeout` error. A worker that dies (out
 * of heap) fails only its own task.
 *
 * Workers are child processes rather than threads so that each gets V8 flags of
 * its own: a parse worker keeps a core busy on its own, and V8's background
 * garbage-collector threads then only compete with the other workers for the
 * same cores. With the collector on the worker's own thread the same ingest
 * takes about 14% less CPU (see the README's ingest figures). A process is also
 * what the kernel can measure and kill on its own.
 *
 * Memory outside the JavaScript heap (the buffers a PDF inflates into) is not
 * bounded by a heap limit, so the pool also watches resident memory (this
 * process and its workers): past the bound it stops every busy worker and runs
 * their tasks again one at a time, so an innocent file that happened to share
 * the moment with a hostile one still gets through, and only the culprit fails.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { CancelledError, rebuildError, SurveyorError, type SerializedError } from './errors.js';
import { logger } from './log.js';

const log = logger('worker-pool');

export interface PoolOptions {
  size?: number;
  timeoutMs?: number;
  /** Heap limit of each worker, so one bad input cannot take the machine's memory. */
  maxHeapMb?: number;
  /** V8 flags for the workers, beside the heap limit (default: garbage collection on the worker's thread). */
  v8Flags?: string[];
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
  worker: ChildProcess;
  /** The end of what the worker wrote to standard error (names a V8 heap failure). */
  stderrTail: string;
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

/**
 * Flags that suit a worker which keeps one core busy: the collector works on the
 * worker's own thread (when every core runs a worker, background collector threads
 * only take time from the others), with a larger young generation (fewer scavenges).
 */
export const DEFAULT_WORKER_V8_FLAGS = ['--single-threaded-gc', '--max-semi-space-size=16'];

/** Resident memory of a process in MB, from /proc; null where there is no /proc (macOS, Windows) or it has gone. */
export function processRssMb(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));

    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Resolves when the process has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();

  return new Promise((resolve) => child.once('exit', () => resolve()));
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
    const flags = this.opts.v8Flags ?? DEFAULT_WORKER_V8_FLAGS;
    const worker = fork(fileURLToPath(this.script), [], {
      execArgv: [`--max-old-space-size=${this.maxHeapMb}`, ...flags],
      // Inside Electron, process.execPath is the app: this makes it run the script as Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      serialization: 'advanced',
      // Anything a worker prints (a library's stray console.log) goes to standard error,
      // so it can never break the JSON a command prints on standard output.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const slot: Slot = { worker, busy: false, stderrTail: '' };
    worker.stdout!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    // What a worker writes to standard error is kept, not shown: a worker that dies of a
    // full heap writes V8's native stack there, and the task's error already says why.
    worker.stderr!.on('data', (chunk: Buffer) => {
      slot.stderrTail = (slot.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    // A worker that is sent nothing more does not keep this process alive; a task's timer does.
    worker.unref();
    worker.channel?.unref();
    for (const s of [worker.stdout, worker.stderr]) (s as unknown as { unref?: () => void })?.unref?.();
    this.slots.push(slot);

    return slot;
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.worker.kill('SIGKILL');
  }

  /** Resident memory of this process and its workers, in MB. */
  private residentMb(): number {
    let mb = process.memoryUsage.rss() / 2 ** 20;
    for (const s of this.slots) mb += processRssMb(s.worker.pid) ?? 0;

    return mb;
  }

  private pump(): void {
    // After workers were stopped for memory, wait (up to 5 s) for it to be given back,
    // so the next task is not blamed for what the last one left behind.
    if (this.cooling !== null && this.queue.length > 0) {
      const over = this.residentMb() > this.maxRssMb;
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
    const rssMb = this.residentMb();
    this.peakRssMb = Math.max(this.peakRssMb, rssMb);
    if (rssMb <= this.maxRssMb) return;

    // Which busy worker holds the memory cannot be told from here: a task that
    // was alone is the culprit, the others get a second try on their own.
    const busy = this.slots.filter((s) => s.busy);
    const alone = busy.length === 1;
    this.cooling = Date.now();
    for (const s of busy) {
      const e = new SurveyorError('out-of-memory', `memory use went past ${this.maxRssMb} MB; skipped`);
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
      const e = new SurveyorError('worker-crash', `${what}: the worker failed (${err.message})`, 'bug');
      finish(() => task.reject(e), false);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // V8 aborts a process whose heap is full, after saying so on standard error.
      const oom = /heap out of memory|Reached heap limit/i.test(slot.stderrTail);
      const e = oom
        ? new SurveyorError('out-of-memory', `${what}: needed more than ${this.maxHeapMb} MB of heap; skipped`)
        : new SurveyorError('worker-crash', `${what}: the worker exited (${signal ?? `code ${code}`})`, 'bug');
      if (!oom && slot.stderrTail) log.warn(`worker for ${what} exited; its last words:\n${slot.stderrTail.trimEnd()}`);
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
    slot.worker.send(task.input as object);
  }

  /** Stops all workers; queued tasks fail as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.watch !== null) clearInterval(this.watch);
    this.watch = null;
    for (const t of this.queue.splice(0)) t.reject(new CancelledError());
    const slots = this.slots.splice(0);
    // Held open until the workers are gone, so their exit is waited for (and their CPU time counted).
    for (const s of slots) s.worker.ref();
    const gone = slots.map((s) => exited(s.worker));
    for (const s of slots) s.abort?.(new CancelledError());
    for (const s of slots) s.worker.kill('SIGKILL');
    await Promise.all(gone);
  }
}
