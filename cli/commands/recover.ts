import path from 'node:path';
import { resolveLibraryPath } from '../../core/paths.js';
import { terminalProgress } from '../../core/progress.js';
import { openLibrary } from '../../db/library.js';
import { recoverLibrary } from '../../db/recover.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';

export const recoverCommand: Command = {
  name: 'recover',
  summary: 'copy what a damaged library still holds, and re-read its stored PDFs, into a new library',
  usage: '[--library FILE] [--out NEW_FILE] [--export-json FILE] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION, out: { type: 'string' }, 'export-json': { type: 'string' } },
  async run(args, ctx) {
    const from = resolveLibraryPath(args.values.library as string | undefined);
    const defaultOut = from.replace(/(\.sqlite)?$/i, '.recovered.sqlite');
    const out = path.resolve((args.values.out as string | undefined) ?? defaultOut);
    const report = recoverLibrary(from, { out, jsonOut: args.values['export-json'] as string | undefined });

    // Papers whose rows were lost are read again from the PDFs kept beside the damaged file.
    const failed: { file: string; error: string }[] = [];
    let reingested = 0;
    if (report.lostFiles.length > 0) {
      const lib = openLibrary(out);
      const progress = terminalProgress(ctx.stderr, 'PDFs');
      try {
        const r = await ingestPaths(lib, report.lostFiles, { onProgress: progress, signal: ctx.signal });
        reingested = r.added.length;
        failed.push(...r.failed.map((f) => ({ file: f.file, error: f.error })));
      } finally {
        progress.finish();
        lib.close();
      }
    }

    const { lostFiles, ...rest } = report;
    const result = { ...rest, reingested, failed, storedPdfsWithoutRows: lostFiles.length };
    if (args.values.json) {
      printJson(ctx, result);
    } else {
      ctx.stdout.write(
        `read ${report.papers} papers and ${report.references} references from ${from}\n` +
          (report.unreadable.length ? `could not read papers ${report.unreadable.join(', ')}\n` : '') +
          `re-read ${reingested} of ${lostFiles.length} stored PDFs whose rows were lost\n` +
          failed.map((f) => `failed ${f.error}\n`).join('') +
          `new library: ${out}\n` +
          (report.jsonOut ? `exported: ${report.jsonOut}\n` : '') +
          `The damaged file was left as it was. When the new library looks right, move the damaged one aside ` +
          `and rename the new one in its place; \`surveyor build\` redoes embeddings, graph and directions.\n`,
      );
    }

    return 0;
  },
};
