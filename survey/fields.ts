/**
 * Adds `direction`, `directionConfidence`, `directionSource` ("auto" | "user") and
 * `directionEvidence` (short sentences: the cue phrases and nearest papers behind the
 * classifier's answer) to each `surveyor papers --json` row; null (or []) before classifying.
 */
import type { StoredDirection } from './store.js';
import { registerEnricher } from './paper-fields.js';
import { readDirections } from './store.js';

function evidenceLines(s: StoredDirection | undefined): string[] {
  if (!s?.evidence) return s?.source === 'user' ? ['set by you'] : [];
  const lines = s.source === 'user' ? [`set by you (the classifier says ${s.autoDirection})`] : [];
  for (const c of s.evidence.cues) lines.push(`"${c.phrase}" in the ${c.where}`);
  for (const n of s.evidence.neighbours) {
    lines.push(`near #${n.paperId} (${n.direction}${n.corrected ? ', set by you' : ''}, similarity ${n.similarity})`);
  }

  return lines;
}

registerEnricher((lib, rows) => {
  const stored = readDirections(lib.db);
  for (const row of rows) {
    const s = stored.get(row.id);
    row.direction = s?.direction ?? null;
    row.directionConfidence = s?.confidence == null ? null : Math.round(s.confidence * 1000) / 1000;
    row.directionSource = s?.direction ? s.source : null;
    row.directionEvidence = evidenceLines(s);
  }
});
