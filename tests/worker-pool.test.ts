/**
 * The worker pool on its own, with a small worker script written by the test:
 * a full heap, a crash and a stray print each fail only their own task, and
 * closing the pool leaves no worker process behind.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { WorkerPool } from '../core/worker-pool.js';
import { tempDir } from './helpers.js';

const SCRIPT = `
process.on('message', (task) => {
  if (task.kind === 'fill-heap') {
    const hoard = [];
    for (;;) hoard.push(new Array(1e5).fill(hoard.length));
  }
  if (task.kind === 'crash') process.exit(3);
  if (task.kind === 'print') console.log('a stray line from a library');
  if (task.kind === 'flags') {
    process.send({ ok: true, value: process.execArgv });
    return;
  }
  process.send({ ok: true, value: { pid: process.pid, echo: task.n } });
});
`;

function pool(size = 2): WorkerPool<{ kind: string; n?: number }, unknown> {
  const file = path.join(tempDir('surveyor-pool-'), 'worker.mjs');
  fs.writeFileSync(file, SCRIPT);

  return new WorkerPool(pathToFileURL(file), { size, timeoutMs: 60_000, maxHeapMb: 64, maxRssMb: 0 });
}

test('a worker that fills its heap fails its own task as out-of-memory; the next task runs', async () => {
  const p = pool(1);
  try {
    await assert.rejects(p.run({ kind: 'fill-heap' }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'out-of-memory');
      assert.match(err.message, /needed more than 64 MB of heap/);
      return true;
    });
    assert.deepEqual(((await p.run({ kind: 'echo', n: 7 })) as { echo: number }).echo, 7);
  } finally {
    await p.close();
  }
});

test('a worker that exits fails only its task, as a crash that says how it ended', async () => {
  const p = pool(2);
  try {
    const [crash, ok] = await Promise.allSettled([p.run({ kind: 'crash' }), p.run({ kind: 'echo', n: 1 })]);
    assert.equal(crash.status, 'rejected');
    assert.equal((crash as PromiseRejectedResult).reason.code, 'worker-crash');
    assert.match(String((crash as PromiseRejectedResult).reason.message), /exited \(code 3\)/);
    assert.equal(ok.status, 'fulfilled');
  } finally {
    await p.close();
  }
});

test('workers run with the heap limit and the collector flags', async () => {
  const p = pool(1);
  try {
    const flags = (await p.run({ kind: 'flags' })) as string[];
    assert.ok(flags.includes('--max-old-space-size=64'), flags.join(' '));
    assert.ok(flags.includes('--single-threaded-gc'), flags.join(' '));
  } finally {
    await p.close();
  }
});

test('closing the pool waits for its workers to be gone', async () => {
  const p = pool(2);
  const pids = (await Promise.all([p.run({ kind: 'echo', n: 1 }), p.run({ kind: 'echo', n: 2 })])).map(
    (r) => (r as { pid: number }).pid,
  );
  await p.close();
  for (const pid of pids) {
    assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is still running`);
  }
});
