/**
 * The graph: papers as nodes grouped in their topic clusters, citations as arrows, similarity
 * as faint lines. The layout is fcose, made deterministic by seeding the random numbers it
 * draws, so the same library always looks the same.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { ClusterInfo, DirectionId, GraphData } from '../api/types.js';
import { shortTitle } from './dom.js';
import {
  extentOf,
  layoutAll,
  layoutKey,
  packTopics,
  splitTopics,
  type Algorithm,
  type LayoutInput,
  type LayoutNode,
  type Positions,
  type Topic,
} from './layout-core.js';
import type { LayoutReply, LayoutRequest } from './layout-worker.js';

cytoscape.use(fcose);

export const DIRECTION_COLORS: Record<DirectionId | 'none', string> = {
  efficiency: '#2f7ed8',
  'existing-models': '#9b59b6',
  'plug-and-play': '#e67e22',
  'datasets-evaluation': '#27ae60',
  none: '#8a8f98',
};

const CLUSTER_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#86bcb6',
  '#d37295',
  '#a0cbe8',
];

export function clusterColor(cluster: number | string | null, order: Map<string, number>): string {
  if (cluster === null) return DIRECTION_COLORS.none;

  return CLUSTER_COLORS[(order.get(String(cluster)) ?? 0) % CLUSTER_COLORS.length];
}

export type ColorMode = 'direction' | 'cluster';

/** Below this many papers the layout runs on the page: it takes well under a second, less than a worker's start. */
const WORKER_MIN_PAPERS = 200;
const MAX_WORKERS = 4;
/** The layout worker's bundle, beside the page's own (scripts/build-renderer.mjs). */
const WORKER_URL = 'layout-worker.js';

export interface GraphViewOptions {
  onSelect(id: number | null): void;
  /** Called as topics are laid out (done of total), so the page can say what it is doing. */
  onLayoutProgress?(done: number, total: number, papers: number): void;
  /** Where positions are kept between visits (the library, through the API); keyed by layoutKey. */
  cache?: {
    load(key: string): Promise<Positions | null>;
    save(key: string, positions: Positions): Promise<void>;
  };
  /** Screen pixels at the bottom of the graph covered by something drawn over it (the legend). */
  bottomInset?(): number;
}

export interface Theme {
  text: string;
  textHalo: string;
  edge: string;
  clusterFill: string;
  clusterBorder: string;
  selected: string;
}

