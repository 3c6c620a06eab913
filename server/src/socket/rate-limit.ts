import type { Server, Socket } from 'socket.io';
import { CharlaFailure, toErrorPayload } from '../failure.js';
import { hashToken } from '../ids.js';
import { RateLimited, type RateLimits } from '../limits.js';
import { clientAddress } from '../http/client-address.js';
import { emptyRequestSchema } from '../validation.js';
import type { Store } from '../store/index.js';

type Next = (error?: Error) => void;

/** The session the visitor namespace's handshake attached (see visitor.ts). */
const visitorOf = (socket: Socket) => (socket.data as { visitor?: { id: string; token: string } }).visitor;

/** The acknowledgement or handshake refusal for a failed check (a spent limit says when to retry). */
function payloadOf(error: unknown) {
  if (!(error instanceof RateLimited)) return toErrorPayload(error);
  const { retryAfterSeconds } = error;
  return toErrorPayload(new CharlaFailure('rate_limited', `Too many requests; try again in ${retryAfterSeconds} s`, { retryAfterSeconds }));
}

/** Whether the handshake carries the token of an existing visitor session of its workspace. */
async function isKnownVisitor(store: Store, auth: { workspace?: unknown; token?: unknown }): Promise<boolean> {
  if (typeof auth.workspace !== 'string' || typeof auth.token !== 'string') return false;
  const workspace = await store.workspaces.byWidgetKey(auth.workspace);
  return Boolean(workspace && (await store.workspaces.visitorByTokenHash(workspace.id, hashToken(auth.token))));
}

/** A handshake middleware from an async check. */
function handshakeCheck(check: (socket: Socket) => Promise<void>) {
  return (socket: Socket, next: Next): void => {
    check(socket).then(
      () => next(),
      (error: unknown) => {
        const payload = payloadOf(error);
        next(Object.assign(new Error(payload.message), { data: payload }));
      },
    );
  };
}

/**
 * The visitor namespace's limits, registered before its own handlers: new anonymous sessions per
 * address (each is a contact), messages per visitor, and typing signals relayed at most once per
 * interval (the rest are acknowledged and dropped: agents only need to know someone types).
 */
export function limitVisitors(io: Server, store: Store, limits: RateLimits, trustedHops = 0): void {
  const namespace = io.of('/visitor');
  namespace.use(handshakeCheck(async (socket) => {
    try {
      await limits.assertMayOpenVisitorSession(clientAddress(socket.request, trustedHops));
    } catch (error) {
      // A visitor coming back with their session's token opens nothing new: never limited.
      if (!(error instanceof RateLimited && (await isKnownVisitor(store, socket.handshake.auth)))) throw error;
    }
  }));
  namespace.on('connection', (socket: Socket) => {
    const visitor = visitorOf(socket);
    if (visitor && visitor.token !== (socket.handshake.auth as { token?: unknown }).token) {
      void limits.visitorSessionOpened(clientAddress(socket.request, trustedHops));
    }
    socket.use((packet, next) => {
      const [event, ...args] = packet;
      const ack = args.at(-1);
      const visitorId = visitorOf(socket)?.id ?? socket.id;
      const check = event === 'message.send' ? limits.visitorMessage(visitorId).then(() => true)
        // Only a valid signal counts (and may be dropped); anything else reaches the handler, which refuses it.
        : event === 'typing' ? (emptyRequestSchema.safeParse(typeof args[0] === 'function' ? undefined : args[0]).success ? limits.typingRelayed(visitorId) : Promise.resolve(true))
        : Promise.resolve(true);
      check.then(
        (pass) => {
          if (pass) next();
          else if (typeof ack === 'function') ack({ ok: true, data: { ok: true } });
        },
        (error: unknown) => {
          if (typeof ack === 'function') ack({ ok: false, error: payloadOf(error) });
        },
      );
    });
  });
}

/** An address that sent too many refused tokens (see http/rate-limit.ts) cannot open agent sockets either. */
export function limitAgentHandshakes(io: Server, limits: RateLimits, trustedHops = 0): void {
  io.of('/agent').use(handshakeCheck((socket) => limits.assertMayAuthenticate(clientAddress(socket.request, trustedHops))));
}
