import { readGraph } from '../../graph/store.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const graphCommand: Command = {
  name: 'graph',
  summary: 'the citation graph, similarity edges and topic clusters (run `surveyor build` first)',
  usage: '[--library FILE] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION },
  async run(args, ctx) {
    const lib = openFromArgs(args);
    try {
      const graph = readGraph(lib.db);
      if (args.values.json) {
        printJson(ctx, graph);
        return 0;
      }
      const cites = graph.edges.filter((e) => e.kind === 'cites').length;
      ctx.stdout.write(
        `${graph.nodes.length} papers, ${cites} citation edges, ${graph.edges.length - cites} similarity edges\n`,
      );
      for (const c of graph.clusters)
        ctx.stdout.write(`cluster ${c.id}\t${c.size} papers\t${c.label}\t(${c.keywords.slice(0, 6).join(', ')})\n`);
      if (graph.clusters.length === 0) ctx.stdout.write('no clusters yet: run `surveyor build`\n');

      return 0;
    } finally {
      lib.close();
    }
  },
};
