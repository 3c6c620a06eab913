/**
 * `Idempotency-Key` on REST POSTs: a client that retries a POST (its connection dropped before
 * the answer came) sends the same key and gets the first answer again — status and body, with
 * `Idempotent-Replayed: true` — instead of a second deal, task or import. Keys are per workspace,
 * kept for 24 hours. A key reused for another request (another path or body) is refused; one
 * whose first request is still running answers 409. Server errors (5xx) are not kept: the key may
 * be tried again.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { CharlaFailure } from '../failure.js';
import type { Agent } from '@charla/protocol';
import { agentOfApiKey, isApiKey } from '../services/api-keys.js';
import { authenticateAgent } from '../services/sessions.js';
import type { Store } from '../store/index.js';

const KEEP_MS = 24 * 3600_000;
/** A first request unanswered this long was cut off (its server stopped): the key is free again. */
const ABANDONED_MS = 5 * 60_000;
const PRUNE_EVERY_MS = 3600_000;
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The caller of a request, or null when its credentials do not hold (the route answers 401 then). */
async function callerOf(store: Store, authorization: string | undefined): Promise<Agent | null> {
  const [scheme, token] = (authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
  try {
    return isApiKey(token) ? await agentOfApiKey(store, token) : await authenticateAgent(store, { token });
  } catch {
    return null;
  }
}

/**
 * Stores the route's answer as the key's before it goes out (so a retry right after it finds it),
 * or frees the key when the answer is a server error or never came.
 */
function keepAnswer(store: Store, res: Response, workspaceId: string, key: string): void {
  let settled = false;
  const release = () => {
    if (settled) return;
    settled = true;
    store.idempotency.release(workspaceId, key).catch(() => {
      // The store is closing: the key stays taken until it is abandoned (5 minutes).
    });
  };
  const send = res.send.bind(res);
  res.send = (chunk?: unknown) => {
    if (settled || res.statusCode >= 500) {
      release();
      return send(chunk);
    }
    settled = true;
    const body = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    store.idempotency
      .complete(workspaceId, key, { status: res.statusCode, contentType: res.get('content-type') ?? null, body })
      .catch(() => undefined)
      .finally(() => send(chunk));
    return res;
  };
  // Answers without a body (`204`), and connections that broke off.
  res.on('finish', () => {
    if (settled) return;
    settled = true;
    if (res.statusCode >= 500) return void store.idempotency.release(workspaceId, key).catch(() => undefined);
    store.idempotency.complete(workspaceId, key, { status: res.statusCode, contentType: null, body: '' }).catch(() => undefined);
  });
  res.on('close', release);
}

export function idempotentPosts(store: Store): RequestHandler {
  let prunedAt = 0;
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!KEY.test(key)) throw new CharlaFailure('invalid_payload', 'Idempotency-Key: use 1 to 255 visible ASCII characters (a UUID, say)');
    const caller = await callerOf(store, req.get('authorization'));
    if (!caller) return next();
    const workspaceId = caller.workspaceId;
    const fingerprint = createHash('sha256')
      .update([req.method, req.originalUrl, req.get('content-type') ?? '', req.get('content-length') ?? '', caller.id].join('\n'))
      .digest('hex');
    const now = Date.now();
    if (now - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = now;
      await store.idempotency.prune(new Date(now - KEEP_MS).toISOString());
    }
    const earlier = await store.idempotency.claim(
      workspaceId, key, fingerprint, new Date(now).toISOString(), new Date(now - KEEP_MS).toISOString(), new Date(now - ABANDONED_MS).toISOString(),
    );
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new CharlaFailure('invalid_payload', 'Idempotency-Key: this key was used for another request; use a new key for each request');
      }
      if (earlier.status === null) throw new CharlaFailure('conflict', 'Idempotency-Key: the first request with this key is still being answered; try again shortly');
      res.status(earlier.status).set('Idempotent-Replayed', 'true');
      if (earlier.contentType) res.set('Content-Type', earlier.contentType);
      res.send(earlier.body ?? '');
      return;
    }
    keepAnswer(store, res, workspaceId, key);
    next();
  };
}
