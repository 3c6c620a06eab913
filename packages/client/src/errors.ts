import type { CharlaError } from '@charla/protocol';
import type { ErrorCode } from '@charla/protocol/constants';

/** A failed request, carrying the server's error code (or `timeout` / `offline` from the client). */
export class CharlaRequestError extends Error implements CharlaError {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'CharlaRequestError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  /** Whether trying the same request again later may succeed. */
  get retriable(): boolean {
    return RETRIABLE.has(this.code);
  }
}

const RETRIABLE = new Set<ErrorCode>(['timeout', 'offline', 'internal', 'rate_limited']);

export function toRequestError(error: unknown): CharlaRequestError {
  if (error instanceof CharlaRequestError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CharlaRequestError('internal', message);
}
