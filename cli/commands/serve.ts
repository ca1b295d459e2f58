import { startServer } from '../../server/http.js';
import { LIBRARY_OPTION, type Command } from '../command.js';
import { openFromArgs } from '../open.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the app to a browser on 127.0.0.1, behind a random token',
  usage: '[--port N] [--library FILE] [--no-build]',
  options: { ...LIBRARY_OPTION, port: { type: 'string' }, 'no-build': { type: 'boolean' } },
  async run(args, ctx) {
    const port = args.values.port === undefined ? 0 : Number(args.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      ctx.stderr.write(
        `surveyor serve: --port must be a whole number from 0 to 65535 (got "${String(args.values.port)}")\n`,
      );
      return 2;
    }
    const lib = openFromArgs(args);
    let server;
    try {
      server = await startServer({ lib, port, autoBuild: !args.values['no-build'] });
    } catch (err) {
      lib.close();
      const code = (err as { code?: string }).code;
      if (code === 'EADDRINUSE') {
        ctx.stderr.write(
          `surveyor serve: port ${port} on 127.0.0.1 is taken; pick another with --port, or 0 for any\n`,
        );
        return 1;
      }
      throw err;
    }
    ctx.stdout.write(`Surveyor is serving ${lib.path}\nOpen ${server.url}\n(Ctrl-C stops it)\n`);

    // Runs until Ctrl-C (or the caller's signal): then stops jobs cleanly, keeping finished work.
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      process.once('SIGTERM', () => resolve());
    });
    await server.close();
    lib.close();

    return 0;
  },
};
