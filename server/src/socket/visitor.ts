import {
  syncRequestSchema, visitorMessageListRequestSchema, visitorMessageSendRequestSchema, visitorProfileSchema,
  type VisitorClientToServer,
} from '@charla/protocol';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { visitorRoom } from '../events.js';
import type { Visitor } from '../services/actors.js';
import { updateVisitorProfile } from '../services/contacts.js';
import { listVisitorMessages, sendVisitorMessage } from '../services/messages.js';
import { authenticateVisitor, visitorSession, visitorSync } from '../services/sessions.js';
import type { Store } from '../store/index.js';
import { handle, type AckData, type HandlerContext } from './handle.js';
import { handshake } from './handshake.js';
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
    void socket.join(visitorRoom(visitor.contactId));

    const on = <E extends keyof VisitorClientToServer & string, S extends z.ZodType>(
      name: E,
      schema: S,
      fn: (input: z.output<S>) => Promise<AckData<VisitorClientToServer[E]>>,
    ) => handle(context, socket, name, schema, null, fn);

    on('session.get', emptyRequestSchema, () => visitorSession(store, visitor));
    on('sync', syncRequestSchema, ({ since }) => visitorSync(store, visitor, since));
    on('messages.list', visitorMessageListRequestSchema, (input) => listVisitorMessages(store, visitor, input));
    on('message.send', visitorMessageSendRequestSchema, (input) => sendVisitorMessage(store, visitor, input));
    on('profile.update', visitorProfileSchema, (input) => updateVisitorProfile(store, visitor, input));
  });
}
