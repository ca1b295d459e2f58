import { readEmbeddings } from '../../db/embeddings.js';
import { getPaper, resolvePaperId } from '../../db/papers.js';
import { SurveyorError } from '../../core/errors.js';
import { nearestPapers } from '../../models/similar.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const similarCommand: Command = {
  name: 'similar',
  summary: 'the papers nearest to one paper by embedding, with cosine scores',
  usage: 'ID|ARXIVID [--limit N] [--library FILE] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION, limit: { type: 'string' } },
  async run(args, ctx) {
    const key = args.positionals[0];
    if (!key) {
      ctx.stderr.write('surveyor similar: give a paper id or an arXiv id\n');
      return 2;
    }
    const limit = args.values.limit === undefined ? 10 : Number(args.values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new SurveyorError('bad-limit', `--limit ${String(args.values.limit)}: give a whole number of at least 1`);

    const lib = openFromArgs(args, { readonly: true });
    try {
      const id = resolvePaperId(lib.db, key);
      if (id === null) throw new SurveyorError('no-paper', `no paper "${key}" in ${lib.path}`);
      const { model, vectors } = readEmbeddings(lib.db);
      if (!model)
        throw new SurveyorError('not-embedded', `${lib.path}: no paper is embedded yet; run \`surveyor embed\` first`);
      const near = nearestPapers(lib.db, vectors, id, limit);
      if (!near)
        throw new SurveyorError('not-embedded', `paper #${id} has no vector for ${model}; run \`surveyor embed\``);

      if (args.values.json) {
        printJson(ctx, near);
        return 0;
      }
      const me = getPaper(lib.db, id);
      ctx.stdout.write(`nearest to #${id} ${me?.title ?? '(no title)'} (${model}):\n`);
      for (const n of near) ctx.stdout.write(`  ${n.score.toFixed(3)}  #${n.id}  ${n.title ?? '(no title)'}\n`);

      return 0;
    } finally {
      lib.close();
    }
  },
};
