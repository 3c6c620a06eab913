import {
  csatSubmitSchema, preChatAnswersSchema, syncRequestSchema, visitorIdentifySchema, visitorMessageListRequestSchema,
  visitorMessageSendRequestSchema, visitorProfileSchema,
  type VisitorClientToServer,
} from '@charla/protocol';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { siteUserRoom, visitorRoom, visitorSessionRoom, visitorsRoom, webchatRoom } from '../events.js';
import type { Visitor } from '../services/actors.js';
import { updateVisitorProfile } from '../services/contacts.js';
import { submitVisitorRating } from '../services/csat.js';
import { listVisitorMessages, sendVisitorMessage } from '../services/messages.js';
import { authenticateVisitor, resumeVisitor, VISITOR_SESSION_TTL_MS, visitorSession, visitorSync } from '../services/sessions.js';
import { assertSelfDescriptionAllowed, identifyVisitor, submitPreChat } from '../services/widget.js';
import type { Store } from '../store/index.js';
import { CharlaFailure } from '../failure.js';
import { handle, type AckData, type HandlerContext } from './handle.js';
import { handshake } from './handshake.js';
import { agentsOnline, relayVisitorTyping } from './live.js';
import { emptyRequestSchema } from '../validation.js';

interface VisitorSocketData {
  visitor?: Visitor;
  /** The rooms the connection joins: read while authenticating, so nothing is missed once connected. */
  rooms?: string[];
}

/** A visitor connection hears live what its session may see: its conversations, and its contact's end. */
async function roomsOf(store: Store, visitor: Visitor): Promise<string[]> {
  const conversationIds = await store.widget.visitorConversationIds(visitor.workspaceId, visitor);
  return [
    visitorRoom(visitor.contactId),
    visitorsRoom(visitor.workspaceId),
    visitorSessionRoom(visitor.id),
    ...(visitor.siteUser === null ? [] : [siteUserRoom(visitor.workspaceId, visitor.siteUser)]),
    ...conversationIds.map(webchatRoom),
  ];
}

/** The connections entitled to a conversation the visitor starts: their session's, or every one of their site user's. */
const entitledRoom = (visitor: Visitor) =>
  visitor.siteUser === null ? visitorSessionRoom(visitor.id) : siteUserRoom(visitor.workspaceId, visitor.siteUser);

/**
 * The /visitor namespace: the webchat widget. The handshake names the workspace by its widget
 * key and may carry the visitor's token; the visitor only ever reaches the conversations their
 * session started, and those of the site user it proved. A proven session expires after
 * `sessionTtlMs` without use.
 */
export function registerVisitorNamespace(io: Server, store: Store, context: HandlerContext, sessionTtlMs = VISITOR_SESSION_TTL_MS): void {
  const namespace = io.of('/visitor');
  namespace.use(
    handshake(context, async (socket) => {
      const data = socket.data as VisitorSocketData;
      data.visitor = await authenticateVisitor(store, socket.handshake.auth, sessionTtlMs);
      data.rooms = await roomsOf(store, data.visitor);
    }),
  );

  namespace.on('connection', (socket: Socket) => {
    const data = socket.data as VisitorSocketData;
    /** The session this connection acts for (identify may replace it). */
    let visitor = data.visitor as Visitor;
    void socket.join(data.rooms ?? []);

    /**
     * The session as it is now: another tab may have identified the visitor since this socket
     * connected (its old token then no longer acts), or the session may have expired. An ended
     * session's connection hears nothing more and is told to start again.
     */
    const resume = async () => {
      try {
        return await resumeVisitor(store, visitor, sessionTtlMs);
      } catch (error) {
        if (error instanceof CharlaFailure && error.code === 'unauthorized') {
          for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
          socket.emit('session.changed');
        }
        throw error;
      }
    };
    const on = <E extends keyof VisitorClientToServer & string, S extends z.ZodType>(
      name: E,
      schema: S,
      fn: (input: z.output<S>, current: Visitor) => Promise<AckData<VisitorClientToServer[E]>>,
    ) => handle(context, socket, name, schema, null, async (input) => fn(input, await resume()));

    on('session.get', emptyRequestSchema, async (_input, current) =>
      visitorSession(store, current, await agentsOnline(io, store, current.workspaceId)));
    on('sync', syncRequestSchema, ({ since }, current) => visitorSync(store, current, since));
    on('messages.list', visitorMessageListRequestSchema, (input, current) => listVisitorMessages(store, current, input));
    on('message.send', visitorMessageSendRequestSchema, (input, current) =>
      // A new conversation is followed by every connection entitled to it, from its first message on.
      sendVisitorMessage(store, current, input, (conversationId) => namespace.in(entitledRoom(current)).socketsJoin(webchatRoom(conversationId))));
    on('profile.update', visitorProfileSchema, async (input, current) => {
      await assertSelfDescriptionAllowed(store, current.workspaceId);
      return updateVisitorProfile(store, current, input);
    });
    on('prechat.submit', preChatAnswersSchema, (input, current) => submitPreChat(store, current, input));
    on('csat.submit', csatSubmitSchema, (input, current) => submitVisitorRating(store, current, input));
    on('identify', visitorIdentifySchema, async (input, current) => {
      const { verified, linked, session } = await identifyVisitor(store, current, input);
      if (!session) return { verified, linked };
      // The previous session's other connections (tabs, or someone who kept its token) stop
      // hearing it, and are told to start again with the token the client now stores.
      const others = namespace.in(visitorSessionRoom(current.id)).except(socket.id);
      others.emit('session.changed');
      others.socketsLeave((await roomsOf(store, current)).filter((room) => room !== visitorsRoom(current.workspaceId)));
      visitor = session;
      for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
      void socket.join(await roomsOf(store, session));
      return { verified, linked, token: session.token };
    });
    on('typing', emptyRequestSchema, async (_input, current) => {
      await relayVisitorTyping(io, store, current);
      return { ok: true as const };
    });
  });
}
