import type { ErrorCode } from '@charla/protocol';

/**
 * An expected failure with a contract error code. Domain code throws these; the socket and HTTP
 * edges turn them into `{ code, message }` answers. Anything else that escapes is a bug and is
 * answered as `internal` (and logged).
 */
export class CharlaFailure extends Error {
  override readonly name = 'CharlaFailure';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function notFound(what: string): CharlaFailure {
  return new CharlaFailure('not_found', `${what} not found`);
}

interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** The contract's error shape for any thrown value; unexpected errors never leak their message. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof CharlaFailure) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'internal', message: 'Something went wrong on the server' };
}
