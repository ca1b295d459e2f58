/**
 * `surveyor serve` from the outside: it listens on loopback only, rejects every request without
 * its token (and calls that carry it only in a cookie), checks the Host header, validates input,
 * and ingests PDFs uploaded the way the page drops them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { after, before, test } from 'node:test';
import type { JobView, Reply } from '../api/contract.js';
import { openLibrary, type Library } from '../db/library.js';
import { startServer, type RunningServer } from '../server/http.js';
import { fixturePdf, tempLibraryPath } from './helpers.js';

let lib: Library;
let server: RunningServer;

before(async () => {
  lib = openLibrary(tempLibraryPath());
  // autoBuild off: these tests are about the HTTP face, not the graph step.
  server = await startServer({ lib, autoBuild: false });
});

after(async () => {
  await server.close();
  lib.close();
});

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so the tests control every header (fetch would add or refuse some). */
function request(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: opts.method ?? 'GET',
        headers: { Host: `127.0.0.1:${server.port}`, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function call<T>(method: string, input: unknown): Promise<Reply<T>> {
  const r = await request(`/api/call/${method}`, {
    method: 'POST',
    headers: { 'X-Surveyor-Token': server.token, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  assert.equal(r.status, 200, r.body);

  return JSON.parse(r.body) as Reply<T>;
}

test('the printed URL points at 127.0.0.1 and carries a long random token', () => {
  const url = new URL(server.url);
  assert.equal(url.hostname, '127.0.0.1');
  assert.ok(server.token.length >= 32, 'at least 24 random bytes');
  assert.equal(url.searchParams.get('token'), server.token);
});

test('it listens on the loopback interface only', async () => {
  const outside = Object.values(os.networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && i.family === 'IPv4')
    .map((i) => i!.address);
  for (const address of outside) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: address, port: server.port });
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    assert.ok(refused, `port ${server.port} must not answer on ${address}`);
  }
});

test('every request without the token is rejected, whatever it asks for', async () => {
  for (const path of ['/', '/index.html', '/app.js', '/app.css', '/api/events', '/api/pdf/1', '/nothing']) {
    assert.equal((await request(path)).status, 401, path);
    assert.equal(
      (await request(`${path}${path.includes('?') ? '&' : '?'}token=wrong-${server.token}`)).status,
      401,
      `${path} with a wrong token`,
    );
  }
  const post = await request('/api/call/info', { method: 'POST', body: '{}' });
  assert.equal(post.status, 401);
  const wrong = await request('/api/call/info', {
    method: 'POST',
    headers: { 'X-Surveyor-Token': server.token.slice(1) + 'x' },
    body: '{}',
  });
  assert.equal(wrong.status, 401);
});

test('the page loads with the token, under a strict CSP, and sets an HttpOnly SameSite cookie', async () => {
  const r = await request(`/?token=${server.token}`);
  assert.equal(r.status, 200);
  const csp = String(r.headers['content-security-policy']);
  assert.match(csp, /^default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe/);
  const cookie = String(r.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(r.body, /<script src="app\.js" defer>/);
  assert.doesNotMatch(r.body, /<script>[^<]|<style>|style="/, 'no inline script or style in the page');

  // The cookie lets the page's own files load, but never a call that changes anything.
  const asset = await request('/app.js', { headers: { Cookie: `surveyor_token=${server.token}` } });
  assert.equal(asset.status, 200);
  const forged = await request('/api/call/info', {
    method: 'POST',
    headers: { Cookie: `surveyor_token=${server.token}` },
    body: '{}',
  });
  assert.equal(forged.status, 401, 'a cross-site form could send the cookie, so calls need the header');
});

test('a request naming another host is refused (DNS rebinding)', async () => {
  const r = await request(`/?token=${server.token}`, { headers: { Host: 'attacker.example:80' } });
  assert.equal(r.status, 403);
});

test('file names cannot climb out of the page folder', async () => {
  for (const path of [
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/.hidden',
    '/dist/renderer/app.js',
  ]) {
    const r = await request(`${path}?token=${server.token}`);
    assert.equal(r.status, 404, path);
  }
});

test('bad input gets a clear error naming the field; an unknown method lists the methods', async () => {
  const bad = await call('paper', { id: 'seven' });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.code, 'bad-request');
    assert.match(bad.error.message, /paper: invalid input \(id: /);
  }
  const extra = await call('search', { query: 'x', sql: 'DROP TABLE papers' });
  assert.equal(extra.ok, false, 'unknown keys are refused');
  const unknown = await call('dropTables', {});
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.match(unknown.error.message, /the methods are: .*papers.*search/);
  const missing = await call('paper', { id: 99999 });
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.match(missing.error.message, /no paper #99999/);
});

test('over HTTP an ingest takes uploads, never paths on the server', async () => {
  const r = await call('startJob', { kind: 'ingest', paths: ['/etc'] });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error.message, /uploads, not paths/);
  const unknown = await call('startJob', { kind: 'ingest', uploads: ['0'.repeat(32)] });
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.match(unknown.error.message, /unknown upload id/);
});

test(
  'an uploaded PDF is ingested, its temporary copy removed, and its stored PDF served',
  { timeout: 120_000 },
  async () => {
    const bytes = fs.readFileSync(fixturePdf('1512.03385'));
    const up = await request('/api/upload?name=resnet%20paper.pdf', {
      method: 'POST',
      headers: { 'X-Surveyor-Token': server.token },
      body: bytes,
    });
    const uploaded = JSON.parse(up.body) as Reply<{ uploadId: string }>;
    assert.ok(uploaded.ok, up.body);
    const junk = await request('/api/upload?name=notes.pdf', {
      method: 'POST',
      headers: { 'X-Surveyor-Token': server.token },
      body: 'not a pdf at all',
    });
    const junkId = (JSON.parse(junk.body) as { value: { uploadId: string } }).value.uploadId;

    const events: JobView[] = [];
    server.service.onEvent((e) => e.type === 'job' && events.push(e.job));
    const started = await call<{ jobId: string }>('startJob', {
      kind: 'ingest',
      uploads: [uploaded.ok ? uploaded.value.uploadId : '', junkId],
    });
    assert.ok(started.ok);
    await server.service.jobs.idle();

    const end = events.filter((j) => started.ok && j.id === started.value.jobId).at(-1)!;
    assert.equal(end.state, 'done');
    assert.match(end.summary ?? '', /1 added, 0 already there, 1 failed/);
    assert.equal(end.failures?.[0]?.file, 'notes.pdf', 'the failure names the file as the user dropped it');
    assert.doesNotMatch(
      end.failures?.[0]?.error ?? '',
      /surveyor-uploads-/,
      'no temporary path leaks into the message',
    );
    assert.ok(
      events.some((j) => j.state === 'running' && j.total === 2),
      'progress was reported',
    );
    assert.deepEqual(fs.readdirSync(server.uploadsDir), [], 'the uploads were removed when the job ended');

    const papers = await call<{ id: number; arxivId: string }[]>('papers', {});
    assert.ok(papers.ok);
    const resnet = papers.ok ? papers.value.find((p) => p.arxivId === '1512.03385') : undefined;
    assert.ok(resnet, 'the uploaded paper is in the library');
    const pdf = await request(`/api/pdf/${resnet.id}`, { headers: { 'X-Surveyor-Token': server.token } });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(Number(pdf.headers['content-length']), bytes.length);
  },
);

test('the event stream needs the token and replays the jobs on connect', async () => {
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: server.port,
        path: `/api/events?token=${server.token}`,
        headers: { Host: `127.0.0.1:${server.port}` },
      },
      (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream');
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('"type":"job"')) {
            req.destroy();
            resolve(text);
          }
        });
      },
    );
    req.on('error', reject);
  });
  assert.match(body, /"kind":"ingest"/);
});

