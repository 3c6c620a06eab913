/** What agents do with two contacts that are one person: preview, merge, undo, and possible duplicates. */
import type {
  Agent, Contact, ContactMergePreview, ContactMergeRecord, ContactUnmergedData, DuplicateSuggestion,
  contactMergeRequestSchema, contactUnmergeRequestSchema, duplicateDismissRequestSchema, duplicateListRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import { mergeParties, mergePlanOf, mergeRecorded, unmergeContacts } from '../identity/merge.js';
import { nameSignal, nameWords } from '../identity/names.js';
import type { MergeActor } from '../identity/resolve.js';
import type { Store } from '../store/index.js';
import { requireContact } from './changes.js';

type MergeRequest = z.output<typeof contactMergeRequestSchema>;
type UnmergeRequest = z.output<typeof contactUnmergeRequestSchema>;

const actorOf = (agent: Agent): MergeActor => ({ kind: 'agent', id: agent.id, name: agent.name });

/** Two contacts as one unordered pair (ids in order), the way dismissals are kept. */
function pairOf(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/** What merging `mergeId` into `contactId` would do — what moves, what fills, each conflict and its resolution — for the agent to confirm. */
export async function previewMerge(store: Store, agent: Agent, request: MergeRequest): Promise<ContactMergePreview> {
  const [survivor, merged] = await mergeParties(store, agent.workspaceId, request.contactId, request.mergeId);
  const plan = await mergePlanOf(store, survivor, merged);
  return {
    survivor,
    merged,
    moves: await store.merges.movesOf(agent.workspaceId, merged.id),
    fills: plan.fills,
    conflicts: plan.conflicts,
    tags: plan.tags,
    attributes: plan.attributes,
  };
}

/** An agent merges two contacts: everything of `mergeId` moves to `contactId`, nothing is lost; with the record to undo it. */
export function mergeByAgent(store: Store, agent: Agent, request: MergeRequest): Promise<{ contact: Contact; merge: ContactMergeRecord }> {
  return store.transaction((scope) => mergeRecorded(scope, agent.workspaceId, request.contactId, request.mergeId, actorOf(agent), 'merged by an agent', { via: 'agent' }));
}

/** The merges into a contact that can still be undone. */
export async function undoableMerges(store: Store, agent: Agent, contactId: string): Promise<ContactMergeRecord[]> {
  await requireContact(store, agent.workspaceId, contactId);
  return store.merges.undoable(agent.workspaceId, contactId, nowIso());
}

/** An agent undoes a merge they made; an admin, any merge (Charla's own included). */
export function unmergeByAgent(store: Store, agent: Agent, request: UnmergeRequest): Promise<ContactUnmergedData> {
  return store.transaction(async (scope) => {
    const record = await scope.merges.record(agent.workspaceId, request.mergeId);
    if (record?.survivorId === request.contactId && agent.role !== 'admin' && record.actorId !== agent.id) {
      throw new CharlaFailure('forbidden', 'Only an admin can undo a merge someone else made');
    }
    return unmergeContacts(scope, agent.workspaceId, request.contactId, request.mergeId, actorOf(agent));
  });
}

/** Pairs of the workspace's names that may be one person, without dismissed pairs, at most `limit`. */
function alikePairs(
  names: ReadonlyArray<{ id: string; words: string[] }>,
  dismissed: ReadonlySet<string>,
  limit: number,
): Array<{ ids: [string, string]; signal: DuplicateSuggestion['signal'] }> {
  // Only names that share a block are compared: the same words in any order, or the same first two
  // words (names come in id order, so each pair is already in the order dismissals use).
  const blocks = new Map<string, Array<{ id: string; words: string[] }>>();
  for (const entry of names) {
    const keys = new Set([`all:${[...entry.words].sort().join(' ')}`]);
    if (entry.words.length >= 2) keys.add(`two:${entry.words.slice(0, 2).join(' ')}`);
    for (const key of keys) blocks.set(key, [...(blocks.get(key) ?? []), entry]);
  }
  const found = new Map<string, { ids: [string, string]; signal: DuplicateSuggestion['signal'] }>();
  for (const block of blocks.values()) {
    for (let i = 0; i < block.length; i += 1) {
      for (let j = i + 1; j < block.length; j += 1) {
        const [a, b] = [block[i]!, block[j]!];
        const pair = `${a.id}|${b.id}`;
        if (found.has(pair) || dismissed.has(pair)) continue;
        const signal = nameSignal(a.words, b.words);
        if (signal) found.set(pair, { ids: [a.id, b.id], signal });
        if (found.size >= limit) return [...found.values()];
      }
    }
  }
  return [...found.values()];
}

/**
 * Possible duplicates: contacts with the same or a similar name (weak signals, never merged by
 * themselves), of one contact or of the whole workspace; pairs an agent dismissed stay dismissed.
 */
export async function duplicateSuggestions(store: Store, agent: Agent, request: z.output<typeof duplicateListRequestSchema>): Promise<DuplicateSuggestion[]> {
  const { workspaceId } = agent;
  const subject = request.contactId ? await requireContact(store, workspaceId, request.contactId) : null;
  const [named, dismissed] = await Promise.all([store.merges.names(workspaceId), store.merges.dismissedPairs(workspaceId)]);
  const names = named.map((entry) => ({ id: entry.id, words: nameWords(entry.name) }));
  let pairs: ReturnType<typeof alikePairs>;
  if (subject) {
    const words = nameWords(subject.name ?? '');
    pairs = [];
    for (const other of names) {
      if (other.id === subject.id || dismissed.has(pairOf(subject.id, other.id).join('|'))) continue;
      const signal = nameSignal(words, other.words);
      if (signal) pairs.push({ ids: [subject.id, other.id], signal });
      if (pairs.length >= request.limit) break;
    }
  } else {
    pairs = alikePairs(names, dismissed, request.limit);
  }
  const contacts = new Map((await store.contacts.many(workspaceId, pairs.flatMap((pair) => pair.ids))).map((c) => [c.id, c]));
  return pairs.flatMap(({ ids: [a, b], signal }) => {
    const [contact, other] = [contacts.get(a), contacts.get(b)];
    return contact && other ? [{ contact, other, signal }] : [];
  });
}

/** An agent says two contacts are different people: the pair is never suggested again. */
export async function dismissDuplicate(store: Store, agent: Agent, request: z.output<typeof duplicateDismissRequestSchema>): Promise<{ ok: true }> {
  await store.transaction(async (scope) => {
    await requireContact(scope, agent.workspaceId, request.contactId);
    await requireContact(scope, agent.workspaceId, request.otherId);
    await scope.merges.dismiss(agent.workspaceId, pairOf(request.contactId, request.otherId), agent.id, nowIso());
    await scope.audit.record({
      workspaceId: agent.workspaceId,
      actorKind: 'agent',
      actorId: agent.id,
      action: 'contact.duplicate_dismiss',
      targetKind: 'contact',
      targetId: request.contactId,
      data: { otherId: request.otherId },
    });
  });
  return { ok: true };
}
