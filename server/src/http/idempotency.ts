/**
 * `Idempotency-Key` on REST POSTs: a client that retries a POST (its connection dropped before
 * the answer came) sends the same key and gets the first answer again — status and body, with
 * `Idempotent-Replayed: true` — instead of a second deal, task or import. Keys are per workspace,
 * kept for 24 hours. A key reused for another request (another path, or a body whose SHA-256
 * differs) is refused; one whose first request is still running answers 409. Server errors (5xx) are not kept: the key may
 * be tried again.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
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

/** What express's body parsers throw for a body over its limit (answered 413 by errors.ts). */
const tooLarge = (limit: number) => Object.assign(new Error('The body is too large'), { status: 413, type: 'entity.too.large', limit });

/**
 * The SHA-256 of the request's body, read whole and put back on the stream (unread, before its
 * end is told) so the route's own body parser still reads it. Bodies over `maxBytes` are refused.
 */
async function bodyDigest(req: Request, maxBytes: number): Promise<string> {
  const hash = createHash('sha256');
  const length = req.get('content-length');
  if ((length === undefined && req.get('transfer-encoding') === undefined) || length === '0') return hash.digest('hex');
  if (Number(length) > maxBytes) throw tooLarge(maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('readable', onReadable);
      req.off('error', onError);
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    function onReadable() {
      for (let chunk: Buffer | null = req.read(); chunk !== null; chunk = req.read()) {
        chunks.push(chunk);
        size += chunk.length;
      }
      if (size > maxBytes) {
        stop();
        req.resume();
        return reject(tooLarge(maxBytes));
      }
      if (!req.complete) return;
      stop();
      const body = Buffer.concat(chunks);
      // Synchronously after the last read: the stream has not told its end yet, so it may take the bytes back.
      if (body.length > 0) req.unshift(body);
      resolve(hash.update(body).digest('hex'));
    }
    req.on('readable', onReadable);
    req.on('error', onError);
  });
}

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

/** `maxBytes`: the largest body a route takes (bigger ones are refused before they are hashed). */
export function idempotentPosts(store: Store, maxBytes: number): RequestHandler {
  let prunedAt = 0;
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!KEY.test(key)) throw new CharlaFailure('invalid_payload', 'Idempotency-Key: use 1 to 255 visible ASCII characters (a UUID, say)');
    const caller = await callerOf(store, req.get('authorization'));
    if (!caller) return next();
    const workspaceId = caller.workspaceId;
    const fingerprint = createHash('sha256')
      .update([req.method, req.originalUrl, req.get('content-type') ?? '', await bodyDigest(req, maxBytes), caller.id].join('\n'))
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
