/**
 * Fields that later steps add to each `surveyor papers --json` row (categories,
 * cluster, direction…). Each step registers an enricher here; none renames a field.
 */
import type { Library } from '../db/library.js';
import type { PaperSummary } from '../db/papers.js';

export type PaperRow = PaperSummary & Record<string, unknown>;
export type Enricher = (lib: Library, rows: PaperRow[]) => void;

const enrichers: Enricher[] = [];

export function registerEnricher(fn: Enricher): void {
  enrichers.push(fn);
}

export function enrichPapers(lib: Library, papers: PaperSummary[]): PaperRow[] {
  const rows = papers as PaperRow[];
  for (const fn of enrichers) fn(lib, rows);

  return rows;
}
