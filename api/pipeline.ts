/**
 * The pipeline steps beyond ingestion (embed, graph, semantic search, directions, export), seen
 * through one small interface the service calls, so tests can hand the service a narrower one.
 */
import { logger } from '../core/log.js';
import type { StepOptions } from '../core/progress.js';
import { currentEmbeddingModel, readEmbeddings } from '../db/embeddings.js';
import type { Library } from '../db/library.js';
import { buildGraph } from '../graph/build.js';
import { findMissing, readGraph } from '../graph/store.js';
import { embedLibrary } from '../models/embed-library.js';
import { loadEncoder, type ModelEncoder } from '../models/encoder.js';
import { dot } from '../models/similar.js';
import { classifyLibrary, exportOutline, setDirection } from '../survey/api.js';
import type { DirectionId, ExportFile, ExportFormat, GraphData, MissingPaper } from './contract.js';

const log = logger('pipeline');

export interface Pipeline {
  readGraph?(lib: Library): GraphData;
  findMissing?(lib: Library, limit: number): MissingPaper[];
  buildGraph?(lib: Library, opts: StepOptions & { resolution?: number }): Promise<string>;
  embedLibrary?(lib: Library, opts: StepOptions): Promise<string>;
  setDirection?(lib: Library, id: number, direction: DirectionId | 'auto'): void;
  exportOutline?(lib: Library, format: ExportFormat): Promise<ExportFile>;
  /** Paper ids nearest to a free-text query, best first, with cosine scores. */
  semanticSearch?(lib: Library, query: string, limit: number): Promise<{ id: number; score: number }[]>;
  /** Releases what the steps hold (the loaded encoder). */
  close?(): Promise<void>;
}

/**
 * Semantic search: the query embedded with the encoder the library's vectors came from, then
 * cosine against every stored vector (a linear scan takes milliseconds at thousands of papers).
 * The encoder is loaded on first use and kept.
 */
function semanticSearcher(): Pick<Pipeline, 'semanticSearch' | 'close'> {
  let encoder: Promise<ModelEncoder> | null = null;

  return {
    async semanticSearch(lib, query, limit) {
      const model = currentEmbeddingModel(lib.db);
      if (!model) return [];
      encoder ??= loadEncoder();
      const enc = await encoder;
      // Vectors of another model are not comparable with this query's.
      if (enc.id !== model) {
        log.warn(
          `semanticSearch(): the library was embedded with ${model}, the loaded encoder is ${enc.id}; run Embed again`,
        );
        return [];
      }
      const [q] = await enc.embed([query]);
      const { vectors } = readEmbeddings(lib.db, model);
      const scored = [...vectors].map(([id, v]) => ({ id, score: v.length === q.length ? dot(q, v) : -1 }));

      return scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
    },
    async close() {
      if (encoder) await (await encoder).close();
      encoder = null;
    },
  };
}

let loaded: Promise<Pipeline> | null = null;

export function loadPipeline(): Promise<Pipeline> {
  loaded ??= (async () => {
    const p: Pipeline = {
      readGraph: (lib) => readGraph(lib.db) as GraphData,
      findMissing: (lib, limit) =>
        findMissing(lib.db, { limit }).map((m) => ({
          title: m.title,
          year: m.year,
          arxivId: m.arxivId,
          doi: m.doi,
          citedBy: m.citedBy,
          citingPapers: m.citingPaperIds,
        })),
      // The app's Build is `surveyor build` and then the classifier, so every paper gets a direction.
      buildGraph: async (lib, opts) => {
        const r = await buildGraph(lib, opts);
        await classifyLibrary(lib, { onProgress: opts.onProgress, signal: opts.signal });
        return r.upToDate
          ? `up to date (${r.papers} papers), directions refreshed`
          : `${r.papers} papers, ${r.citationEdges} citations, ${r.similarEdges} similarity edges, ` +
            `${r.clusters} topics${r.incremental ? ` (${r.foldedIn} new papers joined them)` : ''}, directions sorted`;
      },
      embedLibrary: async (lib, opts) => {
        const r = await embedLibrary(lib, opts);
        return `${r.embedded} embedded, ${r.current} already current (${r.provider})`;
      },
      setDirection,
      exportOutline,
      ...semanticSearcher(),
    };

    return p;
  })();

  return loaded;
}
