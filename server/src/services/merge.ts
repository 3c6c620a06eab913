import type { Agent, Contact, ContactMergePreview, contactMergeRequestSchema } from '@charla/protocol';
import type { z } from 'zod';
import { mergeContacts } from '../identity/resolve.js';
import type { Store } from '../store/index.js';
import { requireContact } from './changes.js';

type MergeRequest = z.output<typeof contactMergeRequestSchema>;

const FILLABLE = ['name', 'email', 'phone', 'avatarUrl'] as const;

/** What merging `mergeId` into `contactId` would do, for the agent to confirm. */
export async function previewMerge(store: Store, agent: Agent, request: MergeRequest): Promise<ContactMergePreview> {
  const [survivor, merged] = await Promise.all([
    requireContact(store, agent.workspaceId, request.contactId),
    requireContact(store, agent.workspaceId, request.mergeId),
  ]);
  const moves = await store.contacts.rowsOfContact(agent.workspaceId, merged.id);
  return {
    survivor,
    merged,
    moves: { ...moves, identities: merged.identities.length },
    fills: FILLABLE.filter((field) => !survivor[field] && merged[field]),
  };
}

/** An agent merges two contacts: everything of `mergeId` moves to `contactId`, nothing is lost. */
export function mergeByAgent(store: Store, agent: Agent, request: MergeRequest): Promise<Contact> {
  return store.transaction(async (scope) => {
    await requireContact(scope, agent.workspaceId, request.contactId);
    await requireContact(scope, agent.workspaceId, request.mergeId);
    return mergeContacts(scope, agent.workspaceId, request.contactId, request.mergeId, { kind: 'agent', id: agent.id, name: agent.name }, 'merged by an agent');
  });
}
