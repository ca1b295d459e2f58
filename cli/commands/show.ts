import { getPaper, resolvePaperId } from '../../db/papers.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const showCommand: Command = {
  name: 'show',
  summary: 'one paper with its references',
  usage: 'ID|ARXIVID [--library FILE] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION },
  async run(args, ctx) {
    const key = args.positionals[0];
    if (!key) {
      ctx.stderr.write('surveyor show: give a paper id or an arXiv id\n');
      return 2;
    }
    const lib = openFromArgs(args);
    try {
      const id = resolvePaperId(lib.db, key);
      const paper = id === null ? null : getPaper(lib.db, id);
      if (!paper) {
        ctx.stderr.write(`surveyor show: no paper "${key}" in ${lib.path}\n`);
        return 1;
      }
      if (args.values.json) {
        printJson(ctx, paper);
        return 0;
      }
      const out = ctx.stdout;
      out.write(`#${paper.id}  ${paper.title ?? '(no title)'}\n`);
      if (paper.authors.length) out.write(`${paper.authors.join(', ')}\n`);
      out.write(
        [paper.year, paper.arxivId && `arXiv:${paper.arxivId}${paper.arxivVersion ? 'v' + paper.arxivVersion : ''}`, paper.doi && `doi:${paper.doi}`, paper.pages && `${paper.pages} pages`]
          .filter(Boolean)
          .join(' · ') + '\n',
      );
      if (paper.abstract) out.write(`\n${paper.abstract}\n`);
      if (paper.headings.length) out.write(`\nSections: ${paper.headings.join(' | ')}\n`);
      out.write(`\nReferences (${paper.references.length}):\n`);
      for (const r of paper.references) out.write(`  [${r.idx + 1}] ${r.raw}\n`);

      return 0;
    } finally {
      lib.close();
    }
  },
};
