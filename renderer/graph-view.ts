/**
 * The graph: papers as nodes grouped in their topic clusters, citations as arrows, similarity
 * as faint lines. The layout is fcose, made deterministic by seeding the random numbers it
 * draws, so the same library always looks the same.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { ClusterInfo, DirectionId, GraphData } from '../api/types.js';
import { shortTitle } from './dom.js';
import { seededRandom as seeded } from '../core/random.js';

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

export interface GraphViewOptions {
  onSelect(id: number | null): void;
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
  /** When the last layout finished (ms, from performance.now()); the benchmark reads it. */
  lastLayoutMs = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly opts: GraphViewOptions,
    private theme: Theme,
  ) {
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
    });
    cy.on('tap', 'node.paper', (e) => this.opts.onSelect(Number((e.target as cytoscape.NodeSingular).data('pid'))));
    cy.on('tap', (e) => {
      if (e.target === cy) this.opts.onSelect(null);
    });
    // Topic labels keep one size on screen whatever the zoom, so they stay readable from afar.
    // They are resized once zooming pauses: a style change during a gesture would force full redraws.
    let timer: ReturnType<typeof setTimeout> | undefined;
    cy.on('zoom', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.sizeClusterLabels(), 120);
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
          'text-wrap': 'ellipsis',
          'text-max-width': '140px',
          // Labels appear only once they would be readable: zooming in reveals them.
          'min-zoomed-font-size': 7,
        },
      },
      {
        selector: 'node.cluster',
        style: {
          shape: 'round-rectangle',
          'background-color': t.clusterFill,
          'background-opacity': 0.5,
          'border-width': 1,
          'border-color': t.clusterBorder,
          'border-opacity': 0.8,
          label: 'data(label)',
          'font-size': 'data(fs)',
          'font-weight': 'bold',
          color: t.text,
          'text-valign': 'top',
          'text-halign': 'center',
          'text-margin-y': -6,
          'text-outline-color': t.textHalo,
          'text-outline-width': 3,
          padding: '18px',
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
          'font-size': 12,
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

  /** Replaces the whole graph and lays it out; returns the layout time in ms. */
  load(data: GraphData): number {
    this.data = data;
    const large = data.nodes.length > 800;
    if (large !== this.large) {
      this.cy.destroy();
      this.cy = this.create(large);
      // Thousands of similarity lines hide more than they show: off by default on large libraries.
      this.showSimilar = !large;
    }
    this.clusterOrder = new Map(data.clusters.map((c, i) => [String(c.id), i]));
    const inDegree = new Map<number, number>();
    for (const e of data.edges) if (e.kind === 'cites') inDegree.set(e.target, (inDegree.get(e.target) ?? 0) + 1);
    const clusterIds = new Set(data.clusters.map((c) => String(c.id)));

    const elements: cytoscape.ElementDefinition[] = [];
    for (const c of data.clusters)
      elements.push({ group: 'nodes', data: { id: `c${c.id}`, label: clusterTitle(c), fs: 15 }, classes: 'cluster' });
    for (const n of data.nodes) {
      const parent = n.cluster !== null && clusterIds.has(String(n.cluster)) ? `c${n.cluster}` : undefined;
      elements.push({
        group: 'nodes',
        data: {
          id: `p${n.id}`,
          pid: n.id,
          parent,
          label: shortTitle(n.title, 48),
          size: 10 + 7 * Math.sqrt(inDegree.get(n.id) ?? 0),
          color: '#888',
        },
        classes: 'paper',
      });
    }
    data.edges.forEach((e, i) => {
      const classes = large && e.kind === 'cites' ? 'cites fast' : e.kind;
      elements.push({
        group: 'edges',
        data: { id: `e${i}`, source: `p${e.source}`, target: `p${e.target}`, weight: e.weight },
        classes,
      });
    });

    const started = performance.now();
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements);
      this.applyColors();
      this.cy.edges('.similar').toggleClass('off', !this.showSimilar);
    });
    this.layout();
    this.sizeClusterLabels();
    this.lastLayoutMs = performance.now() - started;

    return this.lastLayoutMs;
  }

  private sizeClusterLabels(): void {
    const fs = Math.min(200, Math.max(6, 15 / this.cy.zoom()));
    this.cy.batch(() => this.cy.nodes('.cluster').data('fs', fs));
  }

  /**
   * Lays out each topic on its own (its papers, their citations and similarity inside it), then
   * packs the topics in rows, largest first, so topic boxes never overlap. Edges between topics
   * are drawn but take no part in the layout.
   */
  private layout(): void {
    const n = this.data.nodes.length;
    if (n === 0) return;
    const groups = new Map<string, cytoscape.NodeCollection>();
    this.cy.nodes('.paper').forEach((node) => {
      const key = String(node.data('parent') ?? '');
      groups.set(key, (groups.get(key) ?? this.cy.collection()).union(node));
    });
    const boxes: { nodes: cytoscape.NodeCollection; w: number; h: number; x1: number; y1: number }[] = [];
    // fcose draws random numbers for its spectral start; a fixed seed makes the picture reproducible.
    const real = Math.random;
    Math.random = seeded(0x5eed + n);
    try {
      for (const nodes of groups.values()) {
        const inside = nodes.union(nodes.edgesWith(nodes));
        if (nodes.length > 2) {
          inside
            .layout({
              name: 'fcose',
              quality: nodes.length > 150 ? 'draft' : 'default',
              randomize: true,
              animate: false,
              fit: false,
              nodeDimensionsIncludeLabels: false,
              nodeRepulsion: () => 20000,
              idealEdgeLength: (e: cytoscape.EdgeSingular) => (e.hasClass('similar') ? 110 : 90),
              edgeElasticity: (e: cytoscape.EdgeSingular) => (e.hasClass('similar') ? 0.1 : 0.45),
              gravity: 0.4,
              numIter: nodes.length > 150 ? 600 : 2500,
              tile: true,
              packComponents: false,
            } as cytoscape.LayoutOptions)
            .run();
        } else {
          nodes.forEach((node, i) => void node.position({ x: i * 80, y: 0 }));
        }
        const bb = nodes.boundingBox({ includeLabels: true });
        boxes.push({ nodes, w: bb.w, h: bb.h, x1: bb.x1, y1: bb.y1 });
      }
    } finally {
      Math.random = real;
    }

    // Shelf packing: rows about as wide as the whole is tall, so the picture comes out roughly square.
    boxes.sort((a, b) => b.nodes.length - a.nodes.length);
    const gap = 90;
    const area = boxes.reduce((s, b) => s + (b.w + gap) * (b.h + gap), 0);
    const rowWidth = Math.max(Math.sqrt(area) * 1.3, boxes[0]?.w ?? 0);
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    for (const b of boxes) {
      if (x > 0 && x + b.w > rowWidth) {
        x = 0;
        y += rowHeight + gap;
        rowHeight = 0;
      }
      b.nodes.shift({ x: x - b.x1, y: y - b.y1 });
      x += b.w + gap;
      rowHeight = Math.max(rowHeight, b.h);
    }
    this.cy.fit(undefined, 30);
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

  get similarVisible(): boolean {
    return this.showSimilar;
  }

  setSimilarVisible(on: boolean): void {
    this.showSimilar = on;
    this.cy.edges('.similar').toggleClass('off', !on);
  }

  /** Hides papers the filters leave out (and clusters left empty). */
  applyFilter(visible: (id: number) => boolean): void {
    this.cy.batch(() => {
      this.cy.nodes('.paper').forEach((n) => {
        n.toggleClass('filtered', !visible(Number(n.data('pid'))));
      });
      this.cy.nodes('.cluster').forEach((c) => {
        c.toggleClass('filtered', c.children().not('.filtered').length === 0);
      });
    });
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

  fit(): void {
    // A running centre-on-paper animation would otherwise undo the fit.
    this.cy.stop(true, false);
    this.cy.fit(undefined, 30);
    this.sizeClusterLabels();
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

function clusterTitle(c: ClusterInfo): string {
  return `${c.label} (${c.size})`;
}
