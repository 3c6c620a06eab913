/**
 * Live-only signals, relayed to rooms and never written to the change log: who is typing, and
 * whether any agent is online (the widget's away state). Both go through socket.io's rooms and
 * adapter, so they hold with several server processes.
 */
import { agentTypingSchema, type Agent, type AgentRole, type TypingSignal } from '@charla/protocol';
import type { Server, Socket } from 'socket.io';
import { agentRoom, visitorRoom, visitorsRoom } from '../events.js';
import type { Visitor } from '../services/actors.js';
import { requireConversation } from '../services/changes.js';
import { availabilityOf, widgetSettingsOf } from '../services/widget.js';
import type { Store } from '../store/index.js';
import { handle, type HandlerContext, type SocketData } from './handle.js';

/** At least one /agent socket of the workspace is connected, in any server process. */
export async function agentsOnline(io: Server, workspaceId: string): Promise<boolean> {
  return (await onlineAgentIds(io, workspaceId)).size > 0;
}

/** The agents of the workspace with at least one connected /agent socket, in any server process. */
export async function onlineAgentIds(io: Server, workspaceId: string): Promise<Set<string>> {
  const sockets = await io.of('/agent').in(agentRoom(workspaceId)).fetchSockets();
  return new Set(sockets.map((socket) => ((socket.data as SocketData).agent as Agent | undefined)?.id).filter((id): id is string => Boolean(id)));
}

/** The visitor is typing in their webchat conversation: tell the workspace's agents. */
export async function relayVisitorTyping(io: Server, store: Store, visitor: Visitor): Promise<void> {
  const [conversation, contact] = await Promise.all([
    store.conversations.latestOfContact(visitor.workspaceId, visitor.contactId, 'webchat'),
    store.contacts.get(visitor.workspaceId, visitor.contactId),
  ]);
  // Before their first message there is no conversation for agents to show it in.
  if (!conversation || !contact) return;
  const signal: TypingSignal = { conversationId: conversation.id, from: 'contact', id: contact.id, name: contact.name };
  io.of('/agent').to(agentRoom(visitor.workspaceId)).emit('typing', signal);
}

/** Tells the workspace's connected visitors whether someone can answer now. */
async function announceAvailability(io: Server, store: Store, workspaceId: string): Promise<void> {
  const [online, { settings }] = await Promise.all([agentsOnline(io, workspaceId), widgetSettingsOf(store, workspaceId)]);
  io.of('/visitor').to(visitorsRoom(workspaceId)).emit('availability', availabilityOf(settings, online));
}

/** Agent-side typing and presence, beside the /agent namespace's requests. */
export function registerLiveSignals(io: Server, store: Store, context: HandlerContext): void {
  io.of('/agent').on('connection', (socket: Socket) => {
    const agent = (socket.data as SocketData).agent as Agent;
    const announce = () =>
      context.work.track(
        announceAvailability(io, store, agent.workspaceId).catch((error: unknown) =>
          context.logger.error('Could not announce agent availability', error)),
      );
    announce();
    socket.on('disconnect', announce);

    const writer: AgentRole = 'agent';
    handle(context, socket, 'typing', agentTypingSchema, writer, async ({ conversationId }) => {
      const conversation = await requireConversation(store, agent.workspaceId, conversationId);
      const signal: TypingSignal = { conversationId, from: 'agent', id: agent.id, name: agent.name };
      socket.to(agentRoom(agent.workspaceId)).emit('typing', signal);
      if (conversation.channel === 'webchat') io.of('/visitor').to(visitorRoom(conversation.contactId)).emit('typing', signal);
      return { ok: true as const };
    });
  });
}
