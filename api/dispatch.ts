/**
 * One entry point for both transports: checks that the method exists and that its input
 * matches the contract, then calls the service. HTTP and IPC differ only in how bytes arrive.
 */
import { serializeError, SurveyorError } from '../core/errors.js';
import { logger } from '../core/log.js';
import { INPUTS, METHOD_NAMES, type MethodName, type Outputs, type ParsedInput, type Reply } from './contract.js';

const log = logger('api');

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<Outputs[M]> | Outputs[M] };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as string[]).includes(name);
}

/** Validates the input of `method`, or throws a `bad-request` error that says what is wrong. */
export function parseInput<M extends MethodName>(method: M, raw: unknown): ParsedInput<M> {
  const result = INPUTS[method].safeParse(raw);
  if (!result.success) {
    const why = result.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
      .join('; ');
    throw new SurveyorError('bad-request', `${method}: invalid input (${why})`);
  }

  return result.data as ParsedInput<M>;
}

/** Runs one call; never throws. Bugs are logged with their stack, and reach the page as a message. */
export async function dispatch(handlers: Handlers, method: unknown, raw: unknown): Promise<Reply<unknown>> {
  try {
    if (!isMethodName(method)) {
      throw new SurveyorError(
        'unknown-method',
        `unknown method "${String(method)}"; the methods are: ${METHOD_NAMES.join(', ')}`,
      );
    }
    const input = parseInput(method, raw);
    const handler = handlers[method] as (i: unknown) => Promise<unknown> | unknown;
    const value = await handler(input);

    return { ok: true, value };
  } catch (err) {
    const e = serializeError(err);
    if (e.kind === 'bug')
      log.error(`dispatch(): ${String(method)} failed`, err instanceof Error ? (err.stack ?? e.message) : e.message);

    return { ok: false, error: e };
  }
}
