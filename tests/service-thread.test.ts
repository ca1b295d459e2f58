/**
 * The desktop app's service runs on its own thread: the same API, answered from a worker that
 * owns the library, with job progress streamed back, so Electron's main thread stays free.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dispatch } from '../api/dispatch.js';
import { ServiceThread } from '../api/service-client.js';
import type { JobView, PaperRow, ServerEvent } from '../api/types.js';
import { fixturePdf, tempLibraryPath } from './helpers.js';

let service: ServiceThread;
const events: ServerEvent[] = [];

before(async () => {
  service = await ServiceThread.start(tempLibraryPath());
  service.onEvent((e) => events.push(e));
});

after(async () => {
  await service.close();
});

function finished(jobId: string): Promise<JobView> {
  return new Promise((resolve) => {
    const check = () => {
      const end = events.find(
        (e): e is Extract<ServerEvent, { type: 'job' }> =>
          e.type === 'job' && e.job.id === jobId && ['done', 'failed', 'cancelled'].includes(e.job.state),
      );
      if (end) resolve(end.job);
      else setTimeout(check, 50);
    };
    check();
  });
}

test('an ingest started through the thread streams progress and its papers are then listed', { timeout: 180_000 }, async () => {
  const handlers = service.handlers();
  const files = ['1503.02531', '1706.03762'].map(fixturePdf);
  const started = await dispatch(handlers, 'startJob', { kind: 'ingest', paths: files });
  assert.ok(started.ok, JSON.stringify(started));
  const job = await finished((started.value as { jobId: string }).jobId);
  assert.equal(job.state, 'done', job.error);
  assert.match(job.summary ?? '', /^2 added/);
  assert.ok(events.some((e) => e.type === 'job' && e.job.kind === 'ingest' && e.job.state === 'running'), 'progress events arrived');

  const papers = await dispatch(handlers, 'papers', {});
  assert.ok(papers.ok);
  const titles = (papers.value as PaperRow[]).map((p) => p.title).sort();
  assert.deepEqual(titles, ['Attention Is All You Need', 'Distilling the Knowledge in a Neural Network']);
});

test('errors cross the thread with their kind and message', async () => {
  const reply = await dispatch(service.handlers(), 'paper', { id: 999 });
  assert.equal(reply.ok, false);
  assert.ok(!reply.ok && reply.error.kind === 'expected' && /999/.test(reply.error.message), JSON.stringify(reply));
  const bad = await dispatch(service.handlers(), 'paper', { id: 'x' });
  assert.ok(!bad.ok && bad.error.code === 'bad-request');
});
