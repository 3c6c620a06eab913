/**
 * Two contacts become one, and back. A merge never fails on conflicting values and loses nothing
 * (see `planMerge`); it records what came from each side for 30 days so an agent can undo it: the
 * rows that moved go back, what was added since stays with the survivor, and the survivor's
 * fields return to what they were unless someone changed them since.
 */
import { MERGE_UNDO_DAYS, type Contact, type ContactMergeRecord, type ContactUnmergedData } from '@charla/protocol';
import { CharlaFailure, notFound } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import type { MergeSnapshot, RawRow, StoreScope, StoredMerge } from '../store/index.js';
import { contactChanged, conversationChanged, recordSystemLine, requireContact } from '../services/changes.js';
import { planMerge, type MergePlan } from './merge-plan.js';
import { assignCompany, keysOf, type MergeActor } from './resolve.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Contact columns a merge may change and an undo restores (the rest of the row is the contact's identity). */
const RESTORABLE_COLUMNS = ['name', 'name_source', 'email', 'phone', 'avatar_url', 'company_id', 'external_ids'] as const;

/** The two contacts of a merge, checked: both exist in the workspace and are different. */
export async function mergeParties(scope: StoreScope, workspaceId: string, survivorId: string, mergedId: string): Promise<[Contact, Contact]> {
  if (survivorId === mergedId) throw new CharlaFailure('invalid_payload', 'A contact cannot be merged into itself');
  const survivor = await scope.contacts.get(workspaceId, survivorId);
  if (!survivor) throw notFound('Contact');
  const merged = await scope.contacts.get(workspaceId, mergedId);
  if (!merged) throw new CharlaFailure('not_found', 'mergeId: Contact not found');
  return [survivor, merged];
}

/** The plan of merging `merged` into `survivor` (the companies are read to name them in conflicts). */
export async function mergePlanOf(scope: StoreScope, survivor: Contact, merged: Contact): Promise<MergePlan> {
  const companyOf = (contact: Contact) => (contact.companyId ? scope.contacts.company(contact.workspaceId, contact.companyId) : undefined);
  const [survivorCompany, mergedCompany] = await Promise.all([companyOf(survivor), companyOf(merged)]);
  return planMerge(survivor, merged, { survivor: survivorCompany ?? null, merged: mergedCompany ?? null });
}

/** `mergeRecorded` for callers that only need the survivor. */
export async function mergeContacts(
  scope: StoreScope,
  workspaceId: string,
  survivorId: string,
  mergedId: string,
  actor: MergeActor,
  reason: string,
  reasonValues: Record<string, string | number> = {},
): Promise<Contact> {
  return (await mergeRecorded(scope, workspaceId, survivorId, mergedId, actor, reason, reasonValues)).contact;
}

/**
 * Merges `mergedId` into `survivorId` inside the caller's transaction: every row of the merged
 * contact moves to the survivor (conversations with their messages, identities, notes, deals,
 * tasks, purchases, AI insights, the change log), values are reconciled as `planMerge` says, and
 * the merge is logged (`contact.merged` with its record), written into the survivor's latest
 * conversation, audited, and kept 30 days to be undone.
 */
