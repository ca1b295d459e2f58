/**
 * The survey outline as data: one section per research direction (in the contract's order),
 * one subsection per topic cluster inside it, and under each the papers with a one-sentence
 * summary and a citation key; then the papers the library cites most but does not hold.
 * Every export format (Markdown, LaTeX, JSON) renders this one object.
 */
import type { Library } from '../db/library.js';
import { listPapers } from '../db/papers.js';
import { findMissing, readClusters, type MissingPaper } from '../graph/store.js';
import type { BibPaper } from './bibtex.js';
import { citeKeys, displayTitle, paperYear } from './cite-keys.js';
import { DIRECTIONS, type DirectionId } from './directions.js';
import { contributionSentence } from './sentences.js';
import { readDirections, type DirectionSource } from './store.js';

export interface OutlinePaper extends BibPaper {
  id: number;
  /** The abstract's sentence that states the contribution (null without an abstract). */
  summary: string | null;
  directionConfidence: number | null;
  directionSource: DirectionSource | null;
}

export interface OutlineSubsection {
  /** The topic cluster's id, or null for papers no cluster holds. */
  cluster: number | null;
  label: string;
  papers: OutlinePaper[];
}

export interface OutlineSection {
  direction: DirectionId;
  name: string;
  description: string;
  count: number;
  subsections: OutlineSubsection[];
}

/** A missing paper as the outline lists it (the merge key stays internal). */
export type OutlineMissing = Omit<MissingPaper, 'key'>;

export interface Outline {
  title: string;
  counts: { papers: number; unclassified: number; clusters: number; missing: number };
  sections: OutlineSection[];
  /** Papers without a direction yet (only before the taxonomy step has run). */
  unclassified: OutlinePaper[];
  missing: OutlineMissing[];
}

export interface OutlineOptions {
  title?: string;
  /** How many missing papers the closing section lists (default 20). */
  missingLimit?: number;
}

const NO_CLUSTER = 'Other papers';

/** Cluster labels are keyword lists in lower case; as headings they start with a capital. */
function capitalize(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Builds the outline from what the library holds now (it classifies nothing itself). */
export function buildOutline(lib: Library, opts: OutlineOptions = {}): Outline {
  const papers = listPapers(lib.db);
  const keys = citeKeys(papers);
  const directions = readDirections(lib.db);
  const { clusters, byPaper } = readClusters(lib.db);
  const labels = new Map(clusters.map((c) => [c.id, c.label]));
  const clusterSize = new Map(clusters.map((c) => [c.id, c.size]));

  const byDirection = new Map<DirectionId, Map<number | null, OutlinePaper[]>>(
    DIRECTIONS.map((d) => [d.id, new Map()]),
  );
  const unclassified: OutlinePaper[] = [];
  for (const p of papers) {
    const stored = directions.get(p.id);
    const entry: OutlinePaper = {
      id: p.id,
      key: keys.get(p.id)!,
      title: displayTitle(p.title?.trim() || p.arxivId || `Paper ${p.id}`, p.abstract),
      authors: p.authors,
      year: paperYear(p),
      arxivId: p.arxivId,
      doi: p.doi,
      summary: contributionSentence(p.abstract),
      directionConfidence: stored?.confidence ?? null,
      directionSource: stored?.source ?? null,
    };
    if (!stored?.direction) {
      unclassified.push(entry);
      continue;
    }
    const cluster = byPaper.get(p.id) ?? null;
    const groups = byDirection.get(stored.direction)!;
    groups.set(cluster, [...(groups.get(cluster) ?? []), entry]);
  }

  const sections: OutlineSection[] = DIRECTIONS.map((d) => {
    const groups = [...byDirection.get(d.id)!];
    // Larger topics first; the catch-all group of unclustered papers last.
    groups.sort(([a, pa], [b, pb]) => {
      if (a === null || b === null) return a === null ? 1 : -1;
      return pb.length - pa.length || (clusterSize.get(b) ?? 0) - (clusterSize.get(a) ?? 0) || a - b;
    });
    const subsections = groups.map(([cluster, list]) => ({
      cluster,
      label: cluster === null ? NO_CLUSTER : capitalize(labels.get(cluster) ?? `Topic ${cluster}`),
      papers: list.sort((x, y) => (x.year ?? 9999) - (y.year ?? 9999) || x.title.localeCompare(y.title)),
    }));

    return {
      direction: d.id,
      name: d.name,
      description: d.description,
      count: subsections.reduce((s, x) => s + x.papers.length, 0),
      subsections,
    };
  });

  const missing = findMissing(lib.db, { limit: opts.missingLimit ?? 20 }).map((m) => ({
    title: m.title,
    year: m.year,
    arxivId: m.arxivId,
    doi: m.doi,
    citedBy: m.citedBy,
    citingPaperIds: m.citingPaperIds,
  }));

  return {
    title: opts.title ?? 'Survey outline',
    counts: {
      papers: papers.length,
      unclassified: unclassified.length,
      clusters: clusters.length,
      missing: missing.length,
    },
    sections,
    unclassified,
    missing,
  };
}

/** The line under the title: how many papers, directions, topics and missing papers. */
export function countsLine(o: Outline): string {
  const used = o.sections.filter((s) => s.count > 0).length;
  const parts = [
    `${o.counts.papers} papers in ${used} of 4 research directions`,
    `${o.counts.clusters} topic clusters`,
    `${o.counts.missing} most-cited missing papers`,
  ];
  if (o.counts.unclassified) parts.push(`${o.counts.unclassified} not classified yet`);

  return parts.join(', ') + '.';
}
