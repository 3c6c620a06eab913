import { ERROR_HTTP_STATUS, type ErrorBody } from '@charla/protocol';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { CharlaFailure, toErrorPayload } from '../failure.js';
import type { Logger } from '../logger.js';

function sendFailure(res: Response, failure: CharlaFailure, status = ERROR_HTTP_STATUS[failure.code]): void {
  const body: ErrorBody = { error: toErrorPayload(failure) };
  res.status(status).json(body);
}

/** Unknown endpoints under /api answer JSON like the rest of the API. */
export const apiNotFound: RequestHandler = (req, res) => {
  sendFailure(res, new CharlaFailure('not_found', `No endpoint ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** Messages for the body parser's refusals (keyed by its error `type`). */
const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'The body is not valid JSON',
  'entity.too.large': 'The body is larger than 1 MB',
  'encoding.unsupported': 'The body encoding is not supported',
  'charset.unsupported': 'The body charset is not supported',
  'request.aborted': 'The request was aborted',
};

/** Every API error in the contract's shape `{"error":{"code","message"}}`, never express's HTML. */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof CharlaFailure) return sendFailure(res, error);
    const bodyError = error as { type?: unknown; status?: unknown };
    if (typeof bodyError.type === 'string' && typeof bodyError.status === 'number' && bodyError.status < 500) {
      const message = BODY_ERRORS[bodyError.type] ?? 'The body could not be read';
      return sendFailure(res, new CharlaFailure('invalid_payload', message), bodyError.status);
    }
    logger.error(`${req.method} ${req.originalUrl} failed`, error);
    sendFailure(res, new CharlaFailure('internal', 'Something went wrong on the server'));
  };
}
