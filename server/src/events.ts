import type { Server } from 'socket.io';
import type { Logger } from './logger.js';
import { toVisitorEvent, type CommitListener } from './store/index.js';

/** Socket.io rooms. Room membership lives in the adapter, so several processes share it. */
export const agentRoom = (workspaceId: string) => `ws:${workspaceId}`;
export const visitorRoom = (contactId: string) => `visitor:${contactId}`;
/** Every visitor connected to a workspace's widget (for its availability). */
export const visitorsRoom = (workspaceId: string) => `visitors:${workspaceId}`;

/**
 * Broadcasts committed change-log entries in seq order: every entry to the workspace's agents,
 * public webchat messages also (sanitized) to the contact's visitor, and their webchat
 * conversation's status and assignee (live only). A deleted contact's visitor sessions are
 * closed; their token no longer opens anything.
 */
export function createBroadcaster(io: Server, logger: Logger): CommitListener {
  const agents = io.of('/agent');
  const visitors = io.of('/visitor');
  return (entries) => {
    for (const { workspaceId, contactId, visibility, event } of entries) {
      try {
        agents.to(agentRoom(workspaceId)).emit('event', event);
        if (contactId === null) continue;
        if (visibility === 'all') {
          const visitorEvent = toVisitorEvent(event);
          if (visitorEvent) visitors.to(visitorRoom(contactId)).emit('event', visitorEvent);
        }
        if (event.type === 'contact.deleted') visitors.in(visitorRoom(contactId)).disconnectSockets(true);
        if (event.type === 'conversation.upserted' && event.data.conversation.channel === 'webchat') {
          // The widget's header shows who answers: tell the visitor about assignment changes.
          const { id, status, assigneeId } = event.data.conversation;
          visitors.to(visitorRoom(contactId)).emit('conversation', { id, status, assigneeId });
        }
      } catch (error) {
        logger.error(`Could not broadcast event ${event.seq} of workspace ${workspaceId}`, error);
      }
    }
  };
}