export async function mergeRecorded(
  scope: StoreScope,
  workspaceId: string,
  survivorId: string,
  mergedId: string,
  actor: MergeActor,
  reason: string,
  /** The reason's parts (shared keys, how) for the thread's line in the agent's language. */
  reasonValues: Record<string, string | number> = {},
): Promise<{ contact: Contact; merge: ContactMergeRecord }> {
  const [survivor, merged] = await mergeParties(scope, workspaceId, survivorId, mergedId);
  const plan = await mergePlanOf(scope, survivor, merged);
  const now = nowIso();
  const [mergedRow, survivorBefore] = [await scope.merges.contactRow(workspaceId, mergedId), await scope.merges.contactRow(workspaceId, survivorId)];
  const movedConversations = await scope.conversations.idsOfContact(workspaceId, mergedId);

  const rows = await scope.merges.moveContactRows(workspaceId, mergedId, survivorId);
  await scope.contacts.delete(workspaceId, mergedId);
  await scope.contacts.update(workspaceId, survivorId, plan.fields, now);
  // The merged contact's ids leave with it; those the survivor gains are its own from now on.
  for (const [system, id] of Object.entries(merged.externalIds ?? {})) await scope.externalRefs.forget(workspaceId, 'contact', system, id);
  if (plan.externalIds) await scope.externalRefs.set(workspaceId, 'contact', survivorId, plan.externalIds);
  const addedIdentityIds: string[] = [];
  for (const { channel, handle } of plan.identities) {
    if (await scope.identity.contactOfHandle(workspaceId, channel, handle)) continue;
    const id = newId('idn');
    await scope.contacts.insertIdentity(workspaceId, { id, contactId: survivorId, channel, handle, verified: false });
    addedIdentityIds.push(id);
  }
  const withKeys = await requireContact(scope, workspaceId, survivorId);
  await scope.identity.setKeys(workspaceId, survivorId, keysOf(withKeys));
  const contact = await assignCompany(scope, withKeys);

  const snapshot: MergeSnapshot = {
    merged: mergedRow!,
    survivorBefore: survivorBefore!,
    survivorAfter: (await scope.merges.contactRow(workspaceId, survivorId))!,
    rows,
    addedIdentityIds,
  };
  const record: Omit<StoredMerge, 'undoneAt'> = {
    id: newId('mrg'),
    workspaceId,
    survivorId,
    mergedId,
    actorKind: actor.kind,
    actorId: actor.id,
    reason,
    snapshot,
    createdAt: now,
    expiresAt: new Date(Date.parse(now) + MERGE_UNDO_DAYS * DAY_MS).toISOString(),
  };
  await scope.merges.deleteExpired(now);
  await scope.merges.insertRecord(record);
  const merge: ContactMergeRecord = {
    id: record.id, survivorId, mergedId, mergedName: merged.name, actor: { kind: actor.kind, id: actor.id }, reason,
    createdAt: record.createdAt, undoableUntil: record.expiresAt,
  };

  scope.events.append(workspaceId, {
    type: 'contact.merged',
    conversationId: null,
    contactId: survivorId,
    visibility: 'agents',
    data: {
      contact,
      mergedId,
      conversationIds: movedConversations,
      merge,
    },
  });
  for (const id of movedConversations) {
    const conversation = await scope.conversations.get(workspaceId, id);
    if (conversation) await conversationChanged(scope, conversation, contact);
  }
  const latestId = (await scope.conversations.idsOfContact(workspaceId, survivorId)).at(-1);
  const latest = latestId ? await scope.conversations.get(workspaceId, latestId) : undefined;
  if (latest) {
    await recordSystemLine(
      scope,
      latest,
      {
        key: 'contact_merged',
        values: {
          ...reasonValues,
          actor: actor.name ?? 'Charla',
          merged: merged.name ?? 'another contact',
          contact: contact.name ?? 'this contact',
          reason,
          ...(merged.name ? {} : { mergedUnnamed: 1 }),
          ...(contact.name ? {} : { contactUnnamed: 1 }),
        },
      },
      actor,
      { kind: 'contact_merged', contactId: survivorId, mergedId, reason },
    );
  }
  await scope.audit.record({
    workspaceId,
    actorKind: actor.kind === 'agent' ? 'agent' : 'system',
    actorId: actor.id,
    action: 'contact.merge',
    targetKind: 'contact',
    targetId: survivorId,
    data: { mergedId, reason, mergeId: record.id, conflicts: plan.conflicts.length },
  });
  return { contact, merge };
}

/** The survivor's columns that go back: those the merge changed and nobody changed since. */
function columnsToRestore(snapshot: MergeSnapshot, current: RawRow): RawRow {
  const restore: RawRow = {};
  const { survivorBefore: before, survivorAfter: after } = snapshot;
  for (const column of RESTORABLE_COLUMNS) {
    if (before[column] !== after[column] && current[column] === after[column]) restore[column] = before[column] ?? null;
  }
  // Tags and attributes the merge added leave again, unless changed since; the rest stays.
  const tagsOf = (row: RawRow) => (row.tags ? (JSON.parse(String(row.tags)) as string[]) : []);
  const added = new Set(tagsOf(after).filter((tag) => !tagsOf(before).includes(tag)));
  if (added.size > 0) restore.tags = JSON.stringify(tagsOf(current).filter((tag) => !added.has(tag)));
  const attributesOf = (row: RawRow) => (row.attributes ? (JSON.parse(String(row.attributes)) as Record<string, string>) : {});
  const [wasBefore, wasAfter, now] = [attributesOf(before), attributesOf(after), attributesOf(current)];
  let attributesChanged = false;
  for (const [key, value] of Object.entries(wasAfter)) {
    if (wasBefore[key] === value || now[key] !== value) continue;
    attributesChanged = true;
    if (wasBefore[key] === undefined) delete now[key];
    else now[key] = wasBefore[key]!;
  }
  if (attributesChanged) restore.attributes = JSON.stringify(now);
  return restore;
}

