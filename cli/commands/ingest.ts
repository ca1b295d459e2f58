import path from 'node:path';
import { terminalProgress } from '../../core/progress.js';
import { ingestPaths, type IngestReport } from '../../ingest/ingest.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command, type CommandContext } from '../command.js';
import { openFromArgs } from '../open.js';

/** A positive number from an option, or an error naming the option and what it got. */
function positive(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} wants a positive number, not "${String(value)}"`);

  return n;
}

function printText(ctx: CommandContext, report: IngestReport): void {
  for (const a of report.added) {
    const verb = a.updated ? 'updated' : 'added';
    ctx.stdout.write(`${verb}  #${a.id}  ${a.title ?? '(no title)'}  ${path.basename(a.file)}\n`);
  }
  for (const d of report.duplicates) {
    ctx.stdout.write(`same   #${d.id}  ${path.basename(d.file)}${d.reason ? ` (${d.reason})` : ''}\n`);
  }
  for (const f of report.failed) ctx.stderr.write(`failed ${f.error}\n`);
  const cancelled = report.cancelled ? ' (cancelled: finished papers were kept)' : '';
  const counts = `${report.added.length} added, ${report.duplicates.length} already there`;
  ctx.stdout.write(`${counts}, ${report.failed.length} failed${cancelled}\n`);
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'add PDF files or folders (recursively) to the library',
  usage: 'PATH... [--library FILE] [--json] [--timeout SECONDS] [--max-pages N] [--workers N]',
  options: {
    ...LIBRARY_OPTION,
    ...JSON_OPTION,
    timeout: { type: 'string' },
    'max-pages': { type: 'string' },
    workers: { type: 'string' },
  },
  async run(args, ctx) {
    if (args.positionals.length === 0) {
      ctx.stderr.write('surveyor ingest: give at least one PDF file or folder\n');
      return 2;
    }
    let timeout: number | undefined;
    let maxPages: number | undefined;
    let workers: number | undefined;
    try {
      timeout = positive('timeout', args.values.timeout);
      maxPages = positive('max-pages', args.values['max-pages']);
      workers = positive('workers', args.values.workers);
    } catch (err) {
      ctx.stderr.write(`surveyor ingest: ${(err as Error).message}\n`);
      return 2;
    }

    const lib = openFromArgs(args);
    const progress = terminalProgress(ctx.stderr, 'PDFs');
    try {
      const report = await ingestPaths(lib, args.positionals, {
        onProgress: progress,
        signal: ctx.signal,
        timeoutMs: timeout === undefined ? undefined : timeout * 1000,
        maxPages: maxPages === undefined ? undefined : Math.floor(maxPages),
        workers: workers === undefined ? undefined : Math.floor(workers),
      });
      progress.finish();
      if (args.values.json) printJson(ctx, report);
      else printText(ctx, report);

      return report.cancelled ? 130 : 0;
    } finally {
      lib.close();
    }
  },
};
