/**
 * The graph's layout as plain computation, with no page attached: each topic is laid out on its own
 * with fcose on a headless cytoscape, its random start seeded from the topic itself, then the topics
 * are packed in rows, largest first. The same code runs in the page's layout worker, on the page's
 * main thread where a worker cannot start, and in Node's tests, so all three give the same picture.
 */
import type cytoscape from 'cytoscape';
import { seededRandom } from '../core/random.js';

/** Bumped whenever the layout's code or settings change, so positions cached by an older version are not reused. */
export const LAYOUT_VERSION = 4;

export interface LayoutNode {
  id: number;
  /** The topic the paper is drawn in ('' for papers in no topic). */
  topic: string;
  /** Diameter in graph units. */
  size: number;
  /** Width of the title drawn centred below the paper (graph units), 0 for none. */
  label?: number;
}

/** The title's line height below a paper, in graph units (9-unit text and its margin). */
export const LABEL_HEIGHT = 16;

/** What a paper covers around its centre, its title included: topic boxes and packing use it. */
export function extentOf(n: LayoutNode, x: number, y: number): { x1: number; y1: number; x2: number; y2: number } {
  const r = n.size / 2;
  const half = Math.max(r, (n.label ?? 0) / 2);

  return { x1: x - half, y1: y - r, x2: x + half, y2: y + r + (n.label ? LABEL_HEIGHT : 0) };
}

export interface LayoutEdge {
  source: number;
  target: number;
  similar: boolean;
}

