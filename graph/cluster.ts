/**
 * Topic clusters: Louvain community detection on the similarity graph, very
 * small communities folded into the neighbour they are most tied to, and a
 * label for each from its distinctive terms (class-based TF-IDF).
 */
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { seededRandom } from '../core/random.js';
import { surfaceForms, topicTerms } from './text.js';

// The package is CommonJS whose types declare an ES default export; under NodeNext the default
// import is module.exports itself, which is the function.
const louvain = louvainModule as unknown as typeof louvainModule.default;

export interface WeightedEdge {
  a: number;
  b: number;
  weight: number;
}

export interface ClusterOptions {
  /** Higher gives more, finer clusters (Louvain's resolution; default 1). */
  resolution?: number;
  /** Clusters smaller than this are merged into their nearest (default: max(3, 0.5% of papers)). */
  minSize?: number;
  seed?: number;
  /** Louvain runs with different seeds; the most modular partition wins (default 3). */
  runs?: number;
}

/**
 * Assigns a cluster to each of `n` nodes (0..n-1). Returns cluster numbers
 * 0..c-1, numbered by size (largest first, ties by lowest member).
 */
export function clusterGraph(n: number, edges: WeightedEdge[], opts: ClusterOptions = {}): number[] {
  if (n === 0) return [];
  const best = bestLouvain(n, edges, opts);
  const assign = Array.from({ length: n }, (_, i) => best.communities[String(i)]);
  mergeSmall(assign, edges, opts.minSize ?? Math.max(3, Math.round(n * 0.005)));

  return renumberBySize(assign);
}

/**
 * Clusters for a grown graph that keep an earlier partition: nodes with a cluster in `previous`
 * (0..c-1, or -1 for none) keep it, and each node without one joins the cluster it has the most
 * edge weight to, in rounds so that a new node tied only to other new nodes follows them; a node
 * with no tie at all joins the largest cluster. The earlier numbers stay (not renumbered by size),
 * so a topic keeps its id, and with it its place and colour in the app, as papers are added.
 */
export function extendClusters(n: number, edges: WeightedEdge[], previous: number[]): number[] {
  const assign = previous.slice(0, n);
  const adjacency: { to: number; weight: number }[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    if (e.a === e.b || e.weight <= 0) continue;
    adjacency[e.a].push({ to: e.b, weight: e.weight });
    adjacency[e.b].push({ to: e.a, weight: e.weight });
  }
  let open = [...assign.keys()].filter((i) => assign[i] < 0);
  while (open.length > 0) {
    // Decide a round from the assignments made before it, so the order of the nodes does not matter.
    const decided: [number, number][] = [];
    for (const i of open) {
      const ties = new Map<number, number>();
      for (const { to, weight } of adjacency[i]) if (assign[to] >= 0) ties.set(assign[to], (ties.get(assign[to]) ?? 0) + weight);
      const best = [...ties.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0];
      if (best) decided.push([i, best[0]]);
    }
    if (decided.length === 0) break;
    for (const [i, c] of decided) assign[i] = c;
    open = open.filter((i) => assign[i] < 0);
  }
  if (open.length > 0) {
    const sizes = new Map<number, number>();
    for (const c of assign) if (c >= 0) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    const largest = [...sizes.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]?.[0] ?? 0;
    for (const i of open) assign[i] = largest;
  }

  return assign;
}

/**
 * The modularity of the best Louvain partition of a graph: how much community structure the
 * graph has (0 for none, towards 1 for well separated groups). Label-free, so it can compare two
 * similarity measures of one library.
 */
export function graphModularity(n: number, edges: WeightedEdge[], opts: ClusterOptions = {}): number {
  return n === 0 ? 0 : bestLouvain(n, edges, opts).modularity;
}

function bestLouvain(
  n: number,
  edges: WeightedEdge[],
  opts: ClusterOptions,
): { communities: Record<string, number>; modularity: number } {
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  for (let i = 0; i < n; i++) graph.addNode(String(i));
  for (const e of edges) {
    if (e.a === e.b || e.weight <= 0) continue;
    const [s, t] = [String(e.a), String(e.b)];
    if (graph.hasEdge(s, t)) graph.updateEdgeAttribute(s, t, 'weight', (w: number) => Math.max(w, e.weight));
    else graph.addEdge(s, t, { weight: e.weight });
  }
  // A graph without edges has nothing to detect: every node is its own community.
  if (graph.size === 0) {
    return { communities: Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), i])), modularity: 0 };
  }
  // Louvain's result depends on the order it visits nodes: a few seeded runs, keeping the most
  // modular partition, give steadier clusters than one run, and stay deterministic.
  let best: { communities: Record<string, number>; modularity: number } | null = null;
  for (let run = 0; run < (opts.runs ?? 3); run++) {
    const out = louvain.detailed(graph, {
      resolution: opts.resolution ?? 1,
      rng: seededRandom((opts.seed ?? 7) + run),
      getEdgeWeight: 'weight',
    });
    if (!best || out.modularity > best.modularity + 1e-12) best = out;
  }

  return best!;
}

