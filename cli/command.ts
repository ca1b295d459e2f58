/**
 * The shape of one `surveyor` command. Each lives in `cli/commands/NAME.ts`
 * and is listed in `cli/commands/index.ts`.
 */
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  /** Aborted on Ctrl-C; long steps stop cleanly and keep what is finished. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  /** e.g. `PATH... [--library FILE] [--json]` */
  usage: string;
  options: OptionSpec;
  /** Returns the exit status. */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}

/** Options most commands share. */
export const LIBRARY_OPTION: OptionSpec = { library: { type: 'string' } };
export const JSON_OPTION: OptionSpec = { json: { type: 'boolean' } };

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
