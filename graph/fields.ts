/**
 * Adds `cluster` (the topic cluster id, or null before `surveyor build`) and
 * `categories` (imported arXiv categories, primary first) to each
 * `surveyor papers --json` row.
 */
import { registerEnricher } from '../survey/paper-fields.js';
import { readCategories, readClusters } from './store.js';

registerEnricher((lib, rows) => {
  const { byPaper } = readClusters(lib.db);
  const categories = readCategories(lib.db);
  for (const row of rows) {
    row.cluster = byPaper.get(row.id) ?? null;
    row.categories = categories.get(row.id) ?? [];
  }
});
