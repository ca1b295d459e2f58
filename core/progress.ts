/**
 * Progress reporting shared by every long step. Steps call `onProgress`; the
 * command line draws it on standard error, the app streams it to the page.
 */
export interface ProgressEvent {
  /** What is running, e.g. `ingest`, `embed`, `build`. */
  phase: string;
  done: number;
  total: number;
  /** The item just finished or started, e.g. a file name. */
  item?: string;
}

export type ProgressFn = (e: ProgressEvent) => void;

export interface StepOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);

  const two = (n: number) => String(n).padStart(2, '0');

  return m < 60 ? `${m}m${two(s % 60)}s` : `${Math.floor(m / 60)}h${two(m % 60)}m`;
}

/**
 * A one-line progress bar on a terminal (done / total, rate, time left).
 * Draws nothing when standard error is not a terminal.
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
  unit = 'items',
): ProgressFn & { finish(): void } {
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  const fn = ((e: ProgressEvent) => {
    if (!stream.isTTY) return;
    const now = Date.now();
    if (now - lastDraw < 100 && e.done < e.total) return;
    lastDraw = now;
    const elapsed = (now - started) / 1000;
    const rate = elapsed > 0 ? e.done / elapsed : 0;
    const left = rate > 0 ? (e.total - e.done) / rate : Infinity;
    const width = 24;
    const filled = e.total > 0 ? Math.round((width * e.done) / e.total) : 0;
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const line = `${e.phase} [${bar}] ${e.done}/${e.total} ${rate.toFixed(1)} ${unit}/s, ${formatDuration(left)} left`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
    drawn = true;
  }) as ProgressFn & { finish(): void };
  fn.finish = () => {
    if (drawn) stream.write('\n');
    drawn = false;
  };

  return fn;
}
