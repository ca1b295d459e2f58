import { CancelledError } from '../../core/errors.js';
import { terminalProgress } from '../../core/progress.js';
import { embedLibrary } from '../../models/embed-library.js';
import { parseDevice } from '../../models/providers.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const embedCommand: Command = {
  name: 'embed',
  summary: 'embed the papers that have no current vector (local model, GPU when there is one)',
  usage: '[--model DIR] [--device auto|gpu|cpu] [--library FILE] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION, model: { type: 'string' }, device: { type: 'string' } },
  async run(args, ctx) {
    const device = parseDevice(args.values.device);
    const lib = openFromArgs(args);
    const progress = terminalProgress(ctx.stderr, 'papers');
    try {
      const report = await embedLibrary(lib, {
        model: args.values.model as string | undefined,
        device,
        onProgress: progress,
        signal: ctx.signal,
      });
      progress.finish();
      if (args.values.json) {
        printJson(ctx, report);
      } else {
        ctx.stdout.write(
          `embedded ${report.embedded} papers with ${report.model} on ${report.provider}` +
            ` (${report.current} already current, ${report.skipped} without title or abstract,` +
            ` ${report.total} in the library)\n`,
        );
      }

      return 0;
    } catch (err) {
      progress.finish();
      if (err instanceof CancelledError)
        ctx.stderr.write('surveyor embed: cancelled; the papers embedded so far were kept\n');
      throw err;
    } finally {
      lib.close();
    }
  },
};
