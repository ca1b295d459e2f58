/**
 * The API's types and constants, free of zod so the page can import them without the validator.
 * The inputs' schemas live in contract.ts; outputs are plain JSON types.
 */
/** Direction ids, in the outline's order. */
export const DIRECTIONS = ['efficiency', 'existing-models', 'plug-and-play', 'datasets-evaluation'] as const;
export type DirectionId = (typeof DIRECTIONS)[number];

export const DIRECTION_NAMES: Record<DirectionId, string> = {
  efficiency: 'Efficiency',
  'existing-models': 'Existing models & new directions',
  'plug-and-play': 'Plug-and-play',
  'datasets-evaluation': 'Datasets, evaluation & surveys',
};

export const EXPORT_FORMATS = ['markdown', 'latex', 'bibtex', 'json', 'graphml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const JOB_KINDS = ['ingest', 'embed', 'build'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type MethodName = keyof Outputs;

export interface Capabilities {
  /** Embedding is possible (the encoder module is present). */
  embed: boolean;
  /** `surveyor build` (graph and clusters) is possible. */
  build: boolean;
  /** Papers carry directions and can be corrected. */
  directions: boolean;
  /** Outline export is possible. */
  export: boolean;
  /** Semantic search works now (an encoder and stored embeddings). */
  semantic: boolean;
  /** The missing-papers list is computed. */
  missing: boolean;
}

export interface LibraryInfo {
  libraryPath: string;
  paperCount: number;
  embeddedCount: number;
  capabilities: Capabilities;
  exportFormats: ExportFormat[];
}

/** One row of `surveyor papers --json`, with the fields later steps add. */
export interface PaperRow {
  id: number;
  title: string | null;
  authors: string[];
  year: number | null;
  arxivId: string | null;
  doi: string | null;
  abstract: string | null;
  pages: number | null;
  referenceCount: number;
  file: string | null;
  cluster?: number | string | null;
  direction?: DirectionId | null;
  directionConfidence?: number | null;
  directionSource?: 'auto' | 'user' | null;
  [extra: string]: unknown;
}

export interface ReferenceView {
  idx: number;
  raw: string;
  title: string | null;
  year: number | null;
  arxivId: string | null;
  doi: string | null;
  /** The library paper this reference points to, or null when it is not in the library. */
  paperId: number | null;
}

export interface PaperView extends PaperRow {
  arxivVersion: number | null;
  versions: number[];
  headings: string[];
  addedAt: string;
  /** Why the classifier chose the direction: phrases or neighbours. */
  directionEvidence: string[];
  references: ReferenceView[];
  /** Library papers that cite this one. */
  citedBy: { id: number; title: string | null }[];
  hasPdf: boolean;
}

export interface SearchResult {
  id: number;
  title: string | null;
  year: number | null;
  arxivId: string | null;
  score: number;
  snippet: string;
  /** Which search found it. */
  via: 'text' | 'semantic';
}

export interface GraphNode {
  id: number;
  title: string | null;
  year: number | null;
  arxivId: string | null;
  cluster: number | string | null;
  direction: DirectionId | null;
}

export interface GraphEdge {
  source: number;
  target: number;
  kind: 'cites' | 'similar';
  weight: number;
}

export interface ClusterInfo {
  id: number | string;
  label: string;
  keywords: string[];
  size: number;
}

/** The `surveyor graph --json` object. */
export interface GraphData {
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: ClusterInfo[];
}

export interface MissingPaper {
  title: string | null;
  year: number | null;
  arxivId: string | null;
  doi: string | null;
  /** How many library papers cite it. */
  citedBy: number;
  citingPapers?: number[];
}

export interface DirectionResult {
  id: number;
  direction: DirectionId | null;
  source: 'auto' | 'user' | null;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  /** The step now running inside the job (ingest, embed, match, cluster…). */
  phase: string;
  done: number;
  total: number;
  item?: string;
  /** A one-line summary when it ends, e.g. "12 added, 1 failed". */
  summary?: string;
  /** Files that failed, with the reason, for ingest jobs. */
  failures?: { file: string; error: string }[];
  error?: string;
}

export interface ExportFile {
  fileName: string;
  mime: string;
  content: string;
}

export interface Outputs {
  info: LibraryInfo;
  papers: PaperRow[];
  paper: PaperView;
  search: SearchResult[];
  graph: GraphData;
  missing: MissingPaper[];
  setDirection: DirectionResult;
  startJob: { jobId: string };
  cancelJob: { cancelled: boolean };
  jobs: JobView[];
  exportOutline: ExportFile;
  /** Cached graph positions (flat [paperId, x, y, …]) under a layout key, or null. */
  layout: { positions: number[] } | null;
  saveLayout: { saved: boolean };
}

export type Output<M extends MethodName> = Outputs[M];

/** What the server pushes to the page (SSE) and main pushes to the window (IPC). */
export type ServerEvent =
  { type: 'job'; job: JobView } | { type: 'library-changed'; reason: string } | { type: 'command'; name: MenuCommand };

/** Commands the Electron menu sends to the page. */
export const MENU_COMMANDS = [
  'add-pdfs',
  'add-folder',
  'export',
  'undo',
  'redo',
  'find',
  'zoom-in',
  'zoom-out',
  'fit',
  'toggle-theme',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Every reply crossing a transport: a value, or an error a person can read. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: { kind: string; code: string; message: string } };
