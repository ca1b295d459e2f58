/**
 * Named loggers. Quiet by default; `SURVEYOR_LOG=debug` (or `trace`) turns on more.
 * Everything goes to standard error so JSON on standard output stays clean.
 */
const LEVELS = { error: 0, warn: 1, info: 2, debug: 3, trace: 4 } as const;
type Level = keyof typeof LEVELS;

function threshold(): number {
  const want = (process.env.SURVEYOR_LOG ?? 'warn').toLowerCase() as Level;

  return LEVELS[want] ?? LEVELS.warn;
}

export interface Logger {
  error(msg: string, ...rest: unknown[]): void;
  warn(msg: string, ...rest: unknown[]): void;
  info(msg: string, ...rest: unknown[]): void;
  debug(msg: string, ...rest: unknown[]): void;
  trace(msg: string, ...rest: unknown[]): void;
}

export function logger(name: string): Logger {
  const at = (level: Level) => (msg: string, ...rest: unknown[]) => {
    if (LEVELS[level] > threshold()) return;
    const tail = rest.length ? ' ' + rest.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(' ') : '';
    process.stderr.write(`[${name}] ${level}: ${msg}${tail}\n`);
  };

  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), trace: at('trace') };
}
