import { searchPapers } from '../../db/papers.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const searchCommand: Command = {
  name: 'search',
  summary: 'full-text search over titles, abstracts and bodies, best first',
  usage: 'QUERY [--library FILE] [--json] [--limit N]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION, limit: { type: 'string' } },
  async run(args, ctx) {
    const query = args.positionals.join(' ').trim();
    if (!query) {
      ctx.stderr.write('surveyor search: give some words to search for\n');
      return 2;
    }
    const lib = openFromArgs(args);
    try {
      const hits = searchPapers(lib.db, query, args.values.limit ? Number(args.values.limit) : 20);
      if (args.values.json) printJson(ctx, hits);
      else for (const h of hits) ctx.stdout.write(`#${h.id}\t${h.score.toFixed(2)}\t${h.title ?? '(no title)'}\n\t${h.snippet.replace(/\s+/g, ' ')}\n`);

      return 0;
    } finally {
      lib.close();
    }
  },
};
