/**
 * Live-only signals, relayed to rooms and never written to the change log: who is typing, agent
 * presence (online, away, offline), and whether anyone can answer (the widget's away state). They
 * go through socket.io's rooms and adapter, so they hold with several server processes.
 */
import {
  agentTypingSchema, presenceSetSchema,
  type Agent, type AgentRole, type PresenceMap, type PresenceSignal, type TypingSignal, type WidgetAvailability,
} from '@charla/protocol';
import { z } from 'zod';
import type { Server, Socket } from 'socket.io';
import { agentRoom, visitorRoom, visitorsRoom } from '../events.js';
import type { Visitor } from '../services/actors.js';
import { requireConversation } from '../services/changes.js';
import { availabilityOf, widgetSettingsOf, withinBusinessHours } from '../services/widget.js';
import type { Store } from '../store/index.js';
import { handle, type HandlerContext, type SocketData } from './handle.js';

/** Someone can answer: an agent of the workspace is connected (in any server process) and not away. */
export async function agentsOnline(io: Server, store: Store, workspaceId: string): Promise<boolean> {
  return (await availableAgentIds(io, store, workspaceId)).size > 0;
}

/** Connected agents who are not away: the ones routing gives new work to. */
export async function availableAgentIds(io: Server, store: Store, workspaceId: string): Promise<Set<string>> {
  const [connected, away] = await Promise.all([onlineAgentIds(io, workspaceId), store.workspaces.awayAgentIds(workspaceId)]);
  return new Set([...connected].filter((id) => !away.has(id)));
}

/** Every agent's presence: connected ones are online or away, the rest offline. */
export async function presenceOf(io: Server, store: Store, workspaceId: string): Promise<PresenceMap> {
  const [agents, connected, away] = await Promise.all([
    store.workspaces.agents(workspaceId),
    onlineAgentIds(io, workspaceId),
    store.workspaces.awayAgentIds(workspaceId),
  ]);
  return Object.fromEntries(agents.map((agent) => [agent.id, connected.has(agent.id) ? (away.has(agent.id) ? 'away' : 'online') : 'offline']));
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
async function announceAvailability(io: Server, store: Store, workspaceId: string): Promise<WidgetAvailability> {
  const [online, { settings }] = await Promise.all([agentsOnline(io, store, workspaceId), widgetSettingsOf(store, workspaceId)]);
  const availability = availabilityOf(settings, online);
  io.of('/visitor').to(visitorsRoom(workspaceId)).emit('availability', availability);
  return availability;
}

/** How often open pages hear that business hours began or ended. */
export const HOURS_CHECK_MS = 30_000;

/**
 * Business hours open and close while visitors sit on a page (or an admin changes them): every
 * `HOURS_CHECK_MS`, each workspace with visitors connected to this process whose hours turned is
 * told again. Returns the function that stops it.
 */
export function announceBusinessHours(io: Server, store: Store, context: HandlerContext, every = HOURS_CHECK_MS): () => void {
  const within = new Map<string, boolean>();
  const check = async () => {
    const prefix = visitorsRoom('');
    for (const room of io.of('/visitor').adapter.rooms.keys()) {
      if (!room.startsWith(prefix)) continue;
      const workspaceId = room.slice(prefix.length);
      const { settings } = await widgetSettingsOf(store, workspaceId);
      const now = withinBusinessHours(settings);
      const before = within.get(workspaceId);
      within.set(workspaceId, now);
      if (before !== undefined && before !== now) await announceAvailability(io, store, workspaceId);
    }
  };
  const timer = setInterval(() => context.work.track(check().catch((error: unknown) => context.logger.error('Could not check business hours', error))), every);
  timer.unref();
  return () => clearInterval(timer);
}

/** Tells the workspace's agents one agent's presence now. */
async function announcePresence(io: Server, store: Store, agent: Agent): Promise<void> {
  const status = (await presenceOf(io, store, agent.workspaceId))[agent.id] ?? 'offline';
  const signal: PresenceSignal = { agentId: agent.id, status };
  io.of('/agent').to(agentRoom(agent.workspaceId)).emit('presence', signal);
}

/**
 * Agent-side typing and presence, beside the /agent namespace's requests. `onAvailable` runs when
 * an agent may have become able to take work (connected, or back from away).
 */
export function registerLiveSignals(io: Server, store: Store, context: HandlerContext, onAvailable: (workspaceId: string) => void = () => undefined): void {
  io.of('/agent').on('connection', (socket: Socket) => {
    const agent = (socket.data as SocketData).agent as Agent;
    const announce = () =>
      context.work.track(
        Promise.all([announceAvailability(io, store, agent.workspaceId), announcePresence(io, store, agent)]).catch((error: unknown) =>
          context.logger.error('Could not announce agent availability', error)),
      );
    announce();
    onAvailable(agent.workspaceId);
    socket.on('disconnect', announce);

    handle(context, socket, 'presence.list', z.object({}).strict(), 'viewer', () => presenceOf(io, store, agent.workspaceId));
    handle(context, socket, 'presence.set', presenceSetSchema, 'viewer', async ({ status }) => {
      await store.workspaces.setAway(agent.workspaceId, agent.id, status === 'away');
      announce();
      if (status === 'online') onAvailable(agent.workspaceId);
      return { status };
    });

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
