/**
 * Live-only signals, relayed to rooms and never written to the change log: who is typing, agent
 * presence (online, away, offline), and whether anyone can answer (the widget's away state). They
 * go through socket.io's rooms and adapter, so they hold with several server processes; who is
 * connected comes from the presence registry (Redis with several processes, see redis.ts).
 */
import {
  agentTypingSchema, presenceSetSchema,
  type Agent, type AgentPresence, type AgentRole, type PresenceMap, type PresenceSignal, type TypingSignal,
} from '@charla/protocol';
import { z } from 'zod';
import type { Server, Socket } from 'socket.io';
import { agentRoom, agentRoomsFor, visitorsRoom, webchatRoom } from '../events.js';
import type { Visitor } from '../services/actors.js';
import { conversationAudience, requireVisibleConversation } from '../services/visibility.js';
import { availabilityOf, widgetSettingsOf, withinBusinessHours } from '../services/widget.js';
import type { Store } from '../store/index.js';
import { localPresence, RedisPresence, type PresenceRegistry, type RedisConnection } from '../redis.js';
import { handle, type HandlerContext, type SocketData } from './handle.js';

/** Who of the workspace is connected (in any server process), and who set themselves away. */
interface Presence {
  connected: Set<string>;
  away: Set<string>;
}

async function presenceIn(io: Server, store: Store, workspaceId: string): Promise<Presence> {
  const [connected, away] = await Promise.all([onlineAgentIds(io, workspaceId), store.workspaces.awayAgentIds(workspaceId)]);
  return { connected, away };
}

const statusOf = ({ connected, away }: Presence, agentId: string): AgentPresence =>
  connected.has(agentId) ? (away.has(agentId) ? 'away' : 'online') : 'offline';

const available = ({ connected, away }: Presence) => new Set([...connected].filter((id) => !away.has(id)));

/** Someone can answer: an agent of the workspace is connected (in any server process) and not away. */
export async function agentsOnline(io: Server, store: Store, workspaceId: string): Promise<boolean> {
  return (await availableAgentIds(io, store, workspaceId)).size > 0;
}

/** Connected agents who are not away: the ones routing gives new work to. */
export async function availableAgentIds(io: Server, store: Store, workspaceId: string): Promise<Set<string>> {
  return available(await presenceIn(io, store, workspaceId));
}

/** Every agent's presence: connected ones are online or away, the rest offline. */
export async function presenceOf(io: Server, store: Store, workspaceId: string): Promise<PresenceMap> {
  const [agents, presence] = await Promise.all([store.workspaces.agents(workspaceId), presenceIn(io, store, workspaceId)]);
  return Object.fromEntries(agents.map((agent) => [agent.id, statusOf(presence, agent.id)]));
}

const agentIdOf = (socket: { data: unknown }) => ((socket.data as SocketData).agent as Agent | undefined)?.id;

/** Where each server keeps who is connected: Redis with several processes, else its own sockets. */
const registries = new WeakMap<Server, PresenceRegistry>();

function registryOf(io: Server): PresenceRegistry {
  let registry = registries.get(io);
  if (!registry) {
    registry = localPresence(io, agentIdOf, agentRoom);
    registries.set(io, registry);
  }
  return registry;
}

/**
 * Keeps presence in Redis (several server processes); the agents whose claim ran out (their
 * process died) are announced offline. Returns the registry (closed with the server).
 */
export function usePresenceInRedis(io: Server, store: Store, context: HandlerContext, client: RedisConnection): PresenceRegistry {
  const registry = new RedisPresence(client, {
    logger: context.logger,
    onExpired: (workspaceId, agentId) =>
      context.work.track(
        announcePresence(io, store, { id: agentId, workspaceId }).catch((error: unknown) =>
          context.logger.error('Could not announce agent availability', error)),
      ),
  });
  registries.set(io, registry);
  return registry;
}

/** The agents of the workspace with at least one connected /agent socket, in any server process. */
export function onlineAgentIds(io: Server, workspaceId: string): Promise<Set<string>> {
  return registryOf(io).connected(workspaceId);
}

