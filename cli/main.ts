/**
 * `surveyor`: the command line. Parses arguments, runs one command, maps
 * errors to messages and exit statuses. All work happens in the pipeline modules.
 */
import { parseArgs } from 'node:util';
import { SurveyorError } from '../core/errors.js';
import type { Command, CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);

  return [
    'Usage: surveyor COMMAND [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --library FILE (else $SURVEYOR_LIBRARY, else library.sqlite in the user-data folder).',
    'Run `surveyor COMMAND --help` for its options.',
    '',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return `Usage: surveyor ${c.name} ${c.usage}\n\n${c.summary}\n`;
}

export async function main(argv: string[], io: Partial<CommandContext> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stderr.write(`surveyor: unknown command "${name}"; the commands are: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    stdout.write(commandHelp(command));
    return 0;
  }

  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (err) {
    stderr.write(`surveyor ${name}: ${(err as Error).message}\n${commandHelp(command)}`);
    return 2;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    stderr.write('\nstopping after the work in flight (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  const external = io.signal;
  external?.addEventListener('abort', () => controller.abort(), { once: true });
  process.on('SIGINT', onSigint);
  try {
    return await command.run(parsed, { stdout, stderr, signal: controller.signal });
  } catch (err) {
    if (err instanceof SurveyorError) {
      stderr.write(`surveyor ${name}: ${err.message}\n`);
      return err.kind === 'cancelled' ? 130 : 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
