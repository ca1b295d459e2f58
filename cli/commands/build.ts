import { SurveyorError } from '../../core/errors.js';
import { terminalProgress } from '../../core/progress.js';
import { buildGraph } from '../../graph/build.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

const DEVICES = ['auto', 'gpu', 'cpu'] as const;

export const buildCommand: Command = {
  name: 'build',
  summary: 'embed what is missing, match references, build the citation graph and topic clusters',
  usage: '[--library FILE] [--resolution R] [--model DIR] [--device auto|gpu|cpu] [--force] [--no-embed] [--json]',
  options: {
    ...LIBRARY_OPTION,
    ...JSON_OPTION,
    resolution: { type: 'string' },
    model: { type: 'string' },
    device: { type: 'string' },
    force: { type: 'boolean' },
    'no-embed': { type: 'boolean' },
  },
  async run(args, ctx) {
    const resolution = args.values.resolution === undefined ? undefined : Number(args.values.resolution);
    if (resolution !== undefined && !(resolution > 0 && Number.isFinite(resolution))) {
      throw new SurveyorError(
        'bad-option',
        `--resolution must be a positive number (got "${args.values.resolution}"); ` +
          '1 is the default, higher gives finer topics',
      );
    }
    const device = args.values.device as string | undefined;
    if (device !== undefined && !(DEVICES as readonly string[]).includes(device)) {
      throw new SurveyorError('bad-option', `--device must be one of ${DEVICES.join(', ')} (got "${device}")`);
    }
    const lib = openFromArgs(args);
    const progress = terminalProgress(ctx.stderr, 'steps');
    try {
      const report = await buildGraph(lib, {
        resolution,
        model: args.values.model as string | undefined,
        device: device as (typeof DEVICES)[number] | undefined,
        force: !!args.values.force,
        embed: !args.values['no-embed'],
        onProgress: progress,
        signal: ctx.signal,
      });
      progress.finish();
      if (args.values.json) {
        printJson(ctx, report);
      } else {
        const seconds = (Object.values(report.timings).reduce((a, b) => a + b, 0) / 1000).toFixed(1);
        ctx.stdout.write(
          `${report.upToDate ? 'up to date: ' : ''}${report.papers} papers, ${report.embedded} embedded now, ` +
            `${report.matchedReferences}/${report.references} references matched ` +
            `(${report.citationEdges} citation edges), ` +
            `${report.similarEdges} similarity edges, ${report.clusters} clusters` +
            (report.incremental ? ` (${report.foldedIn} new papers folded into the last fit)` : '') +
            (report.encoderModel ? ` (hybrid with ${report.encoderModel})` : ' (TF-IDF/LSA only: no embeddings)') +
            ` in ${seconds}s\n`,
        );
      }

      return 0;
    } finally {
      lib.close();
    }
  },
};
