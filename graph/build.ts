/**
 * `surveyor build`: embed what is missing, match every reference to the
 * library, then make the similarity graph and the topic clusters. An unchanged
 * library is not rebuilt; a grown one embeds only its new papers.
 */
import { createHash } from 'node:crypto';
import { throwIfAborted } from '../core/errors.js';
import { logger } from '../core/log.js';
import type { StepOptions } from '../core/progress.js';
import { currentEmbeddingModel, readEmbeddings } from '../db/embeddings.js';
import type { Library } from '../db/library.js';
import { embedLibrary } from '../models/embed-library.js';
import { matchReferences, type LibraryPaper, type ReferenceRow } from './match.js';
import { readClusters, readState, referenceKeys, writeMatches, writeState, writeTopicMap, type RefDbRow } from './store.js';
import { clearTopicFit, readTopicFit, readTopicFitSettings, writeTopicFit } from './topic-store.js';
import { computeTopicMap, DEFAULT_K, DEFAULT_LSA_DIMS, updateTopicMap, type TopicMapResult } from './topics.js';

const log = logger('graph');

/** Bumped whenever matching or the topic map changes, so libraries built before are rebuilt. */
const GRAPH_RECIPE = 'graph-5';

export interface BuildOptions extends StepOptions {
  /** Louvain resolution: above 1 gives more, finer clusters (default 1). */
  resolution?: number;
  /** An encoder model folder (passed on to the embedding step). */
  model?: string;
  device?: 'auto' | 'gpu' | 'cpu';
  /** Rebuild even when nothing changed since the last build. */
  force?: boolean;
  /** Set false to skip the embedding step and use whatever vectors are stored. */
  embed?: boolean;
  /** A fixed encoder weight, or 'auto' (the default: chosen per library, see graph/topics.ts). */
  encoderWeight?: number | 'auto';
  k?: number;
  /**
   * When a grown library folds its new papers into the last fit instead of fitting everything again
   * (see INCREMENTAL); false always fits the whole library. `force` fits the whole library too.
   */
  incremental?: false | { minPapers?: number; maxGrowth?: number };
}

/**
 * The incremental build's limits: the last full fit must have covered at least `minPapers` papers
 * (below that a full fit takes a few seconds at most and gives the canonical result), and the
 * library may have grown by at most `maxGrowth` of that fit since; past it the vocabulary and the
 * LSA are fitted on the whole library again. Papers whose text or vector changed, or removed
 * ones, also make the next build a full one.
 */
export const INCREMENTAL = { minPapers: 1000, maxGrowth: 0.1 };

export interface BuildReport {
  papers: number;
  /** Papers the embedding step embedded in this run (0 when it is not available). */
  embedded: number;
  /** The encoder whose vectors took part in the similarity, or null (TF-IDF/LSA alone). */
  encoderModel: string | null;
  references: number;
  matchedReferences: number;
  citationEdges: number;
  similarEdges: number;
  clusters: number;
  /** The encoder weight of the hybrid similarity at the last build (null: no encoder vectors took part). */
  encoderWeight: number | null;
  /** True when the library had not changed since the last build, so nothing was redone. */
  upToDate: boolean;
  /**
   * True when the topic map was updated from the last fit (new papers folded in, the clusters
   * made again) rather than fitted on the whole library; false after a full fit or when up to date.
   */
  incremental: boolean;
  /** Papers folded into the last fit by an incremental build (0 otherwise). */
  foldedIn: number;
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

/**
 * True when every paper with a title or abstract has a vector of the library's current model made
 * after the paper last changed. Then the embedding step has nothing to do, and skipping it spares
 * loading the model and re-reading every paper's text (seconds per thousand papers).
 */
function embeddingsCurrent(lib: Library, opts: BuildOptions): boolean {
  if (opts.model) return false;
  const model = currentEmbeddingModel(lib.db);
  if (!model) return false;
  const stale = lib.db
    .prepare(
      `SELECT count(*) AS n FROM papers p
        WHERE (p.title IS NOT NULL OR p.abstract IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM embeddings e
                           WHERE e.paper_id = p.id AND e.model = ? AND e.created_at >= p.updated_at)`,
    )
    .get(model) as { n: number };

  return stale.n === 0;
}

/** Runs the encoder over papers that have no current vector; returns how many it embedded. */
async function embedMissing(lib: Library, opts: BuildOptions): Promise<number> {
  if (embeddingsCurrent(lib, opts)) return 0;
  const report = await embedLibrary(lib, {
    onProgress: opts.onProgress,
    signal: opts.signal,
    model: opts.model,
    device: opts.device,
  });

  return report.embedded;
}

/** A digest of everything the graph is made from, so an unchanged library can be left alone. */
function fingerprint(lib: Library, opts: BuildOptions, encoderModel: string | null): string {
  const db = lib.db;
  const papers = db
    .prepare("SELECT count(*) AS n, coalesce(sum(id), 0) AS s, coalesce(max(updated_at), '') AS u FROM papers")
    .get();
  const refs = db.prepare('SELECT count(*) AS n, coalesce(sum(id), 0) AS s FROM refs').get();
  const emb = db
    .prepare("SELECT count(*) AS n, coalesce(max(created_at), '') AS c FROM embeddings WHERE model = ?")
    .get(encoderModel ?? '');
  const settings = [
    opts.resolution ?? 1,
    opts.encoderWeight ?? 'auto',
    opts.k ?? DEFAULT_K,
    GRAPH_RECIPE,
  ];

  return createHash('sha256')
    .update(JSON.stringify([papers, refs, emb, encoderModel, settings]))
    .digest('hex');
}

function counts(
  lib: Library,
): Pick<
  BuildReport,
  'references' | 'matchedReferences' | 'citationEdges' | 'similarEdges' | 'clusters' | 'papers' | 'encoderWeight'
> {
  const one = (sql: string) => (lib.db.prepare(sql).get() as { n: number }).n;
  const weight = readState(lib.db, 'encoderWeight');

  return {
    papers: one('SELECT count(*) AS n FROM papers'),
    references: one('SELECT count(*) AS n FROM refs'),
    matchedReferences: one('SELECT count(*) AS n FROM ref_matches'),
    citationEdges: one('SELECT count(*) AS n FROM (SELECT DISTINCT citing_id, cited_id FROM ref_matches)'),
    similarEdges: one('SELECT count(*) AS n FROM similar_edges'),
    clusters: readClusters(lib.db).clusters.length,
    encoderWeight: weight === null || weight === '' ? null : Number(weight),
  };
}

export async function buildGraph(lib: Library, opts: BuildOptions = {}): Promise<BuildReport> {
  const timings: Record<string, number> = {};
  let t = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - t;
    t = Date.now();
  };

