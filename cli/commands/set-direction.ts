import { resolvePaperId } from '../../db/papers.js';
import { DIRECTION_IDS, isDirectionId } from '../../survey/directions.js';
import { readDirection } from '../../survey/store.js';
import { correctDirection } from '../../survey/taxonomy.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const setDirectionCommand: Command = {
  name: 'set-direction',
  summary: "correct a paper's research direction (`auto` hands it back to the classifier); the rest are re-scored",
  usage: `ID|ARXIVID ${[...DIRECTION_IDS, 'auto'].join('|')} [--library FILE] [--json]`,
  options: { ...LIBRARY_OPTION, ...JSON_OPTION },
  async run(args, ctx) {
    const [key, wanted] = args.positionals;
    if (!key || !wanted || args.positionals.length > 2) {
      ctx.stderr.write('surveyor set-direction: give a paper id (or arXiv id) and a direction\n');
      return 2;
    }
    if (wanted !== 'auto' && !isDirectionId(wanted)) {
      ctx.stderr.write(
        `surveyor set-direction: unknown direction "${wanted}"; ` +
          `choose one of ${[...DIRECTION_IDS, 'auto'].join(', ')}\n`,
      );
      return 2;
    }
    const lib = openFromArgs(args);
    try {
      const id = resolvePaperId(lib.db, key);
      if (id === null) {
        ctx.stderr.write(`surveyor set-direction: no paper "${key}" in ${lib.path}\n`);
        return 1;
      }
      const report = await correctDirection(lib, id, wanted === 'auto' ? null : wanted, { signal: ctx.signal });
      const now = readDirection(lib.db, id)!;
      const others = report.changed.filter((p) => p !== id);
      if (args.values.json) {
        printJson(ctx, {
          id,
          direction: now.direction,
          directionConfidence: now.confidence,
          directionSource: now.source,
          autoDirection: now.autoDirection,
          corrections: report.corrected,
          changed: others,
        });
      } else {
        const how =
          now.source === 'user'
            ? 'set by you'
            : `the classifier's, ${Math.round((now.confidence ?? 0) * 100)}% confident`;
        ctx.stdout.write(`#${id} ${now.direction} (${how})\n`);
        ctx.stdout.write(
          `re-scored ${report.papers} papers with ${report.corrected} correction(s): ` +
            `${others.length} other paper(s) changed direction` +
            (others.length ? ` (${others.map((p) => `#${p}`).join(', ')})` : '') +
            '\n',
        );
      }

      return 0;
    } finally {
      lib.close();
    }
  },
};
