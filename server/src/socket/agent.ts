import {
  contactMergeRequestSchema, contactRefSchema, contactSearchRequestSchema, contactUpdateRequestSchema, notificationsReadRequestSchema, templateSendRequestSchema, conversationListRequestSchema, conversationRefSchema, conversationUpdateRequestSchema,
  messageListRequestSchema, messageSendRequestSchema, noteCreateRequestSchema, syncRequestSchema,
  type Agent, type AgentClientToServer, type AgentRole,
} from '@charla/protocol';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { adminRoom, agentRoom, ownAgentRoom } from '../events.js';
import { listCanned } from '../services/canned.js';
import { dismissDuplicate, duplicateSuggestions, mergeByAgent, previewMerge, undoableMerges, unmergeByAgent } from '../services/merge.js';
import { sendTemplate } from '../channels/outbound.js';
import { listNotifications, readNotifications } from '../services/notifications.js';
import { contactProfile, createNote, getContact, listContacts, updateContact } from '../services/contacts.js';
import { getConversation, listConversations, markConversationRead, updateConversation } from '../services/conversations.js';
import { listMessages, sendAgentMessage } from '../services/messages.js';
import { registerDealHandlers } from './deals.js';
import { getMetric } from '../metrics/index.js';
import { presenceOf } from './live.js';
import { contactUnmergeRequestSchema, duplicateDismissRequestSchema, duplicateListRequestSchema, metricGetRequestSchema } from '@charla/protocol';
import { agentSession, agentSync, agentTokenEndsAt, authenticateAgent } from '../services/sessions.js';
import type { Store } from '../store/index.js';
import { handle, type AckData, type HandlerContext, type SocketData } from './handle.js';
import { handshake } from './handshake.js';
import { emptyRequestSchema } from '../validation.js';

/** Registers one /agent request: its schema, the least role it needs, and what it does. */
export type AgentOn = <E extends keyof AgentClientToServer & string, S extends z.ZodType>(
  name: E,
  schema: S,
  requiredRole: AgentRole,
  fn: (input: z.output<S>) => Promise<AckData<AgentClientToServer[E]>>,
) => void;

/** The /agent namespace: an agent token in the handshake, the workspace's events, agent requests. */
export function registerAgentNamespace(io: Server, store: Store, context: HandlerContext): void {
  const namespace = io.of('/agent');
  namespace.use(
    handshake(context, async (socket) => {
      (socket.data as SocketData).agent = await authenticateAgent(store, socket.handshake.auth);
    }),
  );

  namespace.on('connection', (socket: Socket) => {
    const agent = (socket.data as SocketData).agent as Agent;
    void socket.join([agentRoom(agent.workspaceId), ownAgentRoom(agent.id), ...(agent.role === 'admin' ? [adminRoom(agent.workspaceId)] : [])]);
    // A signed token is short-lived: the connection ends with it (the client reconnects with a new one).
    const endsAt = agentTokenEndsAt(socket.handshake.auth);
    if (endsAt !== undefined) {
      const timer = setTimeout(() => socket.disconnect(true), Math.min(Math.max(0, endsAt - Date.now()), 2 ** 31 - 1));
      socket.on('disconnect', () => clearTimeout(timer));
    }

    const on: AgentOn = <E extends keyof AgentClientToServer & string, S extends z.ZodType>(
      name: E,
      schema: S,
      requiredRole: AgentRole,
      fn: (input: z.output<S>) => Promise<AckData<AgentClientToServer[E]>>,
    ) => handle(context, socket, name, schema, requiredRole, fn);

    on('session.get', emptyRequestSchema, 'viewer', () => agentSession(store, agent));
    on('sync', syncRequestSchema, 'viewer', ({ since }) => agentSync(store, agent, since));
    on('conversations.list', conversationListRequestSchema, 'viewer', (input) => listConversations(store, agent, input));
    on('conversation.get', conversationRefSchema, 'viewer', ({ conversationId }) => getConversation(store, agent, conversationId));
    on('conversation.update', conversationUpdateRequestSchema, 'agent', (input) => updateConversation(store, agent, input));
    // Reading only clears the unread badge, so viewers may do it too.
    on('conversation.read', conversationRefSchema, 'viewer', ({ conversationId }) => markConversationRead(store, agent, conversationId));
    on('messages.list', messageListRequestSchema, 'viewer', (input) => listMessages(store, agent, input));
    on('message.send', messageSendRequestSchema, 'agent', async (input) => (await sendAgentMessage(store, agent, input)).message);
    on('contact.get', contactRefSchema, 'viewer', ({ contactId }) => getContact(store, agent, contactId));
    on('note.create', noteCreateRequestSchema, 'agent', (input) => createNote(store, agent, input));
    on('contact.profile', contactRefSchema, 'viewer', ({ contactId }) => contactProfile(store, agent, contactId));
    on('canned.list', emptyRequestSchema, 'viewer', () => listCanned(store, agent));
    on('contacts.search', contactSearchRequestSchema, 'viewer', async ({ query, limit }) => (await listContacts(store, agent, { query, limit })).contacts);
    on('contact.mergePreview', contactMergeRequestSchema, 'agent', (input) => previewMerge(store, agent, input));
    on('contact.merge', contactMergeRequestSchema, 'agent', async (input) => (await mergeByAgent(store, agent, input)).contact);
    on('contact.merges', contactRefSchema, 'viewer', ({ contactId }) => undoableMerges(store, agent, contactId));
    on('contact.unmerge', contactUnmergeRequestSchema, 'agent', (input) => unmergeByAgent(store, agent, input));
    on('contacts.duplicates', duplicateListRequestSchema, 'viewer', (input) => duplicateSuggestions(store, agent, input));
    on('contacts.dismissDuplicate', duplicateDismissRequestSchema, 'agent', (input) => dismissDuplicate(store, agent, input));
    on('templates.list', emptyRequestSchema, 'viewer', () => store.channels.templates(agent.workspaceId));
    on('template.send', templateSendRequestSchema, 'agent', async (input) => (await sendTemplate(store, agent, input)).message);
    on('notifications.list', emptyRequestSchema, 'viewer', () => listNotifications(store, agent));
    on('notifications.read', notificationsReadRequestSchema, 'viewer', (input) => readNotifications(store, agent, input));
    on('contact.update', contactUpdateRequestSchema, 'agent', ({ contactId, patch }) => updateContact(store, agent, contactId, patch));
    registerDealHandlers(on, store, agent);
    on('metrics.get', metricGetRequestSchema, 'viewer', (input) => getMetric(store, agent, input, (workspaceId) => presenceOf(io, store, workspaceId)));
  });
}
