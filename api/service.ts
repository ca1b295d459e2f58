/**
 * The API's implementation over one library: what both faces (HTTP and IPC) call after
 * validation. It only composes pipeline modules; no step is re-implemented here.
 */
import path from 'node:path';
import { SurveyorError } from '../core/errors.js';
import type { Library } from '../db/library.js';
import { getPaper, listPapers, searchPapers } from '../db/papers.js';
import { readLayout, writeLayout } from '../db/layouts.js';
import { ingestPaths } from '../ingest/ingest.js';
import { enrichPapers } from '../survey/paper-fields.js';
// The enrichers that add fields to `surveyor papers --json` rows register from modules that the
// papers command imports; importing it gives the page exactly the command line's rows.
import '../cli/commands/papers.js';
import {
  DIRECTIONS,
  EXPORT_FORMATS,
  type DirectionId,
  type GraphData,
  type JobKind,
  type LibraryInfo,
  type Outputs,
  type PaperRow,
  type PaperView,
  type ParsedInput,
  type ReferenceView,
  type SearchResult,
  type ServerEvent,
} from './contract.js';
import type { Handlers } from './dispatch.js';
import { JobRunner, type JobOutcome } from './jobs.js';
import type { Pipeline } from './pipeline.js';

/** Turns upload ids into files on disk, and removes them when the job that read them ends. */
export type UploadResolver = (ids: string[]) => { paths: string[]; cleanup: () => void };

export interface ServiceOptions {
  /** After an ingest that added papers, queue the build (or at least the embedding). Default true. */
  autoBuild?: boolean;
  resolveUploads?: UploadResolver;
}

function wrapPositions(positions: number[] | null): { positions: number[] } | null {
  return positions ? { positions } : null;
}

