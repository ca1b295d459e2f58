import path from 'node:path';
import { terminalProgress } from '../../core/progress.js';
import { importFiles } from '../../graph/import.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'add papers from metadata files: BibTeX, RIS, CSL-JSON, arXiv JSON Lines / JSON / CSV',
  usage: 'FILE... [--library FILE] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION },
  async run(args, ctx) {
    if (args.positionals.length === 0) {
      ctx.stderr.write('surveyor import: give at least one metadata file (.bib, .ris, .json, .jsonl, .csv)\n');
      return 2;
    }
    const lib = openFromArgs(args);
    const progress = terminalProgress(ctx.stderr, 'records');
    try {
      const report = await importFiles(lib, args.positionals, { onProgress: progress, signal: ctx.signal });
      progress.finish();
      if (args.values.json) {
        printJson(ctx, report);
      } else {
        const byFile = new Map<string, number>();
        for (const a of report.added) byFile.set(a.file, (byFile.get(a.file) ?? 0) + 1);
        for (const [file, n] of byFile) ctx.stdout.write(`added  ${n} papers from ${path.basename(file)}\n`);
        for (const f of report.failed) ctx.stderr.write(`failed ${f.error}\n`);
        ctx.stdout.write(
          `${report.added.length} added, ${report.duplicates.length} already there, ${report.failed.length} failed` +
            `${report.cancelled ? ' (cancelled: finished batches were kept)' : ''}\n`,
        );
      }

      return report.cancelled ? 130 : 0;
    } finally {
      lib.close();
    }
  },
};
