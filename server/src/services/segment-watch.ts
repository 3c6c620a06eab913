/**
 * Live segment counts: after a change that can move contacts in or out of segments (a contact,
 * a purchase, a conversation or a task changed), the workspace's segments are counted again — at
 * most once per `everyMs` per workspace, since counting reads every contact — and each count that
 * moved is told to its agents as `segment.changed` `{segmentId, count}` on `/agent`.
 */
import type { SegmentChangedData } from '@charla/protocol';
import type { Server } from 'socket.io';
import { agentRoom } from '../events.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import { listSegments, type Clock } from './directory.js';

const MOVES_CONTACTS = new Set([
  'contact.upserted', 'contact.deleted', 'contact.merged', 'contact.unmerged', 'business_event.created', 'conversation.upserted', 'task.upserted',
]);

export function watchSegments(store: Store, io: Server, options: { clock: Clock; logger: Logger; everyMs?: number }): { stop(): void } {
  const everyMs = options.everyMs ?? 10_000;
  /** The counts last told, per workspace (none yet: every count is told the first time). */
  const told = new Map<string, Map<string, number>>();
  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  const recount = async (workspaceId: string): Promise<void> => {
    pending.delete(workspaceId);
    const { segments } = await listSegments(store, { workspaceId }, options.clock);
    const before = told.get(workspaceId);
    told.set(workspaceId, new Map(segments.map((segment) => [segment.id, segment.count])));
    for (const segment of segments) {
      if (before?.get(segment.id) === segment.count) continue;
      const data: SegmentChangedData = { segmentId: segment.id, count: segment.count };
      io.of('/agent').to(agentRoom(workspaceId)).emit('segment.changed', data);
    }
  };

  const unlisten = store.onCommit((entries) => {
    for (const { workspaceId, event } of entries) {
      if (!MOVES_CONTACTS.has(event.type) || pending.has(workspaceId)) continue;
      pending.set(workspaceId, setTimeout(() => {
        recount(workspaceId).catch((error: unknown) => options.logger.warn('Segment counts could not be taken', error));
      }, everyMs));
    }
  });
  return {
    stop() {
      unlisten();
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
