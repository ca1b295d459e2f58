/// <reference path="../renderer/fcose.d.ts" />
/**
 * The page's graph layout (renderer/layout-core.ts) run in plain Node on a headless cytoscape, the
 * same code the page's layout worker runs; and the layout cache (migration 005, db/layouts.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { INPUTS } from '../api/contract.js';
import { seededRandom } from '../core/random.js';
import { KEPT_LAYOUTS, readLayout, writeLayout } from '../db/layouts.js';
import { migrate, schemaVersion } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import {
  layoutAll,
  layoutKey,
  layoutTopic,
  splitTopics,
  type LayoutInput,
  type Positions,
} from '../renderer/layout-core.js';

cytoscape.use(fcose);

/** Topics of the given sizes; papers cite about four others in their topic and have a few similar ones. */
function graph(sizes: number[], seed = 7): LayoutInput {
  const rand = seededRandom(seed);
  const input: LayoutInput = { nodes: [], edges: [] };
  let id = 1;
  sizes.forEach((size, t) => {
    const ids: number[] = [];
    for (let i = 0; i < size; i++, id++) {
      ids.push(id);
      input.nodes.push({ id, topic: String(t + 1), size: 10 + 7 * Math.sqrt(Math.floor(rand() * 5)) });
      for (let k = 0; k < 4 && ids.length > 1; k++) {
        const other = ids[Math.floor(rand() * (ids.length - 1))];
        input.edges.push({ source: id, target: other, similar: k === 3 });
      }
    }
  });
  // A few citations between topics: drawn, but no part of the layout.
  input.edges.push({ source: 1, target: id - 1, similar: false });

  return input;
}

function byId(p: Positions): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (let i = 0; i < p.length; i += 3) m.set(p[i], [p[i + 1], p[i + 2]]);

  return m;
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const rand = seededRandom(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }

  return out;
}

test('the same graph always gets the same positions, whatever the order papers and edges come in', () => {
  const input = graph([60, 25, 6, 2]);
  const a = layoutAll(cytoscape, input);
  const b = layoutAll(cytoscape, input);
  assert.deepEqual(a, b);
  const c = layoutAll(cytoscape, { nodes: shuffled(input.nodes, 1), edges: shuffled(input.edges, 2) });
  assert.deepEqual(byId(c), byId(a));
  assert.equal(byId(a).size, input.nodes.length, 'every paper is placed once');
  for (const [, [x, y]] of byId(a)) assert.ok(Number.isFinite(x) && Number.isFinite(y));
  assert.equal(layoutKey(input), layoutKey({ nodes: shuffled(input.nodes, 3), edges: shuffled(input.edges, 4) }));
});

test('a topic laid out in a worker gives what the whole layout gives: seeds come from the topic, not the order', () => {
  const input = graph([40, 30]);
  const whole = byId(layoutAll(cytoscape, input));
  const [, second] = splitTopics(input);
  const alone = byId(layoutTopic(cytoscape, second));
  // The packing shifts each topic as a block: differences between papers of a topic are kept.
  const ids = second.nodes.map((n) => n.id);
  const [a, b] = [ids[0], ids[ids.length - 1]];
  assert.ok(Math.abs(whole.get(a)![0] - whole.get(b)![0] - (alone.get(a)![0] - alone.get(b)![0])) < 0.02);
  assert.ok(Math.abs(whole.get(a)![1] - whole.get(b)![1] - (alone.get(a)![1] - alone.get(b)![1])) < 0.02);
});