  const embedded = opts.embed === false ? 0 : await embedMissing(lib, opts);
  lap('embed');
  throwIfAborted(opts.signal);
  const { model: encoderModel, vectors } = readEmbeddings(lib.db);
  const print = fingerprint(lib, opts, encoderModel);
  if (!opts.force && readState(lib.db, 'fingerprint') === print) {
    return { ...counts(lib), embedded, encoderModel, upToDate: true, incremental: false, foldedIn: 0, timings };
  }

  const papers = (
    lib.db.prepare('SELECT id, title, year, arxiv_id, doi FROM papers ORDER BY id').all() as {
      id: number;
      title: string | null;
      year: number | null;
      arxiv_id: string | null;
      doi: string | null;
    }[]
  ).map((p): LibraryPaper => ({ id: p.id, title: p.title, year: p.year, arxivId: p.arxiv_id, doi: p.doi }));
  const refs = (
    lib.db.prepare('SELECT id, paper_id, raw, title, year, arxiv_id, doi FROM refs ORDER BY id').all() as RefDbRow[]
  ).map(
    (r): ReferenceRow => ({
      id: r.id,
      paperId: r.paper_id,
      raw: r.raw,
      title: r.title,
      year: r.year,
      arxivId: r.arxiv_id,
      doi: r.doi,
    }),
  );
  opts.onProgress?.({ phase: 'match', done: 0, total: refs.length });
  const matches = matchReferences(papers, refs);
  writeMatches(lib.db, matches);
  opts.onProgress?.({ phase: 'match', done: refs.length, total: refs.length });
  lap('match');
  throwIfAborted(opts.signal);

  // What each paper cites, as keys: a library paper by its id, anything else by its identifiers or title.
  const cited = new Map(matches.map((m) => [m.refId, m.citedId]));
  const referenceKeySets = new Map<number, Set<string>>();
  const rawRefs = lib.db.prepare('SELECT id, paper_id, raw, title, arxiv_id, doi FROM refs').all() as {
    id: number;
    paper_id: number;
    raw: string;
    title: string | null;
    arxiv_id: string | null;
    doi: string | null;
  }[];
  for (const r of rawRefs) {
    const set = referenceKeySets.get(r.paper_id) ?? referenceKeySets.set(r.paper_id, new Set()).get(r.paper_id)!;
    const target = cited.get(r.id);
    if (target !== undefined) set.add(`paper:${target}`);
    else
      referenceKeys(r)
        .slice(0, 1)
        .forEach((k) => set.add(k));
  }

