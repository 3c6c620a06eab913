/**
 * Which other sites may call the agent API from a browser: `CHARLA_ALLOWED_ORIGINS` (or the
 * `allowedOrigins` option), a comma-separated list of origins such as `https://admin.example.com`.
 * By default none: the API and the agent sockets answer pages of the server's own origin only.
 * The webchat's routes stay open to every site (they carry no agent credential).
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { Server, Socket } from 'socket.io';
import { CharlaFailure, toErrorPayload } from '../failure.js';

/** `https://host[:port]` as browsers send it in `Origin`, or null when `value` is none. */
export function originOf(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username) return null;
  return url.origin;
}

/** The origins of `CHARLA_ALLOWED_ORIGINS`; throws with the one that is not an origin. */
export function allowedOriginsFrom(option: readonly string[] | undefined, env: NodeJS.ProcessEnv): Set<string> {
  const values = option ?? (env.CHARLA_ALLOWED_ORIGINS ?? '').split(',').map((value) => value.trim()).filter(Boolean);
  const origins = new Set<string>();
  for (const value of values) {
    const origin = originOf(value);
    if (!origin) throw new Error(`Invalid CHARLA_ALLOWED_ORIGINS: ${JSON.stringify(value)} is not an origin (use e.g. https://admin.example.com)`);
    origins.add(origin);
  }
  return origins;
}

/** Whether a request with this `Origin` (and `Host`) comes from the server's own pages or an allowed site. */
function mayCall(allowed: ReadonlySet<string>, origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // not a browser's cross-site request (a server, a CLI, a same-origin GET)
  if (allowed.has(origin)) return true;
  return URL.canParse(origin) && new URL(origin).host === host;
}

/** CORS for the REST API: allowed origins get the headers (bearer tokens, never cookies); others none, so browsers refuse. */
export function apiCors(allowed: ReadonlySet<string>): RequestHandler {
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  });
}

/**
 * Agent sockets opened by a page of another, not allowed site are refused (`forbidden`): WebSocket
 * has no CORS, so without this any site could drive an agent's connection with a token it got.
 */
export function limitAgentOrigins(io: Server, allowed: ReadonlySet<string>): void {
  io.of('/agent').use((socket: Socket, next) => {
    const { origin, host } = socket.handshake.headers;
    if (mayCall(allowed, origin, host)) return next();
    const payload = toErrorPayload(new CharlaFailure('forbidden', `Pages of ${origin} may not connect as an agent (add it to CHARLA_ALLOWED_ORIGINS)`));
    next(Object.assign(new Error(payload.message), { data: payload }));
  });
}
