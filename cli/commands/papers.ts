import { listPapers } from '../../db/papers.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';
import { enrichPapers } from '../../survey/paper-fields.js';
import '../../graph/fields.js';
import '../../survey/fields.js';

export const papersCommand: Command = {
  name: 'papers',
  summary: 'list the papers in the library',
  usage: '[--library FILE] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION },
  async run(args, ctx) {
    const lib = openFromArgs(args);
    try {
      const papers = enrichPapers(lib, listPapers(lib.db));
      if (args.values.json) {
        printJson(ctx, papers);
      } else {
        for (const p of papers) {
          const who = p.authors.length ? `${p.authors[0]}${p.authors.length > 1 ? ' et al.' : ''}` : '';
          ctx.stdout.write(`#${p.id}\t${p.year ?? '----'}\t${p.arxivId ?? ''}\t${p.title ?? '(no title)'}\t${who}\n`);
        }
        ctx.stdout.write(`${papers.length} papers\n`);
      }

      return 0;
    } finally {
      lib.close();
    }
  },
};
