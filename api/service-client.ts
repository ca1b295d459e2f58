/**
 * The main-thread side of the service thread (service-thread.ts): the same `Handlers` the IPC
 * layer dispatches to, each forwarded to the worker, with the service's events relayed back.
 */
import { Worker } from 'node:worker_threads';
import { rebuildError, SurveyorError, type SerializedError } from '../core/errors.js';
import { METHOD_NAMES, type MethodName, type Reply, type ServerEvent } from './contract.js';
import type { Handlers } from './dispatch.js';

export type ThreadRequest = { type: 'call'; id: number; method: MethodName; input: unknown } | { type: 'close' };
export type ThreadReply =
  | { type: 'ready' }
  | { type: 'closed' }
  | { type: 'event'; event: ServerEvent }
  | { type: 'reply'; id: number; reply: Reply<unknown> };

export class ServiceThread {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: ServerEvent) => void>();
  private closed: Promise<void> | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: ThreadReply) => {
      if (m.type === 'event') for (const fn of this.listeners) fn(m.event);
      else if (m.type === 'reply') this.settle(m.id, m.reply);
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => this.failAll(new SurveyorError('service-stopped', `the service thread stopped (code ${code})`, 'bug')));
  }

  /** Starts the thread on a library and resolves once it has opened it. */
  static start(libraryPath: string): Promise<ServiceThread> {
    const worker = new Worker(new URL('./service-thread.js', import.meta.url), { workerData: { libraryPath } });

    return new Promise((resolve, reject) => {
      const onMessage = (m: ThreadReply) => {
        if (m.type !== 'ready') return;
        worker.off('error', reject);
        worker.off('message', onMessage);
        resolve(new ServiceThread(worker));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  /** One function per API method; each runs on the service thread. */
  handlers(): Handlers {
    const entries = METHOD_NAMES.map((method) => [method, (input: unknown) => this.call(method, input)]);

    return Object.fromEntries(entries) as unknown as Handlers;
  }

  onEvent(fn: (e: ServerEvent) => void): () => void {
    this.listeners.add(fn);

    return () => this.listeners.delete(fn);
  }

  call(method: MethodName, input: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new SurveyorError('service-stopped', 'the service thread is closed'));
    const id = this.nextId++;

    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'call', id, method, input } satisfies ThreadRequest);
    });
  }

  /** Lets running jobs stop cleanly (finished papers are kept), closes the library, ends the thread. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.on('message', (m: ThreadReply) => {
        if (m.type === 'closed') void this.worker.terminate();
      });
      this.worker.postMessage({ type: 'close' } satisfies ThreadRequest);
    });

    return this.closed;
  }

  private settle(id: number, reply: Reply<unknown>): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(rebuildError(reply.error as SerializedError));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