/**
 * After an undo, each contact's ids in other systems find it again. An id the survivor was given
 * since the merge stays the survivor's, and the restored contact goes without it.
 */
async function restoreExternalIds(scope: StoreScope, workspaceId: string, survivor: Contact, restored: Contact): Promise<void> {
  await scope.externalRefs.set(workspaceId, 'contact', survivor.id, survivor.externalIds ?? {});
  const held = new Set(Object.entries(survivor.externalIds ?? {}).map(([system, id]) => `${system}:${id}`));
  const own = Object.fromEntries(Object.entries(restored.externalIds ?? {}).filter(([system, id]) => !held.has(`${system}:${id}`)));
  await scope.externalRefs.set(workspaceId, 'contact', restored.id, own);
}

/** Why a merge record cannot be undone now, or null. */
function undoRefusal(record: StoredMerge, now: string): string | null {
  if (record.undoneAt) return 'This merge was already undone';
  if (record.expiresAt <= now) return `This merge is older than ${MERGE_UNDO_DAYS} days and can no longer be undone`;
  return null;
}

/**
 * Undoes a merge inside the caller's transaction: the merged contact exists again as it was, with
 * the rows that came from it (what was added since stays with the survivor), the survivor's
 * values return where nobody changed them, and both contacts' timelines record it.
 */
export async function unmergeContacts(
  scope: StoreScope,
  workspaceId: string,
  survivorId: string,
  mergeId: string,
  actor: MergeActor,
): Promise<ContactUnmergedData> {
  const record = await scope.merges.record(workspaceId, mergeId);
  if (!record || record.survivorId !== survivorId) throw new CharlaFailure('not_found', 'mergeId: Merge not found for this contact');
  const now = nowIso();
  const refusal = undoRefusal(record, now);
  if (refusal) throw new CharlaFailure('conflict', refusal);
  const current = await scope.merges.contactRow(workspaceId, survivorId);
  if (!current) throw new CharlaFailure('conflict', 'The contact was deleted or merged into another since: undo that first');
  const { snapshot } = record;

  await scope.merges.insertRow('contacts', snapshot.merged);
  await scope.merges.moveRowsBack(snapshot.rows.moved, survivorId, record.mergedId);
  for (const { table, row } of snapshot.rows.leftovers) await scope.merges.insertRow(table, row);
  await scope.merges.deleteIdentities(workspaceId, survivorId, snapshot.addedIdentityIds);
  await scope.merges.restoreContactColumns(workspaceId, survivorId, { ...columnsToRestore(snapshot, current), updated_at: now });

  const [contact, restored] = [await requireContact(scope, workspaceId, survivorId), await requireContact(scope, workspaceId, record.mergedId)];
  const shared = keysOf(contact).filter((key) => keysOf(restored).includes(key));
  if (shared.length > 0) {
    // One person, one contact: two contacts may not hold the same key, so this undo cannot stand.
    throw new CharlaFailure('conflict', `Both contacts now hold ${shared.join(', ')}: change it on one of them first`);
  }
  await scope.identity.setKeys(workspaceId, survivorId, keysOf(contact));
  await scope.identity.setKeys(workspaceId, record.mergedId, keysOf(restored));
  await restoreExternalIds(scope, workspaceId, contact, restored);
  await scope.merges.markUndone(workspaceId, mergeId, now, actor.id);

  const conversationIds = await scope.conversations.idsOfContact(workspaceId, record.mergedId);
  const data: ContactUnmergedData = { contact, restored, mergeId, conversationIds };
  scope.events.append(workspaceId, { type: 'contact.unmerged', conversationId: null, contactId: survivorId, visibility: 'agents', data });
  contactChanged(scope, restored);
  for (const id of conversationIds) {
    const conversation = await scope.conversations.get(workspaceId, id);
    if (conversation) await conversationChanged(scope, conversation, restored);
  }
  await scope.audit.record({
    workspaceId,
    actorKind: actor.kind === 'agent' ? 'agent' : 'system',
    actorId: actor.id,
    action: 'contact.unmerge',
    targetKind: 'contact',
    targetId: survivorId,
    data: { mergeId, restoredId: record.mergedId },
  });
  return data;
}