export interface LayoutInput {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

export interface Topic {
  key: string;
  nodes: LayoutNode[];
  /** Edges with both ends in this topic; edges between topics take no part in the layout. */
  edges: LayoutEdge[];
}

/** fcose is the layout; cose, cytoscape's stock force-directed layout, is the benchmark's peer. */
export type Algorithm = 'fcose' | 'cose';

/** Flat [id, x, y, id, x, y, …]: cheap to post between threads and to store as JSON. */
export type Positions = number[];

/** A topic's positions, as the worker posts them back one topic at a time. */
export interface TopicPositions {
  key: string;
  positions: Positions;
}

/** Topics in a fixed order (by key), each with its papers in id order and its inner edges in (source, target) order. */
export function splitTopics(input: LayoutInput): Topic[] {
  const topics = new Map<string, Topic>();
  const topicOf = new Map<number, string>();
  for (const n of [...input.nodes].sort((a, b) => a.id - b.id)) {
    topicOf.set(n.id, n.topic);
    const t = topics.get(n.topic) ?? { key: n.topic, nodes: [], edges: [] };
    t.nodes.push(n);
    topics.set(n.topic, t);
  }
  for (const e of input.edges) {
    const a = topicOf.get(e.source);
    if (a !== undefined && a === topicOf.get(e.target) && e.source !== e.target) topics.get(a)!.edges.push(e);
  }
  // fcose's result depends on the order it meets elements in: edges in a fixed order too.
  for (const t of topics.values())
    t.edges.sort((x, y) => x.source - y.source || x.target - y.target || Number(x.similar) - Number(y.similar));

  return [...topics.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A stable 32-bit hash of a string (FNV-1a), for seeds and cache keys. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }

  return h;
}

/**
 * Identifies everything the layout depends on: the papers, their topics and sizes, the edges inside
 * topics, and the layout's version. Two independent 32-bit hashes, 16 hex digits.
 */
export function layoutKey(input: LayoutInput): string {
  const parts: string[] = [`v${LAYOUT_VERSION}`];
  for (const t of splitTopics(input)) {
    parts.push(`t${t.key}`);
    for (const n of t.nodes) parts.push(`${n.id}:${n.size.toFixed(2)}:${(n.label ?? 0).toFixed(1)}`);
    const edges = t.edges.map((e) => `${Math.min(e.source, e.target)}-${Math.max(e.source, e.target)}${e.similar ? 's' : 'c'}`);
    parts.push(...edges.sort());
  }
  const text = parts.join(',');
  const hex = (x: number) => x.toString(16).padStart(8, '0');

  return hex(hashString(text)) + hex(hashString(text, 0x9e3779b9));
}

/**
 * Lays out one topic with fcose on a headless cytoscape (its `cytoscape` export, with fcose
 * registered). fcose draws random numbers for its spectral start; Math.random is swapped for a
 * generator seeded from the topic's key and size while it runs, so the result is reproducible.
 */
export function layoutTopic(cy: typeof cytoscape, topic: Topic, algorithm: Algorithm = 'fcose'): Positions {
  const n = topic.nodes.length;
  if (n <= 2) return topic.nodes.flatMap((node, i) => [node.id, i * 80, 0]);

  const core = cy({
    headless: true,
    styleEnabled: true,
    style: [{ selector: 'node', style: { width: 'data(size)', height: 'data(size)', 'border-width': 1 } }],
    elements: [
      ...topic.nodes.map((node) => ({ group: 'nodes' as const, data: { id: `p${node.id}`, size: node.size } })),
      ...topic.edges.map((e, i) => ({
        group: 'edges' as const,
        data: { id: `e${i}`, source: `p${e.source}`, target: `p${e.target}` },
        classes: e.similar ? 'similar' : 'cites',
      })),
    ],
  });
  const real = Math.random;
  Math.random = seededRandom((0x5eed ^ hashString(topic.key) ^ n) >>> 0);
  try {
    // The benchmark's peer: cytoscape's own cose on the same topic, 250 iterations.
    const peer = { name: 'cose', randomize: true, animate: false, fit: false, numIter: 250 };
    core
      .layout(algorithm === 'cose' ? peer : ({
        name: 'fcose',
        // Draft (spectral only) left large topics as a heap of overlapping dots; the default
        // quality adds force-directed rounds that spread them out, at about twice the time.
        quality: 'default',
        randomize: true,
        animate: false,
        fit: false,
        nodeDimensionsIncludeLabels: false,
        nodeRepulsion: () => 20000,
        idealEdgeLength: (e: cytoscape.EdgeSingular) => (e.hasClass('similar') ? 110 : 90),
        edgeElasticity: (e: cytoscape.EdgeSingular) => (e.hasClass('similar') ? 0.1 : 0.45),
        gravity: 0.4,
        numIter: 2500,
        tile: true,
        packComponents: false,
      } as cytoscape.LayoutOptions))
      .run();
  } finally {
    Math.random = real;
  }
  const out: Positions = [];
  core.nodes().forEach((node) => {
    const p = node.position();
    out.push(Number(node.id().slice(1)), p.x, p.y);
  });
  core.destroy();

  return out;
}

/**
 * Packs laid-out topics in rows, largest first (ties by key), the picture about as wide as a
 * window, so topic boxes (papers and their titles, see extentOf) never overlap. Returns all
 * positions, shifted into place.
 */
export function packTopics(topics: Topic[], laid: Map<string, Positions>, gap = 90): Positions {
  const node = new Map<number, LayoutNode>();
  for (const t of topics) for (const n of t.nodes) node.set(n.id, n);
  const boxes = topics.map((t) => {
    const pos = laid.get(t.key) ?? [];
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (let i = 0; i < pos.length; i += 3) {
      const e = extentOf(node.get(pos[i]) ?? { id: pos[i], topic: t.key, size: 10 }, pos[i + 1], pos[i + 2]);
      x1 = Math.min(x1, e.x1);
      x2 = Math.max(x2, e.x2);
      y1 = Math.min(y1, e.y1);
      y2 = Math.max(y2, e.y2);
    }
    if (pos.length === 0) x1 = y1 = x2 = y2 = 0;

    return { key: t.key, count: t.nodes.length, pos, x1, y1, w: x2 - x1, h: y2 - y1 };
  });
  boxes.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  // Rows are filled left to right up to a width; of the widths where a new row would start, the
  // one whose whole picture comes closest to a wide window's shape (8:5) wins.
  const shelf = (rowWidth: number) => {
    const at: { x: number; y: number }[] = [];
    let [x, y, rowHeight, width] = [0, 0, 0, 0];
    for (const b of boxes) {
      if (x > 0 && x + b.w > rowWidth) {
        x = 0;
        y += rowHeight + gap;
        rowHeight = 0;
      }
      at.push({ x, y });
      width = Math.max(width, x + b.w);
      x += b.w + gap;
      rowHeight = Math.max(rowHeight, b.h);
    }

    return { at, shape: Math.abs(Math.log(width / Math.max(1, y + rowHeight) / ASPECT)) };
  };
  let best = shelf(Infinity);
  let sum = -gap;
  for (const b of boxes) {
    sum += b.w + gap;
    const candidate = shelf(sum);
    if (candidate.shape < best.shape - 1e-9) best = candidate;
  }

  const out: Positions = [];
  boxes.forEach((b, k) => {
    const { x, y } = best.at[k];
    // Rounded to a hundredth: the cache stores fewer digits and gives back exactly what was drawn.
    for (let i = 0; i < b.pos.length; i += 3)
      out.push(b.pos[i], round2(b.pos[i + 1] + x - b.x1), round2(b.pos[i + 2] + y - b.y1));
  });

  return out;
}

/** The packed picture's preferred width to height. */
const ASPECT = 1.6;

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The whole layout in one call (the main-thread fallback and the tests). */
export function layoutAll(
  cy: typeof cytoscape,
  input: LayoutInput,
  onTopic?: (done: number, total: number) => void,
  algorithm: Algorithm = 'fcose',
): Positions {
  const topics = splitTopics(input);
  const laid = new Map<string, Positions>();
  topics.forEach((t, i) => {
    laid.set(t.key, layoutTopic(cy, t, algorithm));
    onTopic?.(i + 1, topics.length);
  });

  return packTopics(topics, laid);
}
