/**
 * Errors with kinds, so every face (command line, HTTP, IPC) can tell a user's
 * problem (a scanned PDF) from a bug and from a cancellation.
 */
export type ErrorKind = 'expected' | 'cancelled' | 'bug';

export class SurveyorError extends Error {
  readonly kind: ErrorKind;
  /** A short stable code such as `not-a-pdf`, `encrypted`, `no-text-layer`. */
  readonly code: string;

  constructor(code: string, message: string, kind: ErrorKind = 'expected') {
    super(message);
    this.name = 'SurveyorError';
    this.code = code;
    this.kind = kind;
  }
}

export class CancelledError extends SurveyorError {
  constructor(message = 'cancelled') {
    super('cancelled', message, 'cancelled');
    this.name = 'CancelledError';
  }
}

/** A plain object that survives postMessage, JSON and IPC. */
export interface SerializedError {
  kind: ErrorKind;
  code: string;
  message: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof SurveyorError) {
    return { kind: err.kind, code: err.code, message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'bug', code: 'internal', message };
}

export function rebuildError(s: SerializedError): SurveyorError {
  return s.kind === 'cancelled' ? new CancelledError(s.message) : new SurveyorError(s.code, s.message, s.kind);
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