function hasTable(lib: Library, name: string): boolean {
  return !!lib.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

function asDirection(v: unknown): DirectionId | null {
  return typeof v === 'string' && (DIRECTIONS as readonly string[]).includes(v) ? (v as DirectionId) : null;
}

/** Replaces a temporary upload path in a message by the name the user dropped. */
function withNames(message: string, files: string[]): string {
  let out = message;
  for (const f of files) out = out.split(f).join(path.basename(f));

  return out;
}

export class SurveyorService {
  readonly jobs = new JobRunner();
  private readonly listeners = new Set<(e: ServerEvent) => void>();

  constructor(
    readonly lib: Library,
    private readonly pipeline: Pipeline,
    private readonly opts: ServiceOptions = {},
  ) {
    this.jobs.onChange((job) => {
      this.emit({ type: 'job', job });
      if (job.state === 'done' || job.state === 'cancelled')
        this.emit({ type: 'library-changed', reason: `${job.kind} ${job.state}` });
    });
  }

  onEvent(fn: (e: ServerEvent) => void): () => void {
    this.listeners.add(fn);

    return () => this.listeners.delete(fn);
  }

  emit(e: ServerEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  async close(): Promise<void> {
    await this.jobs.close();
    await this.pipeline.close?.();
    this.listeners.clear();
  }

  info(): LibraryInfo {
    const count = (sql: string) => (this.lib.db.prepare(sql).get() as { n: number }).n;
    const embedded = count('SELECT count(DISTINCT paper_id) AS n FROM embeddings');
    const p = this.pipeline;

    return {
      libraryPath: this.lib.path,
      paperCount: count('SELECT count(*) AS n FROM papers'),
      embeddedCount: embedded,
      capabilities: {
        embed: !!p.embedLibrary,
        build: !!p.buildGraph,
        directions: !!p.setDirection,
        export: !!p.exportOutline,
        semantic: !!p.semanticSearch && embedded > 0,
        missing: !!p.findMissing,
      },
      exportFormats: p.exportOutline ? [...EXPORT_FORMATS] : [],
    };
  }

  papers(): PaperRow[] {
    return enrichPapers(this.lib, listPapers(this.lib.db)) as PaperRow[];
  }

  paper(id: number): PaperView {
    const detail = getPaper(this.lib.db, id);
    if (!detail) throw new SurveyorError('not-found', `no paper #${id} in ${this.lib.path}`);
    const { references, sourceFile: _source, ...summary } = detail;
    const [row] = enrichPapers(this.lib, [summary]) as PaperRow[];
    const links = this.referenceLinks(id);
    const evidence = row.directionEvidence;

    return {
      ...row,
      arxivVersion: detail.arxivVersion,
      versions: detail.versions,
      headings: detail.headings,
      addedAt: detail.addedAt,
      direction: asDirection(row.direction),
      directionEvidence: Array.isArray(evidence)
        ? evidence.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))
        : [],
      references: references.map((r): ReferenceView => ({
        idx: r.idx,
        raw: r.raw,
        title: r.title,
        year: r.year,
        arxivId: r.arxivId,
        doi: r.doi,
        paperId: links.cites.get(r.idx) ?? null,
      })),
      citedBy: links.citedBy,
      hasPdf: !!detail.file,
    };
  }

  /**
   * Which references point at library papers, and which papers cite this one, as the graph step
   * matched them (`ref_matches`). Before the first build nothing is matched yet.
   */
  private referenceLinks(id: number): { cites: Map<number, number>; citedBy: { id: number; title: string | null }[] } {
    if (!hasTable(this.lib, 'ref_matches')) return { cites: new Map(), citedBy: [] };
    const cites = this.lib.db
      .prepare('SELECT r.idx, m.cited_id FROM ref_matches m JOIN refs r ON r.id = m.ref_id WHERE m.citing_id = ?')
      .all(id) as { idx: number; cited_id: number }[];
    const citedBy = this.lib.db
      .prepare(
        `SELECT DISTINCT p.id, p.title FROM ref_matches m JOIN papers p ON p.id = m.citing_id
          WHERE m.cited_id = ? ORDER BY p.id`,
      )
      .all(id) as { id: number; title: string | null }[];

    return { cites: new Map(cites.map((c) => [c.idx, c.cited_id])), citedBy };
  }

  async search(q: ParsedInput<'search'>): Promise<SearchResult[]> {
    const limit = q.limit ?? 30;
    const mode = q.mode ?? 'auto';
    const text: SearchResult[] =
      mode === 'semantic' ? [] : searchPapers(this.lib.db, q.query, limit).map((h) => ({ ...h, via: 'text' as const }));
    const canSemantic = !!this.pipeline.semanticSearch && this.info().capabilities.semantic;
    if (mode === 'semantic' && !canSemantic) {
      throw new SurveyorError(
        'no-embeddings',
        'semantic search needs embedded papers: run Embed (or `surveyor embed`) first',
      );
    }
    if (mode === 'text' || !canSemantic) return text;

    const near = await this.pipeline.semanticSearch!(this.lib, q.query, limit);
    const titles = new Map(this.papers().map((p) => [p.id, p]));
    const semantic: SearchResult[] = near.flatMap((n) => {
      const p = titles.get(n.id);
      return p
        ? [
            {
              id: p.id,
              title: p.title,
              year: p.year,
              arxivId: p.arxivId,
              score: n.score,
              snippet: (p.abstract ?? '').slice(0, 160),
              via: 'semantic' as const,
            },
          ]
        : [];
    });

    // Reciprocal-rank fusion: a paper both searches rank high comes first; scores need no common scale.
    const fused = new Map<number, { r: SearchResult; s: number }>();
    for (const list of [text, semantic]) {
      list.forEach((r, rank) => {
        const cur = fused.get(r.id);
        fused.set(r.id, { r: cur?.r ?? r, s: (cur?.s ?? 0) + 1 / (60 + rank) });
      });
    }

    return [...fused.values()]
      .sort((a, b) => b.s - a.s)
      .slice(0, limit)
      .map((f) => ({ ...f.r, score: f.s }));
  }

  graph(): GraphData {
    if (this.pipeline.readGraph) return this.pipeline.readGraph(this.lib);

    // Before the graph step exists: the papers alone, so the page still shows the library.
    return {
      nodes: this.papers().map((p) => ({
        id: p.id,
        title: p.title,
        year: p.year,
        arxivId: p.arxivId,
        cluster: p.cluster ?? null,
        direction: asDirection(p.direction),
      })),
      edges: [],
      clusters: [],
    };
  }

  startJob(input: ParsedInput<'startJob'>): { jobId: string } {
    if (input.kind === 'ingest') {
      let paths = input.paths ?? [];
      let cleanup: (() => void) | undefined;
      if (input.uploads) {
        if (!this.opts.resolveUploads)
          throw new SurveyorError('bad-request', 'this face takes file paths, not uploads');
        ({ paths, cleanup } = this.opts.resolveUploads(input.uploads));
      } else if (paths.some((p) => !path.isAbsolute(p))) {
        throw new SurveyorError(
          'bad-request',
          `ingest: paths must be absolute (got "${paths.find((p) => !path.isAbsolute(p))}")`,
        );
      }
      const named = input.uploads ? paths : [];

      return { jobId: this.jobs.start('ingest', (opts) => this.ingest(paths, named, opts), cleanup) };
    }

    return { jobId: this.queueStep(input.kind, input.kind === 'build' ? input.resolution : undefined) };
  }

  private queueStep(kind: Exclude<JobKind, 'ingest'>, resolution?: number): string {
    const p = this.pipeline;
    if (kind === 'embed') {
      if (!p.embedLibrary) throw new SurveyorError('unavailable', 'embedding is not available in this build');
      return this.jobs.start('embed', async (opts) => ({ summary: await p.embedLibrary!(this.lib, opts) }));
    }
    if (!p.buildGraph) throw new SurveyorError('unavailable', 'building the graph is not available in this build');

    return this.jobs.start('build', async (opts) => ({
      summary: await p.buildGraph!(this.lib, { ...opts, resolution }),
    }));
  }

  private async ingest(
    paths: string[],
    uploaded: string[],
    opts: Parameters<typeof ingestPaths>[2],
  ): Promise<JobOutcome> {
    const report = await ingestPaths(this.lib, paths, opts);
    const failures = report.failed.map((f) => ({ file: path.basename(f.file), error: withNames(f.error, uploaded) }));
    const { added, duplicates, failed } = report;
    const summary = `${added.length} added, ${duplicates.length} already there, ${failed.length} failed`;
    const autoBuild = this.opts.autoBuild ?? true;
    if (autoBuild && report.added.length > 0 && !report.cancelled) {
      if (this.pipeline.buildGraph) this.queueStep('build');
      else if (this.pipeline.embedLibrary) this.queueStep('embed');
    }

    return { summary, failures, cancelled: report.cancelled };
  }

  setDirection(input: ParsedInput<'setDirection'>): Outputs['setDirection'] {
    if (!this.pipeline.setDirection)
      throw new SurveyorError('unavailable', 'research directions are not available in this build');
    this.pipeline.setDirection(this.lib, input.id, input.direction);
    const row = this.paper(input.id);
    this.emit({ type: 'library-changed', reason: 'direction' });

    return {
      id: input.id,
      direction: asDirection(row.direction),
      source: (row.directionSource as 'auto' | 'user' | null) ?? null,
    };
  }

  /** The handlers both transports dispatch to. */
  handlers(): Handlers {
    return {
      info: () => this.info(),
      papers: () => this.papers(),
      paper: (i) => this.paper(i.id),
      search: (i) => this.search(i),
      graph: () => this.graph(),
      missing: (i) => (this.pipeline.findMissing ? this.pipeline.findMissing(this.lib, i?.limit ?? 100) : []),
      setDirection: (i) => this.setDirection(i),
      startJob: (i) => this.startJob(i),
      cancelJob: (i) => ({ cancelled: this.jobs.cancel(i.jobId) }),
      jobs: () => this.jobs.list(),
      layout: (i) => (hasTable(this.lib, 'graph_layouts') ? wrapPositions(readLayout(this.lib.db, i.key)) : null),
      saveLayout: (i) => {
        if (!hasTable(this.lib, 'graph_layouts')) return { saved: false };
        writeLayout(this.lib.db, i.key, i.positions);
        return { saved: true };
      },
      exportOutline: async (i) => {
        if (!this.pipeline.exportOutline)
          throw new SurveyorError('unavailable', 'export is not available in this build');
        return this.pipeline.exportOutline(this.lib, i.format);
      },
    };
  }
}
