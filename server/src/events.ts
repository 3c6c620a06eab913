import type { Server } from 'socket.io';
import type { Logger } from './logger.js';
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
 */
export function createBroadcaster(io: Server, logger: Logger): CommitListener {
  const agents = io.of('/agent');
  const visitors = io.of('/visitor');
  return (entries) => {
    for (const { workspaceId, contactId, visibility, event, audience } of entries) {
      try {
        const rooms = agentRoomsFor(workspaceId, audience);
        if (rooms.length > 0) agents.to(rooms).emit('event', event);
        // Agents limited to their teams who are not in the audience any more (the conversation
        // moved to another team) hear only that it is hidden from them: its id, nothing of it.
        if (audience !== undefined && event.type === 'conversation.upserted') {
          agents.to(agentRoom(workspaceId)).except(rooms).emit('conversation.hidden', { conversationId: event.data.conversation.id });
        }
        if (contactId === null) continue;
        if (visibility === 'all') {
          const visitorEvent = toVisitorEvent(event);
          if (visitorEvent) visitors.to(webchatRoom(visitorEvent.conversationId)).emit('event', visitorEvent);
        }
        if (event.type === 'contact.deleted') visitors.in(visitorRoom(contactId)).disconnectSockets(true);
        if (event.type === 'conversation.upserted' && event.data.conversation.channel === 'webchat') {
          // The widget's header shows who answers: tell the visitor about assignment changes.
          const { id, status, assigneeId } = event.data.conversation;
          visitors.to(webchatRoom(id)).emit('conversation', { id, status, assigneeId });
        }
      } catch (error) {
        logger.error(`Could not broadcast event ${event.seq} of workspace ${workspaceId}`, error);
      }
    }
  };
}