export class GraphView {
  cy: cytoscape.Core;
  private large = false;
  private colorMode: ColorMode = 'direction';
  private clusterOrder = new Map<string, number>();
  private showSimilar = true;
  private data: GraphData = { nodes: [], edges: [], clusters: [] };
  /**
   * Topic boxes (behind the canvas) and their labels (over it) are plain page elements that follow
   * the view (see placeTopics), not cytoscape compound nodes: a compound parent makes cytoscape
   * restyle and re-measure all its papers whenever it or they change, which cost seconds per zoom
   * step and most of a second on each load at 2,000 papers.
   */
  private readonly boxLayer: HTMLElement;
  private readonly labelLayer: HTMLElement;
  private topics: TopicBox[] = [];
  private topicFrame = 0;
  private generation = 0;
  private workers: Worker[] = [];
  private cancelLayout: (() => void) | undefined;
  /** Similarity edges not yet added to the graph (large graphs add them when first shown). */
  private similar: cytoscape.ElementDefinition[] = [];
  private layoutNodes = new Map<number, LayoutNode>();
  /** How long the last load took to get positions (ms: cache read or layout); the benchmark reads it. */
  lastLayoutMs = 0;
  /** Where the last positions came from. */
  layoutSource: 'cache' | 'worker' | 'page' | '' = '';
  /** When the last loaded graph was first drawn (performance.now()), 0 until then. */
  shownMs = 0;
  /** True while a graph is being laid out (or read from the cache) and not yet shown. */
  loading = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly opts: GraphViewOptions,
    private theme: Theme,
  ) {
    this.boxLayer = document.createElement('div');
    this.boxLayer.className = 'topic-boxes';
    this.labelLayer = document.createElement('div');
    this.labelLayer.className = 'topic-labels';
    for (const layer of [this.boxLayer, this.labelLayer]) layer.setAttribute('aria-hidden', 'true');
    container.before(this.boxLayer);
    container.after(this.labelLayer);
    this.cy = this.create(false);
  }

  /**
   * Above a few hundred papers, cytoscape draws one bitmap while panning and zooming, so frames
   * stay smooth; that is an option of the instance, hence a new one when the size class changes.
   */
  private create(large: boolean): cytoscape.Core {
    this.large = large;
    const cy = cytoscape({
      container: this.container,
      style: this.stylesheet(),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      // On a screen of one pixel per point cytoscape draws that bitmap at twice the size, and so
      // redraws every paper and its title afresh at a new scale: 400 ms at the start of each pan or
      // zoom at 2,000 papers (in software). Just above 1 it draws it at the screen's size, as it does
      // on high-density screens anyway; the bitmap only shows while the view moves.
      pixelRatio: large ? Math.max(window.devicePixelRatio || 1, 1.0001) : 'auto',
    });
    cy.on('tap', 'node.paper', (e) => this.opts.onSelect(Number((e.target as cytoscape.NodeSingular).data('pid'))));
    cy.on('tap', (e) => {
      if (e.target === cy) this.opts.onSelect(null);
    });
    // Topic boxes and labels move with the view in the same frame; a dragged paper stretches its box.
    cy.on('viewport resize', () => this.placeTopics());
    cy.on('drag', 'node.paper', (e) => {
      const topic = this.topics.find((t) => t.key === String((e.target as cytoscape.NodeSingular).data('topic')));
      if (topic) topic.box = this.boxOf(topic.ids);
      this.scheduleTopics();
    });

    return cy;
  }

  private stylesheet(): cytoscape.StylesheetJson {
    const t = this.theme;

    return [
      {
        selector: 'node.paper',
        style: {
          width: 'data(size)',
          height: 'data(size)',
          'background-color': 'data(color)',
          'border-width': 1,
          'border-color': t.textHalo,
          label: 'data(label)',
          'font-size': 9,
          color: t.text,
          'text-outline-color': t.textHalo,
          'text-outline-width': 2,
          'text-valign': 'bottom',
          'text-margin-y': 3,
          // Titles come pre-cut to fit (shortTitle): cytoscape's ellipsis measures a label one
          // character at a time, which cost a second of text measuring at 2,000 papers.
          'text-wrap': 'ellipsis',
          'text-max-width': `${LABEL_MAX_WIDTH}px`,
          // Labels appear only once they would be readable: zooming in reveals them.
          'min-zoomed-font-size': 7,
        },
      },
      {
        selector: 'edge.cites',
        style: {
          width: 'mapData(weight, 0, 1, 0.6, 1.6)',
          'line-color': t.edge,
          'target-arrow-color': t.edge,
          'target-arrow-shape': 'triangle',
          'arrow-scale': 0.6,
          'curve-style': 'straight',
          opacity: 0.55,
        },
      },
      {
        selector: 'edge.similar',
        style: { width: 0.6, 'line-color': t.edge, 'curve-style': 'haystack', opacity: 0.14 },
      },
      // Above 800 papers citations are drawn as haystack lines (no arrowheads): far cheaper to draw.
      {
        selector: 'edge.cites.fast',
        style: { 'curve-style': 'haystack', 'target-arrow-shape': 'none', opacity: 0.35 },
      },
      { selector: 'edge.similar.off', style: { display: 'none' } },
      { selector: '.filtered', style: { display: 'none' } },
      { selector: '.faded', style: { opacity: 0.12 } },
      { selector: 'edge.faded', style: { opacity: 0.04 } },
      {
        selector: 'node.paper:selected',
        style: {
          'border-width': 4,
          'border-color': t.selected,
          // Its title is marked by colour, not size: cytoscape keeps a label's cached box from the
          // size it had before, so a larger title was drawn clipped (and spilled onto a neighbour).
          color: t.selected,
          'min-zoomed-font-size': 0,
          'z-index': 10,
        },
      },
      { selector: 'node.hit', style: { 'border-width': 3, 'border-color': t.selected, 'min-zoomed-font-size': 0 } },
      {
        selector: 'edge.near',
        style: { opacity: 0.9, 'line-color': t.selected, 'target-arrow-color': t.selected, 'z-index': 9 },
      },
    ];
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.cy.style(this.stylesheet());
  }

  /**
   * Replaces the whole graph: positions come from the cache when the library's graph is unchanged,
   * else from a fresh layout (in the worker for large graphs); then the elements are added in place.
   * Resolves to false when a newer load overtook this one.
   */
  async load(data: GraphData): Promise<boolean> {
    const generation = ++this.generation;
    this.loading = true;
    const inDegree = new Map<number, number>();
    for (const e of data.edges) if (e.kind === 'cites') inDegree.set(e.target, (inDegree.get(e.target) ?? 0) + 1);
    const clusterIds = new Set(data.clusters.map((c) => String(c.id)));
    const topicOf = (n: GraphData['nodes'][number]) =>
      n.cluster !== null && clusterIds.has(String(n.cluster)) ? String(n.cluster) : '';
    const input: LayoutInput = {
      nodes: data.nodes.map((n) => ({
        id: n.id,
        topic: topicOf(n),
        size: 10 + 7 * Math.sqrt(inDegree.get(n.id) ?? 0),
        // An estimate of the title's width (9-unit text), not a measurement: fonts differ between
        // machines, and the layout must not.
        label: Math.min(LABEL_MAX_WIDTH, 5.2 * shortTitle(n.title, LABEL_CHARS).length),
      })),
      edges: data.edges.map((e) => ({ source: e.source, target: e.target, similar: e.kind === 'similar' })),
    };

    const started = performance.now();
    const positions = await this.positionsFor(input, generation);
    if (positions === null || generation !== this.generation) return false;
    this.loading = false;
    this.lastLayoutMs = performance.now() - started;

    this.data = data;
    const large = data.nodes.length > 800;
    if (large !== this.large) {
      this.cy.destroy();
      this.cy = this.create(large);
      // Thousands of similarity lines hide more than they show: off by default on large libraries.
      this.showSimilar = !large;
    }
    this.clusterOrder = new Map(data.clusters.map((c, i) => [String(c.id), i]));
    const at = new Map<number, { x: number; y: number }>();
    for (let i = 0; i < positions.length; i += 3) at.set(positions[i], { x: positions[i + 1], y: positions[i + 2] });

    const elements: cytoscape.ElementDefinition[] = [];
    input.nodes.forEach((l, i) => {
      const n = data.nodes[i];
      elements.push({
        group: 'nodes',
        data: {
          id: `p${n.id}`,
          pid: n.id,
          topic: l.topic,
          label: shortTitle(n.title, LABEL_CHARS),
          size: l.size,
          color: '#888',
        },
        position: at.get(n.id) ?? { x: 0, y: 0 },
        classes: 'paper',
      });
    });
    this.similar = [];
    data.edges.forEach((e, i) => {
      const def: cytoscape.ElementDefinition = {
        group: 'edges',
        data: { id: `e${i}`, source: `p${e.source}`, target: `p${e.target}`, weight: e.weight },
        classes: large && e.kind === 'cites' ? 'cites fast' : e.kind,
      };
      // Hidden similarity lines would still cost their share of every style pass: large graphs add
      // them when the toggle first shows them.
      if (e.kind === 'similar' && !this.showSimilar) this.similar.push(def);
      else elements.push(def);
    });

    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements);
      this.applyColors();
    });
    this.layoutNodes = new Map(input.nodes.map((n) => [n.id, n]));
    this.makeTopics(data, input);
    this.fit();
    this.shownMs = 0;
    requestAnimationFrame(() => requestAnimationFrame(() => (this.shownMs = performance.now())));

    return true;
  }

  /** Cached positions when they match this graph, else a fresh layout (then cached). */
  private async positionsFor(input: LayoutInput, generation: number): Promise<Positions | null> {
    const key = layoutKey(input);
    const cached = await this.opts.cache?.load(key).catch(() => null);
    if (cached && covers(cached, input)) {
      this.layoutSource = 'cache';
      return cached;
    }
    const positions = await this.computeLayout(input, generation);
    if (positions !== null) void this.opts.cache?.save(key, positions).catch(() => undefined);

    return positions;
  }

  /**
   * Lays the graph out: on worker threads above a few hundred papers, so the page stays responsive
   * (one per core, at most four, each taking whole topics, largest first); on the main thread
   * for small graphs, or where a worker cannot start. Both run the same code (layout-core.ts).
   */
  private async computeLayout(input: LayoutInput, generation: number): Promise<Positions | null> {
    const topics = splitTopics(input);
    const progress = (done: number) => this.opts.onLayoutProgress?.(done, topics.length, input.nodes.length);
    if (input.nodes.length >= WORKER_MIN_PAPERS && typeof Worker !== 'undefined') {
      try {
        const laid = await this.layoutInWorkers(topics, generation, progress);
        if (laid === null) return null;
        this.layoutSource = 'worker';

        return packTopics(topics, laid);
      } catch (err) {
        console.warn(`layout worker failed, laying out on the page instead: ${String(err)}`);
      }
    }
    this.layoutSource = 'page';
    progress(0);
    await new Promise((r) => setTimeout(r, 0)); // let the progress message paint first

    return generation === this.generation ? layoutAll(cytoscape, input, (done) => progress(done)) : null;
  }

  private layoutInWorkers(
    topics: Topic[],
    generation: number,
    progress: (done: number) => void,
  ): Promise<Map<string, Positions> | null> {
    // Every core: the page's own thread only waits meanwhile.
    const cores = Math.max(1, navigator.hardwareConcurrency || 2);
    const count = Math.min(MAX_WORKERS, cores, topics.length);
    // Greedy balance: the largest topics first, each to the least loaded worker (cost grows faster than size).
    const loads = Array.from({ length: count }, () => ({ cost: 0, topics: [] as Topic[] }));
    for (const t of [...topics].sort((a, b) => b.nodes.length - a.nodes.length)) {
      const w = loads.reduce((m, x) => (x.cost < m.cost ? x : m));
      w.topics.push(t);
      w.cost += t.nodes.length ** 1.5 + t.edges.length;
    }
    this.stopWorkers();
    const job = generation;
    const laid = new Map<string, Positions>();
    progress(0);

    return new Promise((resolve, reject) => {
      this.cancelLayout = () => resolve(null);
      for (const load of loads) {
        const worker = new Worker(WORKER_URL);
        this.workers.push(worker);
        // Settle first: stopping the workers settles a pending layout as cancelled.
        worker.onerror = (e) => {
          reject(new Error(e.message || 'the layout worker could not start'));
          this.stopWorkers();
        };
        worker.onmessage = (e: MessageEvent<LayoutReply>) => {
          const reply = e.data;
          if (reply.job !== job) return;
          if ('error' in reply) {
            reject(new Error(reply.error));
            return this.stopWorkers();
          }
          laid.set(reply.key, reply.positions);
          progress(laid.size);
          if (laid.size === topics.length) {
            resolve(laid);
            this.stopWorkers();
          }
        };
        worker.postMessage({ job, topics: load.topics } satisfies LayoutRequest);
      }
    });
  }

  private stopWorkers(): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.cancelLayout?.();
    this.cancelLayout = undefined;
  }

  /**
   * The same layout on the page's main thread, timed (the benchmark compares it with the worker's),
   * or with cytoscape's cose in place of fcose (the benchmark's peer).
   */
  timeLayoutOnPage(algorithm: Algorithm = 'fcose'): number {
    const t = performance.now();
    const nodes = this.cy.nodes('.paper').map((n) => ({
      id: Number(n.data('pid')),
      topic: String(n.data('topic')),
      size: Number(n.data('size')),
      label: this.layoutNodes.get(Number(n.data('pid')))?.label,
    }));
    const edges = this.data.edges.map((e) => ({ source: e.source, target: e.target, similar: e.kind === 'similar' }));
    layoutAll(cytoscape, { nodes, edges }, undefined, algorithm);

    return performance.now() - t;
  }

  /** Model-space box around the papers (with their titles and the box's padding), from their positions. */
  private boxOf(ids: number[]): Box {
    const box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
    for (const id of ids) {
      const node = this.cy.getElementById(`p${id}`);
      if (node.empty()) continue;
      const p = node.position();
      const e = extentOf(this.layoutNodes.get(id) ?? { id, topic: '', size: 10 }, p.x, p.y);
      box.x1 = Math.min(box.x1, e.x1 - BOX_PADDING);
      box.y1 = Math.min(box.y1, e.y1 - BOX_PADDING);
      box.x2 = Math.max(box.x2, e.x2 + BOX_PADDING);
      box.y2 = Math.max(box.y2, e.y2 + BOX_PADDING);
    }

    return box;
  }

  private makeTopics(data: GraphData, input: LayoutInput): void {
    const members = new Map<string, number[]>();
    for (const n of input.nodes) if (n.topic !== '') members.set(n.topic, [...(members.get(n.topic) ?? []), n.id]);
    this.boxLayer.replaceChildren();
    this.labelLayer.replaceChildren();
    this.topics = data.clusters
      .filter((c) => members.has(String(c.id)))
      .map((c) => {
        const ids = members.get(String(c.id))!;
        const boxEl = document.createElement('div');
        boxEl.className = 'topic-box';
        const labelEl = document.createElement('div');
        labelEl.className = 'topic-label';
        labelEl.textContent = clusterTitle(c);
        this.boxLayer.append(boxEl);
        this.labelLayer.append(labelEl);

        return { key: String(c.id), ids, box: this.boxOf(ids), boxEl, labelEl, shown: true };
      });
  }

  private scheduleTopics(): void {
    if (this.topicFrame) return;
    this.topicFrame = requestAnimationFrame(() => {
      this.topicFrame = 0;
      this.placeTopics();
    });
  }

  /**
   * Each topic's box follows the view; its label sits centred above the box and keeps one size on
   * screen whatever the zoom, so it stays readable from afar, cut short (…) where it would run into
   * the next topic's. No layout is read here: boxes are kept in graph units, so this is cheap enough
   * for every frame of a gesture.
   */
  private placeTopics(): void {
    const w = this.cy.width();
    const h = this.cy.height();
    const zoom = this.cy.zoom();
    const pan = this.cy.pan();
    for (const t of this.topics) {
      const x1 = t.box.x1 * zoom + pan.x;
      const y1 = t.box.y1 * zoom + pan.y;
      const bw = (t.box.x2 - t.box.x1) * zoom;
      const bh = (t.box.y2 - t.box.y1) * zoom;
      const inView = t.shown && x1 + bw > 0 && x1 < w && y1 + bh > 0 && y1 < h;
      t.boxEl.hidden = !inView;
      t.labelEl.hidden = !inView;
      if (!inView) continue;
      t.boxEl.style.transform = `translate(${x1.toFixed(1)}px, ${y1.toFixed(1)}px)`;
      t.boxEl.style.width = `${bw.toFixed(1)}px`;
      t.boxEl.style.height = `${bh.toFixed(1)}px`;
      t.labelEl.style.maxWidth = `${Math.max(40, Math.round(bw + 40 * zoom))}px`;
      t.labelEl.style.transform = `translate(${Math.round(x1 + bw / 2)}px, ${Math.round(y1) - 3}px) translate(-50%, -100%)`;
    }
  }

  setColorMode(mode: ColorMode): void {
    this.colorMode = mode;
    this.cy.batch(() => this.applyColors());
  }

  /** Updates node colours (after a direction changes) without a new layout. */
  updateDirections(directions: Map<number, DirectionId | null>): void {
    for (const n of this.data.nodes) if (directions.has(n.id)) n.direction = directions.get(n.id) ?? null;
    this.cy.batch(() => this.applyColors());
  }

  private applyColors(): void {
    const byId = new Map(this.data.nodes.map((n) => [n.id, n]));
    this.cy.nodes('.paper').forEach((node) => {
      const n = byId.get(Number(node.data('pid')));
      if (!n) return;
      node.data(
        'color',
        this.colorMode === 'direction'
          ? DIRECTION_COLORS[n.direction ?? 'none']
          : clusterColor(n.cluster, this.clusterOrder),
      );
    });
  }

  /** Edges of the loaded graph, drawn or not yet added. */
  get edgeCount(): number {
    return this.data.edges.length;
  }

  get similarVisible(): boolean {
    return this.showSimilar;
  }

  setSimilarVisible(on: boolean): void {
    this.showSimilar = on;
    if (on && this.similar.length) {
      const added = this.cy.add(this.similar);
      this.similar = [];
      if (this.cy.edges('.faded').nonempty()) added.addClass('faded');
    }
    this.cy.edges('.similar').toggleClass('off', !on);
  }

  /** Hides papers the filters leave out (and clusters left empty). */
  applyFilter(visible: (id: number) => boolean): void {
    this.cy.batch(() => {
      this.cy.nodes('.paper').forEach((n) => {
        n.toggleClass('filtered', !visible(Number(n.data('pid'))));
      });
    });
    for (const t of this.topics) t.shown = t.ids.some((id) => visible(id));
    this.placeTopics();
  }

  select(id: number | null, center = false): void {
    this.cy.batch(() => {
      this.cy.elements().unselect().removeClass('near');
      if (id === null) return;
      const node = this.cy.getElementById(`p${id}`);
      if (node.empty()) return;
      node.select();
      node.connectedEdges('.cites').addClass('near');
    });
    if (id !== null && center) {
      const node = this.cy.getElementById(`p${id}`);
      if (node.nonempty())
        this.cy.animate({ center: { eles: node }, zoom: Math.max(this.cy.zoom(), 1.2) }, { duration: 250 });
    }
  }

  /** Marks search hits and fades the rest; an empty list clears the marks. */
  highlight(ids: number[]): void {
    const set = new Set(ids);
    this.cy.batch(() => {
      this.cy.elements().removeClass('hit faded');
      if (set.size === 0) return;
      this.cy.nodes('.paper').forEach((n) => {
        n.addClass(set.has(Number(n.data('pid'))) ? 'hit' : 'faded');
      });
      this.cy.edges().addClass('faded');
    });
  }

  zoomBy(factor: number): void {
    const c = this.container.getBoundingClientRect();
    this.cy.zoom({ level: this.cy.zoom() * factor, renderedPosition: { x: c.width / 2, y: c.height / 2 } });
  }

  /**
   * Fits the topic boxes (or the papers, when there are no topics) in view. Computed from the boxes
   * rather than cy.fit(), which would first compute every edge's extent: most of a second at 2,000 papers.
   */
  fit(): void {
    // A running centre-on-paper animation would otherwise undo the fit.
    this.cy.stop(true, false);
    const boxes = this.topics.length ? this.topics.map((t) => t.box) : [this.boxOf(this.data.nodes.map((n) => n.id))];
    const x1 = Math.min(...boxes.map((b) => b.x1));
    const y1 = Math.min(...boxes.map((b) => b.y1)) - 24; // room for the labels above the top row
    const x2 = Math.max(...boxes.map((b) => b.x2));
    const y2 = Math.max(...boxes.map((b) => b.y2));
    if (!Number.isFinite(x1 + y1 + x2 + y2)) return;
    const pad = 30;
    // Papers are fitted above the legend, not under it.
    const bottom = Math.max(pad, (this.opts.bottomInset?.() ?? 0) + 8);
    const zoom = Math.min(
      this.cy.maxZoom(),
      Math.max(this.cy.minZoom(), Math.min((this.cy.width() - 2 * pad) / (x2 - x1), (this.cy.height() - pad - bottom) / (y2 - y1))),
    );
    const pan = { x: (this.cy.width() - zoom * (x1 + x2)) / 2, y: (this.cy.height() - bottom + pad - zoom * (y1 + y2)) / 2 };
    this.cy.viewport({ zoom, pan });
    this.placeTopics();
  }

  /** After the container changes size: keeps the selected paper in view. */
  resize(): void {
    // Keep what was in the middle in the middle when the panel opens or closes beside the graph.
    const before = this.cy.width();
    this.cy.resize();
    this.cy.panBy({ x: (this.cy.width() - before) / 2, y: 0 });
    const sel = this.cy.nodes('.paper:selected').first();
    if (sel.empty()) return;
    const p = sel.renderedPosition();
    const w = this.container.clientWidth;
    const hgt = this.container.clientHeight;
    if (p.x < 20 || p.x > w - 20 || p.y < 20 || p.y > hgt - 20) this.cy.center(sel);
  }

  /** Where a paper is drawn on screen (tests and keyboard navigation use it). */
  renderedPosition(id: number): { x: number; y: number } | null {
    const node = this.cy.getElementById(`p${id}`);

    return node.nonempty() ? node.renderedPosition() : null;
  }
}

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

interface TopicBox {
  key: string;
  ids: number[];
  box: Box;
  boxEl: HTMLElement;
  labelEl: HTMLElement;
  /** False when the filters hide all its papers. */
  shown: boolean;
}

/** Room between a topic's papers and its box's border, in graph units. */
const BOX_PADDING = 12;
/** Paper titles: cut to this many characters, drawn at most this wide (graph units). */
const LABEL_CHARS = 36;
const LABEL_MAX_WIDTH = 190;

/** True when the positions place every paper of the graph. */
function covers(positions: Positions, input: LayoutInput): boolean {
  if (positions.length !== input.nodes.length * 3) return false;
  const ids = new Set<number>();
  for (let i = 0; i < positions.length; i += 3) {
    if (!Number.isFinite(positions[i + 1]) || !Number.isFinite(positions[i + 2])) return false;
    ids.add(positions[i]);
  }

  return input.nodes.every((n) => ids.has(n.id));
}

function clusterTitle(c: ClusterInfo): string {
  return `${c.label} (${c.size})`;
}
