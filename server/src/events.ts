import type { Server } from 'socket.io';
import type { Logger } from './logger.js';
import type { ChangeEvent, VisitorChangeEvent } from '@charla/protocol';
import { toVisitorEvent, type CommitListener } from './store/index.js';

/** Socket.io rooms. Room membership lives in the adapter, so several processes share it. */
export const agentRoom = (workspaceId: string) => `ws:${workspaceId}`;
/** The workspace's admins' connections (what only admins see: broadcasts). */
export const adminRoom = (workspaceId: string) => `admins:${workspaceId}`;
/** One agent's connections (events of a conversation go only to those who may see it). */
export const ownAgentRoom = (agentId: string) => `agent:${agentId}`;

/**
 * The /agent rooms an event or signal about a conversation goes to: the workspace's, or the rooms
 * of the agents in `audience` (who may see it); none when nobody may.
 */
export function agentRoomsFor(workspaceId: string, audience: readonly string[] | undefined): string[] {
  return audience === undefined ? [agentRoom(workspaceId)] : audience.map(ownAgentRoom);
}
/** A contact's visitor connections (closed when the contact is deleted). */
export const visitorRoom = (contactId: string) => `visitor:${contactId}`;
/** The connections of one visitor session (told to start again when identify replaces its token). */
export const visitorSessionRoom = (visitorId: string) => `visitor-session:${visitorId}`;
/** The connections of every session that proved one site user (they share that user's conversations). */
export const siteUserRoom = (workspaceId: string, siteUser: string) => `site-user:${workspaceId}:${siteUser}`;
/** The visitor connections that may see a webchat conversation. */
export const webchatRoom = (conversationId: string) => `webchat:${conversationId}`;
/** Every visitor connected to a workspace's widget (for its availability). */
export const visitorsRoom = (workspaceId: string) => `visitors:${workspaceId}`;

/**
 * Broadcasts committed change-log entries in seq order: every entry to the workspace's agents (an
 * entry about a conversation only to those who may see it),
 * public webchat messages also (sanitized) to the visitors that may see their conversation, and
 * that conversation's status and assignee (live only). A deleted contact's visitor sessions are
 * closed; their token no longer opens anything.
 *
 * A commit's consecutive entries for the same sockets go as one `events` packet (a message is
 * usually two entries, its conversation's change with it; a busy commit holds many): each socket
 * gets one write for them instead of one per entry, which is most of what a connected socket costs.
 * Only consecutive entries share a packet, so every socket still receives them in seq order.
 */
export function createBroadcaster(io: Server, logger: Logger): CommitListener {
  const agents = io.of('/agent');
  const visitors = io.of('/visitor');
  return (entries) => {
    const toAgents = new Batch<ChangeEvent>((rooms, events) => agents.to(rooms).emit('events', events));
    const toVisitors = new Batch<VisitorChangeEvent>((rooms, events) => visitors.to(rooms).emit('events', events));
    for (const { workspaceId, contactId, visibility, event, audience } of entries) {
      try {
        const rooms = agentRoomsFor(workspaceId, audience);
        toAgents.add(rooms, event);
        // Agents limited to their teams who are not in the audience any more (the conversation
        // moved to another team) hear only that it is hidden from them: its id, nothing of it.
        if (audience !== undefined && event.type === 'conversation.upserted') {
          toAgents.send();
          agents.to(agentRoom(workspaceId)).except(rooms).emit('conversation.hidden', { conversationId: event.data.conversation.id });
        }
        if (contactId === null) continue;
        if (visibility === 'all') {
          const visitorEvent = toVisitorEvent(event);
          if (visitorEvent) toVisitors.add([webchatRoom(visitorEvent.conversationId)], visitorEvent);
        }
        if (event.type === 'contact.deleted') {
          toVisitors.send();
          visitors.in(visitorRoom(contactId)).disconnectSockets(true);
        }
        if (event.type === 'conversation.upserted' && event.data.conversation.channel === 'webchat') {
          // The widget's header shows who answers: tell the visitor about assignment changes.
          const { id, status, assigneeId } = event.data.conversation;
          toVisitors.send();
          visitors.to(webchatRoom(id)).emit('conversation', { id, status, assigneeId });
        }
      } catch (error) {
        logger.error(`Could not broadcast event ${event.seq} of workspace ${workspaceId}`, error);
      }
    }
    for (const batch of [toAgents, toVisitors]) {
      try {
        batch.send();
      } catch (error) {
        logger.error(`Could not broadcast events of seq ${entries[0]?.event.seq}–${entries.at(-1)?.event.seq}`, error);
      }
    }
  };
}

/** Consecutive events for the same rooms, sent together when the rooms change or `send` is called. */
class Batch<E> {
  readonly #emit: (rooms: string[], events: E[]) => void;
  #rooms: string[] = [];
  #events: E[] = [];

  constructor(emit: (rooms: string[], events: E[]) => void) {
    this.#emit = emit;
  }

  /** Adds `event` for `rooms` (none: nobody hears it), sending what was gathered for other rooms first. */
  add(rooms: string[], event: E): void {
    if (rooms.length === 0) return;
    if (this.#events.length > 0 && !sameRooms(rooms, this.#rooms)) this.send();
    if (this.#events.length === 0) this.#rooms = rooms;
    this.#events.push(event);
  }

  /** Sends what was gathered. */
  send(): void {
    if (this.#events.length === 0) return;
    const events = this.#events;
    this.#events = [];
    this.#emit(this.#rooms, events);
  }
}

const sameRooms = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((room, i) => room === b[i]);