/** Folds every cluster below `minSize` into the cluster it shares the most edge weight with. */
function mergeSmall(assign: number[], edges: WeightedEdge[], minSize: number): void {
  for (let round = 0; round < 50; round++) {
    const sizes = new Map<number, number>();
    for (const c of assign) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    if (sizes.size <= 1) return;
    const small = [...sizes.entries()].filter(([, s]) => s < minSize).sort((x, y) => x[1] - y[1] || x[0] - y[0]);
    if (small.length === 0) return;
    const [victim] = small[0];
    const ties = new Map<number, number>();
    for (const e of edges) {
      const ca = assign[e.a];
      const cb = assign[e.b];
      if (ca === victim && cb !== victim) ties.set(cb, (ties.get(cb) ?? 0) + e.weight);
      else if (cb === victim && ca !== victim) ties.set(ca, (ties.get(ca) ?? 0) + e.weight);
    }
    // A cluster with no edges outside joins the largest one: it has no nearer neighbour.
    const target =
      [...ties.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]?.[0] ??
      [...sizes.entries()].filter(([c]) => c !== victim).sort((x, y) => y[1] - x[1] || x[0] - y[0])[0][0];
    for (let i = 0; i < assign.length; i++) if (assign[i] === victim) assign[i] = target;
  }
}

function renumberBySize(assign: number[]): number[] {
  const members = new Map<number, number[]>();
  assign.forEach((c, i) => (members.get(c) ?? members.set(c, []).get(c)!).push(i));
  const order = [...members.values()].sort((x, y) => y.length - x.length || x[0] - y[0]);
  const out = new Array<number>(assign.length);
  order.forEach((list, c) => list.forEach((i) => (out[i] = c)));

  return out;
}

export interface ClusterLabel {
  label: string;
  keywords: string[];
}

/**
 * Labels from class-based term weights: a term scores by its share of the
 * cluster's papers times the log of how much more common it is there than in
 * the whole library (its lift), so words every cluster uses ("model",
 * "dataset") give way to the ones that set this cluster apart.
 */
export function labelClusters(
  texts: string[],
  assign: number[],
  topN = 8,
  docTerms?: Map<string, number>[],
): ClusterLabel[] {
  const count = assign.reduce((m, c) => Math.max(m, c + 1), 0);
  const perCluster = Array.from({ length: count }, () => new Map<string, number>());
  const sizes = new Array<number>(count).fill(0);
  const overall = new Map<string, number>();
  texts.forEach((text, i) => {
    sizes[assign[i]]++;
    for (const t of docTerms ? docTerms[i].keys() : new Set(topicTerms(text))) {
      perCluster[assign[i]].set(t, (perCluster[assign[i]].get(t) ?? 0) + 1);
      overall.set(t, (overall.get(t) ?? 0) + 1);
    }
  });
  const n = texts.length;

  const chosen = perCluster.map((terms, c) => {
    // A term that a single paper uses says nothing about a cluster of many.
    const minShare = sizes[c] >= 6 ? 2 : 1;
    const scored = [...terms.entries()]
      .filter(([, f]) => f >= minShare)
      .map(([t, f]) => {
        const inside = f / sizes[c];
        const lift = inside / (overall.get(t)! / n);

        // The small constant ranks terms by frequency where nothing is distinctive (a one-cluster library).
        return { t, w: inside * (Math.log(Math.max(lift, 1)) + 0.01) * (t.includes(' ') ? 1.2 : 1) };
      })
      .filter((s) => s.w > 0)
      .sort((x, y) => y.w - x.w || (x.t < y.t ? -1 : 1));

    return dropNested(
      scored.map((s) => s.t),
      topN,
    );
  });
  // Terms are stems ("vertice", "sery"); readers see the words the cluster's papers use, counted on
  // up to FORM_SAMPLE of them, evenly spaced.
  const members = Array.from({ length: count }, () => [] as number[]);
  assign.forEach((c, i) => members[c].push(i));

  return chosen.map((keywords, c) => {
    const list = members[c];
    const sample = Array.from({ length: Math.min(FORM_SAMPLE, list.length) }, (_, j) =>
      texts[list[Math.floor((j * list.length) / Math.min(FORM_SAMPLE, list.length))]],
    );
    const forms = surfaceForms(sample, new Set(keywords.flatMap((t) => t.split(' '))));
    const show = (term: string) =>
      term
        .split(' ')
        .map((w) => forms.get(w) ?? w)
        .join(' ');

    // The cluster's term counts hold its word pairs ("a b": in how many of its papers).
    const label = makeLabel(keywords, perCluster[c]);

    return { label: show(label), keywords: keywords.map(show) };
  });
}

