import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { RateLimits } from '../limits.js';
import { clientAddress } from './client-address.js';

/** The token of `Authorization: Bearer <token>`, if any. */
function bearerOf(header: string | undefined): string | null {
  const [scheme, token] = (header ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}

/**
 * The API's limits, before any route: an address that sent too many refused tokens waits
 * (guessing tokens gets nowhere), and each token (each address without one) has its share of
 * requests. Refusals are 429 with `Retry-After` (see errors.ts).
 */
export function apiRateLimits(limits: RateLimits, trustedHops = 0): RequestHandler {
  return async (req, res, next) => {
    const address = clientAddress(req, trustedHops);
    const token = bearerOf(req.get('authorization'));
    await limits.assertMayAuthenticate(address);
    // Counters are keyed by a digest: the process never keeps tokens themselves.
    await limits.apiRequest(token ? `token:${createHash('sha256').update(token).digest('base64url')}` : `address:${address}`);
    if (token) {
      res.on('finish', () => {
        if (res.statusCode === 401) void limits.authFailed(address);
      });
    }
    next();
  };
}
