import { ERROR_HTTP_STATUS, type ErrorBody } from '@charla/protocol';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { CharlaFailure, toErrorPayload } from '../failure.js';
import { RateLimited } from '../limits.js';
import type { Logger } from '../logger.js';

function sendFailure(res: Response, failure: CharlaFailure, status = ERROR_HTTP_STATUS[failure.code]): void {
  const body: ErrorBody = { error: toErrorPayload(failure) };
  res.status(status).json(body);
}

/** Unknown endpoints answer JSON like the rest of the API. */
export const apiNotFound: RequestHandler = (req, res) => {
  sendFailure(res, new CharlaFailure('not_found', `No endpoint ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** Messages for the body parser's refusals (keyed by its error `type`). */
const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'The body is not valid JSON',
  'encoding.unsupported': 'The body encoding is not supported',
  'charset.unsupported': 'The body charset is not supported',
  'request.aborted': 'The request was aborted',
};

/** What a refusal by express or its body parsers (an http-errors error) says to the client. */
function refusalMessage(error: { type?: unknown; status: number; limit?: unknown }): string {
  if (error.type === 'entity.too.large') return `The body is larger than the limit of ${String(error.limit)} bytes`;
  if (typeof error.type === 'string' && BODY_ERRORS[error.type]) return BODY_ERRORS[error.type]!;
  return 'The request could not be read';
}

/**
 * Every error in the contract's shape `{"error":{"code","message"}}`, never express's HTML page
 * (with its stack trace and file paths). A path segment that is not valid percent-encoding
 * (`/deals/%ff`) is the client's mistake: 400, not 500.
 */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof CharlaFailure) return sendFailure(res, error);
    if (error instanceof RateLimited) {
      res.set('Retry-After', String(error.retryAfterSeconds));
      return sendFailure(res, new CharlaFailure('rate_limited', `Too many requests; try again in ${error.retryAfterSeconds} s`));
    }
    if (error instanceof URIError) return sendFailure(res, new CharlaFailure('invalid_payload', 'The URL holds an invalid percent-encoding'));
    const refusal = error as { type?: unknown; status?: unknown; limit?: unknown };
    if (typeof refusal.status === 'number' && refusal.status >= 400 && refusal.status < 500) {
      return sendFailure(res, new CharlaFailure('invalid_payload', refusalMessage(refusal as { status: number })), refusal.status);
    }
    logger.error(`${req.method} ${req.originalUrl} failed`, error);
    sendFailure(res, new CharlaFailure('internal', 'Something went wrong on the server'));
  };
}
