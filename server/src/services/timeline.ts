/** The unified timeline of a contact or a company: one ordered, paginated feed of everything. */
import type { Agent, TimelinePage, timelineRequestSchema } from '@charla/protocol';
import type { z } from 'zod';
import { notFound } from '../failure.js';
import type { Store } from '../store/index.js';
import { requireContact } from './changes.js';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';
import { visibilityLimitOf } from './visibility.js';

type TimelineRequest = z.output<typeof timelineRequestSchema>;

/** Newest first; `nextCursor` continues with older items. */
export async function listTimeline(store: Store, agent: Agent, request: TimelineRequest): Promise<TimelinePage> {
  const workspaceId = agent.workspaceId;
  let owner: { contactId: string } | { companyId: string };
  if (request.contactId !== undefined) {
    await requireContact(store, workspaceId, request.contactId);
    owner = { contactId: request.contactId };
  } else {
    if (!(await store.deals.companyExists(workspaceId, request.companyId!))) throw notFound('Company');
    owner = { companyId: request.companyId! };
  }
  const cursor = request.cursor ? decodeCursor(request.cursor, 2) : null;
  const before = cursor && { at: cursor[0]!, id: cursor[1]! };
  const rows = await store.timeline.page(workspaceId, owner, before, request.limit + 1, await visibilityLimitOf(store, agent));
  const { items, hasMore } = pageOf(rows, request.limit);
  const last = items.at(-1);
  return { items, nextCursor: hasMore && last ? encodeCursor([last.at, last.id]) : null };
}