/** Papers of a cluster read to find how its terms are written. */
const FORM_SAMPLE = 200;

/** Keeps a unigram out of the keywords when a better-ranked bigram already holds it. */
function dropNested(terms: string[], limit: number): string[] {
  const out: string[] = [];
  for (const t of terms) {
    if (out.length >= limit) break;
    const parts = t.split(' ');
    if (out.some((o) => o.split(' ').some((w) => parts.length === 1 && w === t))) continue;
    if (out.includes(t)) continue;
    out.push(t);
  }

  return out;
}

/**
 * 2–4 words. A word pair among the three best keywords leads, chained with another pair that
 * shares its end word ("convolutional neural" + "neural network" reads "convolutional neural
 * network"); a single leading word is followed by the next keywords' new words, up to three.
 *
 * With `written` (how many of the cluster's papers write each word pair "a b"), the words read as
 * the papers write them: a leading phrase goes on with the word the papers most often write next,
 * while that pair is at least half as common as the lead ("multimodal large" reads "multimodal
 * large language model"), and single keywords are put in the order the papers write them side by
 * side ("system control optimal" reads "optimal control system").
 */
export function makeLabel(keywords: string[], written?: Map<string, number>): string {
  const pairs = keywords.filter((k) => k.includes(' '));
  const lead = keywords.slice(0, 3).find((k) => k.includes(' ')) ?? keywords[0];
  if (!lead) return 'miscellaneous papers';
  const words = lead.split(' ');
  for (const p of pairs) {
    if (words.length >= 4) break;
    const [a, b] = p.split(' ');
    if (a === words[words.length - 1] && !words.includes(b)) words.push(b);
    else if (b === words[0] && !words.includes(a)) words.unshift(a);
  }
  for (const k of keywords) {
    // A leading pair already names the topic; a single word gets the next keywords beside it.
    if (words.length >= 3 || lead.includes(' ')) break;
    const fresh = k.split(' ').filter((w) => !words.some((x) => x === w || x.split('-').includes(w)));
    if (fresh.length > 0 && words.length + fresh.length <= 4) words.push(...fresh);
  }
  if (words.length === 1) return `${words[0]} papers`;
  if (!written) return words.join(' ');
  if (!lead.includes(' ')) return phraseOrder(words, (a, b) => written.get(`${a} ${b}`) ?? 0).join(' ');
  const bar = Math.max(2, (written.get(lead) ?? 0) / 2);
  while (words.length < 4) {
    const next = strongestNext(written, words);
    if (!next || next.count < bar) break;
    words.push(next.word);
  }

  return words.join(' ');
}

/** The word the papers most often write right after the last of `words` (not one already there). */
function strongestNext(written: Map<string, number>, words: string[]): { word: string; count: number } | null {
  const last = `${words[words.length - 1]} `;
  let best: { word: string; count: number } | null = null;
  for (const [term, count] of written) {
    if (!term.startsWith(last)) continue;
    const word = term.slice(last.length);
    if (word.includes(' ') || words.includes(word)) continue;
    if (!best || count > best.count || (count === best.count && word < best.word)) best = { word, count };
  }

  return best;
}

/**
 * The order of `words` whose neighbours are most often written side by side (pairs in under 2
 * papers do not count). Among equally good orders, the one that puts the best-ranked words
 * earliest wins ("pre-trained transformer parameter" over "parameter pre-trained transformer");
 * with no pairs at all, the given order stays.
 */
function phraseOrder(words: string[], together: (a: string, b: string) => number): string[] {
  const score = (order: string[]) => {
    let sum = 0;
    for (let i = 1; i < order.length; i++) {
      const n = together(order[i - 1], order[i]);
      if (n >= 2) sum += n;
    }
    return sum;
  };
  // Where each word stands, listed in the words' rank: smaller is earlier for better-ranked words.
  const places = (order: string[]) => words.map((w) => order.indexOf(w));
  const earlier = (a: number[], b: number[]) => {
    const i = a.findIndex((x, j) => x !== b[j]);
    return i >= 0 && a[i] < b[i];
  };
  let best = words;
  let top = score(words);
  const permute = (done: string[], rest: string[]) => {
    if (rest.length === 0) {
      const s = score(done);
      if (s > top || (s === top && s > 0 && earlier(places(done), places(best)))) [best, top] = [done, s];
      return;
    }
    rest.forEach((w, i) => permute([...done, w], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], words);

  return best;
}