  const texts = lib.db
    .prepare(
      `SELECT id, coalesce(title, '') || '. ' || coalesce(abstract, substr(full_text, 1, 2000), '') AS text
         FROM papers ORDER BY id`,
    )
    .all() as { id: number; text: string }[];
  const citations = [
    ...new Map(matches.map((m) => [`${m.citingId} ${m.citedId}`, { source: m.citingId, target: m.citedId }])).values(),
  ];
  const input = {
    ids: texts.map((x) => x.id),
    texts: texts.map((x) => x.text),
    encoder: vectors.size > 0 ? vectors : null,
    citations,
    referenceKeys: referenceKeySets,
  };
  const topicOpts = {
    resolution: opts.resolution,
    encoderWeight: opts.encoderWeight,
    k: opts.k,
    signal: opts.signal,
    onProgress: opts.onProgress,
    keepFit: true,
  };
  // What the fit depends on besides the papers: a change here makes the next build a full one.
  const settings = JSON.stringify({
    recipe: GRAPH_RECIPE,
    k: opts.k ?? DEFAULT_K,
    lsaDims: DEFAULT_LSA_DIMS,
    encoderModel: vectors.size > 0 ? encoderModel : null,
    encoderWeight: opts.encoderWeight ?? 'auto',
  });
  const stamps = paperStamps(lib, vectors.size > 0 ? encoderModel : null);
  const plan = opts.force ? null : planIncremental(lib, settings, stamps, opts);
  let map: TopicMapResult | null = null;
  let foldedIn = 0;
  let incremental = false;
  let saveFit: () => void = () => clearTopicFit(lib.db);
  const resolution = String(opts.resolution ?? 1);
  if (plan) {
    // Same resolution as the last build: its topics stay and new papers join them; else Louvain runs again.
    const previous = readState(lib.db, 'resolution') === resolution ? readClusters(lib.db).byPaper : undefined;
    const update = await updateTopicMap(input, plan, topicOpts, previous);
    if ('refit' in update) log.info(`buildGraph(): fitting the whole library: ${update.refit}`);
    else {
      [map, foldedIn, incremental] = [update, update.added, true];
      saveFit = () => writeTopicFit(lib.db, update.fit, stamps, { full: false, papers: update.changed });
    }
  }
  if (!map) {
    const full = await computeTopicMap(input, topicOpts);
    map = full;
    if (full.fit) {
      const fit = full.fit;
      saveFit = () => writeTopicFit(lib.db, fit, stamps, { full: true, settings });
    }
  }
  Object.assign(timings, map.timings);
  t = Date.now();
  // The fit and the map it made are stored together: a build stopped here leaves the last pair whole.
  const stored = map;
  lib.db.transaction(() => {
    saveFit();
    writeTopicMap(lib.db, stored, { changedOnly: incremental });
    writeState(lib.db, 'encoderWeight', vectors.size > 0 ? stored.encoderWeight.toFixed(4) : '');
    writeState(lib.db, 'fingerprint', print);
    writeState(lib.db, 'resolution', resolution);
  }).immediate();
  lap('store');
  log.info(
    `buildGraph(): ${papers.length} papers, ${matches.length} matched references, ${map.clusters.length} clusters, ` +
      `encoder weight ${map.encoderWeight.toFixed(3)}` +
      (incremental ? `, ${foldedIn} papers folded into the last fit` : ', fitted on the whole library'),
    { timings, weightChoice: map.weightChoice },
  );

  return {
    ...counts(lib),
    embedded,
    encoderModel: vectors.size > 0 ? encoderModel : null,
    upToDate: false,
    incremental,
    foldedIn,
    timings,
  };
}

/** Each paper's stamp: when its record last changed and when its vector (of `model`) was made. */
function paperStamps(lib: Library, model: string | null): Map<number, string> {
  const rows = lib.db
    .prepare(
      `SELECT p.id, p.updated_at || '|' || coalesce(e.created_at, '') AS stamp FROM papers p
         LEFT JOIN embeddings e ON e.paper_id = p.id AND e.model = ?`,
    )
    .all(model ?? '') as { id: number; stamp: string }[];

  return new Map(rows.map((r) => [r.id, r.stamp]));
}

/**
 * The stored fit, when the new papers can be folded into it: same settings, big enough, not grown
 * past the limit, and every paper it covers still there and unchanged. Null means a full fit.
 */
function planIncremental(lib: Library, settings: string, stamps: Map<number, string>, opts: BuildOptions) {
  if (opts.incremental === false) return null;
  const limits = { ...INCREMENTAL, ...opts.incremental };
  const stored = readTopicFitSettings(lib.db);
  if (!stored || stored.settings !== settings) return null;
  if (stored.fittedPapers < limits.minPapers || stamps.size > stored.fittedPapers * (1 + limits.maxGrowth)) return null;
  const { fit, stamps: fitted } = readTopicFit(lib.db)!;
  for (const [id, stamp] of fitted) if (stamps.get(id) !== stamp) return null;
  // A removed paper drops its own row (foreign key) but may still sit in others' neighbour lists.
  for (const list of fit.neighbours.values()) for (const nb of list) if (!stamps.has(nb.id)) return null;

  return fit;
}
