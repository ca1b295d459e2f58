/**
 * Adds `direction`, `directionConfidence` and `directionSource` ("auto" | "user") to each
 * `surveyor papers --json` row; all three are null for a paper not classified yet.
 */
import { registerEnricher } from './paper-fields.js';
import { readDirections } from './store.js';

registerEnricher((lib, rows) => {
  const stored = readDirections(lib.db);
  for (const row of rows) {
    const s = stored.get(row.id);
    row.direction = s?.direction ?? null;
    row.directionConfidence = s?.confidence == null ? null : Math.round(s.confidence * 1000) / 1000;
    row.directionSource = s?.direction ? s.source : null;
  }
});
