import path from 'node:path';
import { terminalProgress } from '../../core/progress.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'add PDF files or folders (recursively) to the library',
  usage: 'PATH... [--library FILE] [--json] [--timeout SECONDS] [--max-pages N]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION, timeout: { type: 'string' }, 'max-pages': { type: 'string' }, workers: { type: 'string' } },
  async run(args, ctx) {
    if (args.positionals.length === 0) {
      ctx.stderr.write('surveyor ingest: give at least one PDF file or folder\n');
      return 2;
    }
    const lib = openFromArgs(args);
    const progress = terminalProgress(ctx.stderr, 'PDFs');
    try {
      const report = await ingestPaths(lib, args.positionals, {
        onProgress: progress,
        signal: ctx.signal,
        timeoutMs: args.values.timeout ? Number(args.values.timeout) * 1000 : undefined,
        maxPages: args.values['max-pages'] ? Number(args.values['max-pages']) : undefined,
        workers: args.values.workers ? Number(args.values.workers) : undefined,
      });
      progress.finish();
      if (args.values.json) {
        printJson(ctx, report);
      } else {
        for (const a of report.added) ctx.stdout.write(`${a.updated ? 'updated' : 'added'}  #${a.id}  ${a.title ?? '(no title)'}  ${path.basename(a.file)}\n`);
        for (const d of report.duplicates) ctx.stdout.write(`same   #${d.id}  ${path.basename(d.file)}${d.reason ? ` (${d.reason})` : ''}\n`);
        for (const f of report.failed) ctx.stderr.write(`failed ${f.error}\n`);
        ctx.stdout.write(
          `${report.added.length} added, ${report.duplicates.length} already there, ${report.failed.length} failed${report.cancelled ? ' (cancelled: finished papers were kept)' : ''}\n`,
        );
      }

      return report.cancelled ? 130 : 0;
    } finally {
      lib.close();
    }
  },
};