test(
  'a running ingest can be cancelled: it stops, keeps the finished papers, and says so',
  { timeout: 120_000 },
  async () => {
    const ids = [
      '1409.7495',
      '1411.4038',
      '1412.3555',
      '1503.02531',
      '1602.07360',
      '1704.04861',
      '1707.01083',
      '1709.01507',
    ];
    const uploads: string[] = [];
    for (const id of ids) {
      const r = await request(`/api/upload?name=${id}.pdf`, {
        method: 'POST',
        headers: { 'X-Surveyor-Token': server.token },
        body: fs.readFileSync(fixturePdf(id)),
      });
      uploads.push((JSON.parse(r.body) as { value: { uploadId: string } }).value.uploadId);
    }
    const before = (await call<unknown[]>('papers', {})) as { ok: true; value: unknown[] };
    let jobId = '';
    let cancelled = false;
    const seen: JobView[] = [];
    server.service.onEvent((e) => {
      if (e.type !== 'job' || e.job.id !== jobId) return;
      seen.push(e.job);
      if (!cancelled && e.job.state === 'running' && e.job.done >= 1) {
        cancelled = true;
        void call('cancelJob', { jobId });
      }
    });
    const started = (await call<{ jobId: string }>('startJob', { kind: 'ingest', uploads })) as {
      ok: true;
      value: { jobId: string };
    };
    jobId = started.value.jobId;
    await server.service.jobs.idle();

    const end = seen.at(-1)!;
    assert.equal(end.state, 'cancelled');
    const after = (await call<unknown[]>('papers', {})) as { ok: true; value: unknown[] };
    const added = after.value.length - before.value.length;
    assert.ok(
      added >= 1 && added < ids.length,
      `finished papers are kept, the rest not started (${added} of ${ids.length})`,
    );
    assert.deepEqual(fs.readdirSync(server.uploadsDir), [], 'the uploads were removed after the cancel too');
    const again = await call('cancelJob', { jobId });
    assert.deepEqual(again, { ok: true, value: { cancelled: false } }, 'an ended job cannot be cancelled twice');
  },
);
