import { terminalProgress, type ProgressFn } from '../../core/progress.js';
import { runSurvey } from '../../survey/pipeline.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command, type CommandContext } from '../command.js';
import { openFromArgs } from '../open.js';

/** One progress bar per step (ingest, embed, match, classify…), each with its own rate. */
function stepProgress(ctx: CommandContext): ProgressFn & { finish(): void } {
  let phase = '';
  let bar = terminalProgress(ctx.stderr);
  const fn = ((e) => {
    if (e.phase !== phase) {
      bar.finish();
      phase = e.phase;
      bar = terminalProgress(ctx.stderr, e.phase === 'ingest' ? 'PDFs' : 'items');
    }
    bar(e);
  }) as ProgressFn & { finish(): void };
  fn.finish = () => bar.finish();

  return fn;
}

export const surveyCommand: Command = {
  name: 'survey',
  summary:
    'the main job: ingest PDFs, embed, build the graph, classify, and write ' +
    'outline.md, outline.tex, references.bib, graph.graphml',
  usage: 'PATH... --out DIR [--title TEXT] [--model DIR] [--library FILE] [--json]',
  options: {
    ...LIBRARY_OPTION,
    ...JSON_OPTION,
    out: { type: 'string' },
    title: { type: 'string' },
    model: { type: 'string' },
  },
  async run(args, ctx) {
    const out = args.values.out as string | undefined;
    if (args.positionals.length === 0 || !out) {
      ctx.stderr.write(
        'surveyor survey: give at least one PDF file or folder, and the folder to write into with --out DIR\n',
      );
      return 2;
    }
    const lib = openFromArgs(args);
    const progress = stepProgress(ctx);
    try {
      const report = await runSurvey(lib, args.positionals, out, {
        title: args.values.title as string | undefined,
        model: args.values.model as string | undefined,
        onProgress: progress,
        signal: ctx.signal,
      });
      progress.finish();
      if (args.values.json) {
        printJson(ctx, report);
        return 0;
      }
      const { ingest, build, classify } = report;
      for (const f of ingest.failed) ctx.stderr.write(`failed ${f.error}\n`);
      ctx.stdout.write(
        `${ingest.added.length} added, ${ingest.duplicates.length} already there, ${ingest.failed.length} failed\n`,
      );
      ctx.stdout.write(
        `${build.papers} papers, ${build.citationEdges} citation edges, ${build.clusters} topic clusters` +
          (build.encoderModel ? ` (${build.encoderModel})` : '') +
          '\n',
      );
      const dirs = Object.entries(classify.byDirection)
        .map(([d, n]) => `${d} ${n}`)
        .join(', ');
      ctx.stdout.write(`directions: ${dirs}${classify.corrected ? ` (${classify.corrected} set by you)` : ''}\n`);
      for (const f of report.files) ctx.stdout.write(`wrote ${f}\n`);

      return 0;
    } finally {
      lib.close();
    }
  },
};
