/**
 * Long work (ingest, embed, build) as jobs: one at a time in the order asked, each with
 * progress that the page draws as a bar and a cancel that stops it cleanly, keeping what is
 * finished. Progress is throttled so a fast step cannot flood the page.
 */
import { randomUUID } from 'node:crypto';
import { CancelledError, serializeError } from '../core/errors.js';
import { logger } from '../core/log.js';
import type { ProgressEvent, StepOptions } from '../core/progress.js';
import type { JobKind, JobView } from './contract.js';

const log = logger('jobs');

export interface JobOutcome {
  summary: string;
  failures?: { file: string; error: string }[];
  /** True when the work stopped early because it was cancelled. */
  cancelled?: boolean;
}

export type JobWork = (opts: StepOptions) => Promise<JobOutcome>;

interface Job {
  view: JobView;
  controller: AbortController;
  work: JobWork;
  cleanup?: () => void;
}

/** Ended jobs kept so a page that reloads still sees how they went. */
const KEEP_ENDED = 20;

export class JobRunner {
  private readonly jobs: Job[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(job: JobView) => void>();

  constructor(private readonly throttleMs = 100) {}

  onChange(fn: (job: JobView) => void): () => void {
    this.listeners.add(fn);

    return () => this.listeners.delete(fn);
  }

  list(): JobView[] {
    return this.jobs.map((j) => ({ ...j.view }));
  }

  /** Queues work; it starts when every earlier job has ended (one writer at a time). */
  start(kind: JobKind, work: JobWork, cleanup?: () => void): string {
    const job: Job = {
      view: { id: `${kind}-${randomUUID().slice(0, 8)}`, kind, state: 'queued', phase: kind, done: 0, total: 0 },
      controller: new AbortController(),
      work,
      cleanup,
    };
    this.jobs.push(job);
    this.emit(job);
    this.chain = this.chain.then(() => this.run(job));
    this.prune();

    return job.view.id;
  }

  cancel(id: string): boolean {
    const job = this.jobs.find((j) => j.view.id === id);
    if (!job || (job.view.state !== 'queued' && job.view.state !== 'running')) return false;
    job.controller.abort();
    if (job.view.state === 'queued') this.end(job, { state: 'cancelled', summary: 'cancelled before it started' });

    return true;
  }

  /** Cancels everything and waits for the running job to stop (server or window closing). */
  async close(): Promise<void> {
    for (const j of this.jobs) this.cancel(j.view.id);
    await this.chain;
  }

  /** Resolves when every job queued so far has ended. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async run(job: Job): Promise<void> {
    if (job.view.state !== 'queued') return;
    job.view.state = 'running';
    this.emit(job);
    let last = 0;
    const onProgress = (e: ProgressEvent) => {
      Object.assign(job.view, { phase: e.phase, done: e.done, total: e.total, item: e.item });
      const now = Date.now();
      if (now - last >= this.throttleMs || e.done >= e.total) {
        last = now;
        this.emit(job);
      }
    };
    try {
      const out = await job.work({ onProgress, signal: job.controller.signal });
      const cancelled = out.cancelled || job.controller.signal.aborted;
      this.end(job, { state: cancelled ? 'cancelled' : 'done', summary: out.summary, failures: out.failures });
    } catch (err) {
      const e = serializeError(err);
      if (err instanceof CancelledError || job.controller.signal.aborted) {
        this.end(job, { state: 'cancelled', summary: 'cancelled: finished work was kept' });
      } else {
        if (e.kind === 'bug')
          log.error(`run(): ${job.view.id} failed`, err instanceof Error ? (err.stack ?? e.message) : e.message);
        this.end(job, { state: 'failed', error: e.message, summary: e.message });
      }
    }
  }

  private end(job: Job, patch: Partial<JobView>): void {
    Object.assign(job.view, patch);
    try {
      job.cleanup?.();
    } catch (err) {
      log.warn(`end(): cleaning up after ${job.view.id} failed`, String(err));
    }
    job.cleanup = undefined;
    this.emit(job);
  }

  private emit(job: Job): void {
    const view = { ...job.view };
    for (const fn of this.listeners) fn(view);
  }

  private prune(): void {
    const ended = this.jobs.filter((j) => j.view.state !== 'queued' && j.view.state !== 'running');
    for (const j of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.jobs.splice(this.jobs.indexOf(j), 1);
  }
}