test('topic boxes never overlap, and papers inside a large topic are spread out, not heaped', () => {
  const input = graph([260, 90, 40, 12, 3]);
  const pos = byId(layoutAll(cytoscape, input));
  const size = new Map(input.nodes.map((n) => [n.id, n.size]));
  const boxes = splitTopics(input).map((t) => {
    const xs = t.nodes.map((n) => pos.get(n.id)!);
    const r = (id: number) => size.get(id)! / 2;
    return {
      x1: Math.min(...t.nodes.map((n) => pos.get(n.id)![0] - r(n.id))),
      x2: Math.max(...t.nodes.map((n) => pos.get(n.id)![0] + r(n.id))),
      y1: Math.min(...xs.map((p) => p[1])) - 20,
      y2: Math.max(...xs.map((p) => p[1])) + 20,
    };
  });
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const apart = a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1;
      assert.ok(apart, `topics ${i} and ${j} overlap`);
    }

  // Papers drawn on top of each other: the spectral-only draft layout heaped thousands of pairs here.
  const big = splitTopics(input)[0].nodes;
  let overlapping = 0;
  for (let i = 0; i < big.length; i++)
    for (let j = i + 1; j < big.length; j++) {
      const [p, q] = [pos.get(big[i].id)!, pos.get(big[j].id)!];
      if (Math.hypot(p[0] - q[0], p[1] - q[1]) < (big[i].size + big[j].size) / 2) overlapping++;
    }
  assert.ok(overlapping < big.length * 0.6, `${overlapping} overlapping pairs among ${big.length} papers`);
});

test('the layout key changes with anything the layout depends on', () => {
  const input = graph([20, 10]);
  const key = layoutKey(input);
  assert.match(key, /^[0-9a-f]{16}$/);
  const moved = { ...input, nodes: input.nodes.map((n) => (n.id === 3 ? { ...n, topic: '2' } : n)) };
  const resized = { ...input, nodes: input.nodes.map((n) => (n.id === 3 ? { ...n, size: n.size + 1 } : n)) };
  const rewired = { ...input, edges: input.edges.slice(1) };
  const grown = { ...input, nodes: [...input.nodes, { id: 999, topic: '1', size: 10 }] };
  for (const other of [moved, resized, rewired, grown]) assert.notEqual(layoutKey(other), key);
  // An edge between topics takes no part in the layout, so it does not change the key.
  assert.equal(layoutKey({ ...input, edges: [...input.edges, { source: 2, target: 25, similar: false }] }), key);
});

test('migration 5 adds graph_layouts; positions round-trip and only the latest few layouts are kept', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS, 4);
  db.prepare("INSERT INTO papers (id, title) VALUES (1, 'kept')").run();
  assert.deepEqual(migrate(db, MIGRATIONS, 5), [5]);
  assert.equal(schemaVersion(db), 5);
  assert.equal((db.prepare('SELECT title FROM papers').get() as { title: string }).title, 'kept');

  assert.equal(readLayout(db, '0123456789abcdef'), null);
  const positions = [1, 10.25, -3.5, 2, 0, 1e4];
  writeLayout(db, '0123456789abcdef', positions);
  assert.deepEqual(readLayout(db, '0123456789abcdef'), positions);
  writeLayout(db, '0123456789abcdef', [1, 1, 1]);
  assert.deepEqual(readLayout(db, '0123456789abcdef'), [1, 1, 1], 'saving under the same key replaces');
  for (let i = 0; i < KEPT_LAYOUTS + 2; i++) writeLayout(db, `${i}`.padStart(16, 'f'), [i, 0, 0]);
  assert.equal((db.prepare('SELECT count(*) AS n FROM graph_layouts').get() as { n: number }).n, KEPT_LAYOUTS);
  assert.equal(readLayout(db, '0123456789abcdef'), null, 'the oldest layouts are dropped');
  assert.deepEqual(readLayout(db, `${KEPT_LAYOUTS + 1}`.padStart(16, 'f')), [KEPT_LAYOUTS + 1, 0, 0]);
});

test('the API refuses layout keys and positions of the wrong shape', () => {
  assert.ok(INPUTS.saveLayout.safeParse({ key: '0123456789abcdef', positions: [1, 2, 3] }).success);
  for (const bad of [
    { key: '0123456789abcdef', positions: [1, 2] },
    { key: '0123456789abcdef', positions: [1, 2, Number.NaN] },
    { key: '../../etc/passwd', positions: [] },
    { key: '0123456789abcdef', positions: [1, 2, 3], extra: true },
  ])
    assert.equal(INPUTS.saveLayout.safeParse(bad).success, false, JSON.stringify(bad));
  assert.equal(INPUTS.layout.safeParse({ key: 'ABC' }).success, false);
});
