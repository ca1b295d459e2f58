import { terminalProgress } from '../../core/progress.js';
import { EXPORT_FORMATS, exportOutline, isExportFormat } from '../../survey/export.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const exportCommand: Command = {
  name: 'export',
  summary:
    'write the survey outline (directions, topics, papers, missing papers) as Markdown, LaTeX, BibTeX, JSON or GraphML',
  usage:
    `--format ${EXPORT_FORMATS.join('|')} --out FILE ` +
    '[--bib FILE] [--title TEXT] [--missing N] [--library FILE] [--json]',
  options: {
    ...LIBRARY_OPTION,
    ...JSON_OPTION,
    format: { type: 'string' },
    out: { type: 'string' },
    bib: { type: 'string' },
    title: { type: 'string' },
    missing: { type: 'string' },
  },
  async run(args, ctx) {
    const format = args.values.format as string | undefined;
    const out = args.values.out as string | undefined;
    if (!format || !isExportFormat(format)) {
      ctx.stderr.write(
        `surveyor export: --format must be one of ${EXPORT_FORMATS.join(', ')}${format ? ` (got "${format}")` : ''}\n`,
      );
      return 2;
    }
    if (!out) {
      ctx.stderr.write('surveyor export: give the file to write with --out FILE\n');
      return 2;
    }
    const missing = args.values.missing === undefined ? undefined : Number(args.values.missing);
    if (missing !== undefined && !(Number.isInteger(missing) && missing >= 0)) {
      ctx.stderr.write(`surveyor export: --missing must be a whole number (got "${args.values.missing as string}")\n`);
      return 2;
    }
    const lib = openFromArgs(args);
    const progress = terminalProgress(ctx.stderr, 'papers');
    try {
      const report = await exportOutline(lib, format, out, {
        bib: args.values.bib as string | undefined,
        title: args.values.title as string | undefined,
        missingLimit: missing,
        onProgress: progress,
        signal: ctx.signal,
      });
      progress.finish();
      if (args.values.json) printJson(ctx, report);
      else for (const f of report.files) ctx.stdout.write(`wrote ${f}\n`);

      return 0;
    } finally {
      lib.close();
    }
  },
};
