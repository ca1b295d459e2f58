/**
 * What the app's API (api/pipeline.ts) calls for the taxonomy and the outline: the same
 * functions the command line uses, in the shapes that interface expects.
 */
import { logger } from '../core/log.js';
import type { Library } from '../db/library.js';
import { isDirectionId, type DirectionId } from './directions.js';
import { exportText, isExportFormat, type ExportFormat, type ExportText } from './export.js';
import { classifyLibrary, correctDirectionNow } from './taxonomy.js';
import { SurveyorError } from '../core/errors.js';

export { classifyLibrary };

const log = logger('survey-api');

/**
 * Stores the user's direction for a paper (`auto`: back to the classifier's) and re-scores
 * the library. The correction itself is always stored before this returns; when the
 * re-scoring needs the encoder (the descriptions were never embedded for this model) it
 * finishes in the background.
 */
export function setDirection(lib: Library, id: number, direction: DirectionId | 'auto'): void {
  if (direction !== 'auto' && !isDirectionId(direction)) {
    throw new SurveyorError('bad-direction', `unknown direction "${String(direction)}"`);
  }
  const report = correctDirectionNow(lib, id, direction === 'auto' ? null : direction);
  if (report) return;
  classifyLibrary(lib).catch((err: unknown) =>
    log.error(`setDirection(): re-scoring after #${id} failed`, String(err)),
  );
}

export function exportOutline(lib: Library, format: ExportFormat): Promise<ExportText> {
  if (!isExportFormat(format)) throw new SurveyorError('bad-format', `unknown export format "${String(format)}"`);

  return exportText(lib, format);
}