/** The visitor is typing in their webchat conversation: tell the workspace's agents. */
export async function relayVisitorTyping(io: Server, store: Store, visitor: Visitor): Promise<void> {
  const [conversation, contact] = await Promise.all([
    store.widget.latestVisitorConversation(visitor.workspaceId, visitor),
    store.contacts.get(visitor.workspaceId, visitor.contactId),
  ]);
  // Before their first message there is no conversation for agents to show it in.
  if (!conversation || !contact) return;
  const signal: TypingSignal = { conversationId: conversation.id, from: 'contact', id: contact.id, name: contact.name };
  const rooms = agentRoomsFor(visitor.workspaceId, await conversationAudience(store, visitor.workspaceId, conversation.id));
  if (rooms.length > 0) io.of('/agent').to(rooms).emit('typing', signal);
}

/** Tells the workspace's connected visitors whether someone can answer now (`presence`: when already read). */
async function announceAvailability(io: Server, store: Store, workspaceId: string, presence?: Presence, onlyHere = false): Promise<void> {
  const [current, { settings }] = await Promise.all([presence ?? presenceIn(io, store, workspaceId), widgetSettingsOf(store, workspaceId)]);
  const visitors = onlyHere ? io.of('/visitor').local : io.of('/visitor');
  visitors.to(visitorsRoom(workspaceId)).emit('availability', availabilityOf(settings, available(current).size > 0));
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
      // Each process tells its own visitors (every process runs this check).
      if (before !== undefined && before !== now) await announceAvailability(io, store, workspaceId, undefined, true);
    }
  };
  const timer = setInterval(() => context.work.track(check().catch((error: unknown) => context.logger.error('Could not check business hours', error))), every);
  timer.unref();
  return () => clearInterval(timer);
}

/** Tells the workspace's agents one agent's presence now, and its visitors whether someone can answer. */
async function announcePresence(io: Server, store: Store, agent: Pick<Agent, 'id' | 'workspaceId'>): Promise<void> {
  const presence = await presenceIn(io, store, agent.workspaceId);
  const signal: PresenceSignal = { agentId: agent.id, status: statusOf(presence, agent.id) };
  io.of('/agent').to(agentRoom(agent.workspaceId)).emit('presence', signal);
  await announceAvailability(io, store, agent.workspaceId, presence);
}

/**
 * Agent-side typing and presence, beside the /agent namespace's requests. `onAvailable` runs when
 * an agent may have become able to take work (connected, or back from away).
 */
export function registerLiveSignals(io: Server, store: Store, context: HandlerContext, onAvailable: (workspaceId: string) => void = () => undefined): void {
  io.of('/agent').on('connection', (socket: Socket) => {
    const agent = (socket.data as SocketData).agent as Agent;
    const registry = registryOf(io);
    const announce = (change?: Promise<void>) =>
      context.work.track(
        (async () => {
          await change;
          await announcePresence(io, store, agent);
        })().catch((error: unknown) => context.logger.error('Could not announce agent availability', error)),
      );
    announce(registry.add(socket, agent.workspaceId, agent.id).then(() => onAvailable(agent.workspaceId)));
    socket.on('disconnect', () => announce(registry.remove(socket)));

    handle(context, socket, 'presence.list', z.object({}).strict(), 'viewer', () => presenceOf(io, store, agent.workspaceId));
    handle(context, socket, 'presence.set', presenceSetSchema, 'viewer', async ({ status }) => {
      await store.workspaces.setAway(agent.workspaceId, agent.id, status === 'away');
      announce();
      if (status === 'online') onAvailable(agent.workspaceId);
      return { status };
    });

    const writer: AgentRole = 'agent';
    handle(context, socket, 'typing', agentTypingSchema, writer, async ({ conversationId }) => {
      const conversation = await requireVisibleConversation(store, agent, conversationId);
      const signal: TypingSignal = { conversationId, from: 'agent', id: agent.id, name: agent.name };
      const rooms = agentRoomsFor(agent.workspaceId, await conversationAudience(store, agent.workspaceId, conversationId));
      if (rooms.length > 0) socket.to(rooms).emit('typing', signal);
      if (conversation.channel === 'webchat') io.of('/visitor').to(webchatRoom(conversation.id)).emit('typing', signal);
      return { ok: true as const };
    });
  });
}
