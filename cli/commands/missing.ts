import { SurveyorError } from '../../core/errors.js';
import { findMissing } from '../../graph/store.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const missingCommand: Command = {
  name: 'missing',
  summary: 'papers cited by at least two library papers but not in the library, most cited first',
  usage: '[--library FILE] [--min-cited-by N] [--limit N] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION, 'min-cited-by': { type: 'string' }, limit: { type: 'string' } },
  async run(args, ctx) {
    const num = (name: string): number | undefined => {
      const v = args.values[name];
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new SurveyorError('bad-option', `--${name} must be a whole number of at least 1 (got "${v}")`);

      return n;
    };
    const minCitedBy = num('min-cited-by');
    const limit = num('limit');
    const lib = openFromArgs(args);
    try {
      const hasMatches =
        (lib.db.prepare("SELECT value FROM graph_state WHERE key = 'fingerprint'").get() as
          | { value: string }
          | undefined) !== undefined;
      if (!hasMatches)
        ctx.stderr.write(
          'surveyor missing: references are not matched yet; run `surveyor build` first for exact results\n',
        );
      const missing = findMissing(lib.db, { minCitedBy, limit });
      if (args.values.json) {
        printJson(ctx, missing);
        return 0;
      }
      for (const m of missing) {
        const id = m.arxivId ? `arXiv:${m.arxivId}` : (m.doi ?? '');
        const cited = String(m.citedBy).padStart(3);
        ctx.stdout.write(`${cited}×  ${m.year ?? '----'}  ${m.title ?? '(no title)'}  ${id}\n`);
      }
      ctx.stdout.write(`${missing.length} missing papers\n`);

      return 0;
    } finally {
      lib.close();
    }
  },
};
