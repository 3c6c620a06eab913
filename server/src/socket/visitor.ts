import {
  preChatAnswersSchema, syncRequestSchema, visitorIdentifySchema, visitorMessageListRequestSchema,
  visitorMessageSendRequestSchema, visitorProfileSchema,
  type VisitorClientToServer,
} from '@charla/protocol';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { visitorRoom, visitorsRoom } from '../events.js';
import type { Visitor } from '../services/actors.js';
import { updateVisitorProfile } from '../services/contacts.js';
import { listVisitorMessages, sendVisitorMessage } from '../services/messages.js';
import { authenticateVisitor, visitorSession, visitorSync } from '../services/sessions.js';
import { currentVisitor, identifyVisitor, submitPreChat } from '../services/widget.js';
import type { Store } from '../store/index.js';
import { handle, type AckData, type HandlerContext } from './handle.js';
import { handshake } from './handshake.js';
import { agentsOnline, relayVisitorTyping } from './live.js';
import { emptyRequestSchema } from '../validation.js';

interface VisitorSocketData {
  visitor?: Visitor;
}

/**
 * The /visitor namespace: the webchat widget. The handshake names the workspace by its widget
 * key and may carry the visitor's token; the visitor only ever reaches their own conversation.
 */
export function registerVisitorNamespace(io: Server, store: Store, context: HandlerContext): void {
  const namespace = io.of('/visitor');
  namespace.use(
    handshake(context, async (socket) => {
      (socket.data as VisitorSocketData).visitor = await authenticateVisitor(store, socket.handshake.auth);
    }),
  );

  namespace.on('connection', (socket: Socket) => {
    const visitor = (socket.data as VisitorSocketData).visitor as Visitor;
    void socket.join([visitorRoom(visitor.contactId), visitorsRoom(visitor.workspaceId)]);

    /**
     * Each request acts for the contact the visitor is now: another tab may have identified
     * them since this socket connected (it is then told to start over, but may still send).
     */
    const on = <E extends keyof VisitorClientToServer & string, S extends z.ZodType>(
      name: E,
      schema: S,
      fn: (input: z.output<S>, current: Visitor) => Promise<AckData<VisitorClientToServer[E]>>,
    ) => handle(context, socket, name, schema, null, async (input) => fn(input, await currentVisitor(store, visitor)));

    on('session.get', emptyRequestSchema, async (_input, current) =>
      visitorSession(store, current, await agentsOnline(io, store, current.workspaceId)));
    on('sync', syncRequestSchema, ({ since }, current) => visitorSync(store, current, since));
    on('messages.list', visitorMessageListRequestSchema, (input, current) => listVisitorMessages(store, current, input));
    on('message.send', visitorMessageSendRequestSchema, (input, current) => sendVisitorMessage(store, current, input));
    on('profile.update', visitorProfileSchema, (input, current) => updateVisitorProfile(store, current, input));
    on('prechat.submit', preChatAnswersSchema, (input, current) => submitPreChat(store, current, input));
    on('identify', visitorIdentifySchema, async (input, current) => {
      const { verified, linked, previousContactId } = await identifyVisitor(store, current, input);
      // The visitor's other tabs and devices (this one restarts by itself on the answer).
      if (linked) socket.to(visitorRoom(previousContactId)).emit('session.changed');
      return { verified, linked };
    });
    on('typing', emptyRequestSchema, async (_input, current) => {
      await relayVisitorTyping(io, store, current);
      return { ok: true as const };
    });
  });
}
