/**
 * Erasure that really erases: a contact's rows (and everything that cascades from them), their
 * media files and data exports, the background jobs that mention them, the change log's entries
 * (redacted in place: seq kept, so resync stays gap-free) and the audit log's data about them
 * (the fact of each action kept). SQLite overwrites what it deletes (secure_delete) and the WAL
 * is checkpointed, so the database file holds none of it either.
 */
import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel, ErasureReport } from '@charla/protocol';
import { nowIso } from '../ids.js';
import { requireContact } from '../services/changes.js';
import type { Store, StoreScope } from '../store/index.js';

/** Where a server keeps files about people: channel media and finished data exports. */
export interface PrivacyFiles {
  mediaDir: string;
  exportsDir: string;
}

export interface PrivacyActor {
  kind: 'agent' | 'system';
  id: string | null;
}

/** The file of a finished data export. */
export function exportFile(files: PrivacyFiles, workspaceId: string, jobId: string): string {
  return join(files.exportsDir, workspaceId, `${jobId}.zip`);
}

/** How a refused handle is stored: nobody's number or account, only its digest in the workspace. */
export function handleDigest(workspaceId: string, channel: Channel, handle: string): string {
  return createHash('sha256').update(`${workspaceId}\n${channel}\n${handle.trim().toLowerCase()}`).digest('hex');
}

/** Of `handles` on `channel`, those of people an admin erased and chose to refuse (one read). */
export async function blockedHandles(scope: StoreScope, workspaceId: string, channel: Channel, handles: readonly string[]): Promise<Set<string>> {
  const digests = new Map(handles.map((handle) => [handleDigest(workspaceId, channel, handle), handle]));
  const blocked = await scope.privacy.blockedAmong(workspaceId, [...digests.keys()]);
  return new Set([...blocked].map((digest) => digests.get(digest)!));
}

/** True when an admin erased the person behind this handle and chose to refuse them. */
export function isHandleBlocked(scope: StoreScope, workspaceId: string, channel: Channel, handle: string): Promise<boolean> {
  return scope.privacy.isBlocked(workspaceId, handleDigest(workspaceId, channel, handle));
}

/** Terms shorter than this are not searched for in job payloads (they would match unrelated text). */
const MIN_TERM = 5;

/** Files to remove once the transaction that forgot them commits. */
interface Leftovers {
  media: string[];
  exports: string[];
}

/**
 * Forgets the traces of a contact's records that are not theirs by a foreign key: jobs that
 * mention them, change-log entries (redacted), audit data (redacted), merge records. Returns the
 * counts and what files to remove.
 */
async function forgetTraces(
  scope: StoreScope,
  workspaceId: string,
  contactId: string,
  terms: ReadonlyArray<string | null>,
): Promise<{ conversationIds: string[]; messageIds: string[]; eventsRedacted: number; auditEntriesRedacted: number; jobsRemoved: number; leftovers: Leftovers }> {
  const conversationIds = await scope.conversations.idsOfContact(workspaceId, contactId);
  const messageIds = await scope.privacy.messageIds(workspaceId, contactId);
  const exportJobs = await scope.privacy.exportJobIds(workspaceId, contactId);
  const records = (await Promise.all((['deals', 'tasks', 'business_events', 'notes'] as const).map((table) => scope.privacy.rowsOf(table, workspaceId, contactId))))
    .flat()
    .map((row) => String(row.id));
  const searched = [contactId, ...conversationIds, ...messageIds, ...records, ...terms]
    .filter((term): term is string => typeof term === 'string' && term.trim().length >= MIN_TERM);
  const jobsRemoved = (await scope.privacy.deleteJobsMentioning(workspaceId, [...new Set(searched)])).length;
  const eventsRedacted = await scope.privacy.redactEvents(workspaceId, contactId, conversationIds);
  const auditEntriesRedacted = await scope.privacy.redactAudit(workspaceId, [contactId, ...conversationIds, ...records]);
  await scope.privacy.deleteTraces(workspaceId, contactId);
  return {
    conversationIds, messageIds, eventsRedacted, auditEntriesRedacted, jobsRemoved,
    leftovers: { media: messageIds, exports: exportJobs },
  };
}

/**
 * The media files kept for these messages: `messageId` (WhatsApp, Instagram, Messenger) and
 * `messageId.N` (an email's attachments).
 */
export async function mediaFilesOf(files: PrivacyFiles, workspaceId: string, messageIds: readonly string[]): Promise<Array<{ messageId: string; name: string; path: string }>> {
  const dir = join(files.mediaDir, workspaceId);
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  const found: Array<{ messageId: string; name: string; path: string }> = [];
  for (const messageId of messageIds) {
    if (names.has(messageId)) found.push({ messageId, name: messageId, path: join(dir, messageId) });
    for (let index = 0; names.has(`${messageId}.${index}`); index += 1) {
      found.push({ messageId, name: `${messageId}.${index}`, path: join(dir, `${messageId}.${index}`) });
    }
  }
  return found;
}

/** Removes the files; returns how many media files there were. */
async function removeFiles(store: Store, files: PrivacyFiles, workspaceId: string, leftovers: Leftovers): Promise<number> {
  let media = 0;
  for (const { path } of await mediaFilesOf(files, workspaceId, leftovers.media)) {
    try {
      await rm(path);
      media += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  for (const jobId of leftovers.exports) await rm(exportFile(files, workspaceId, jobId), { force: true });
  await store.privacy.checkpoint();
  return media;
}

/**
 * Erases a contact and everything of theirs (see the module). With `block`, their channel handles
 * are refused from now on (as digests). The audit log keeps one `contact.erase` entry with counts.
 */
export async function eraseContact(
  store: Store,
  files: PrivacyFiles,
  actor: PrivacyActor,
  workspaceId: string,
  contactId: string,
  options: { block: boolean; reason: 'request' | 'retention' },
): Promise<ErasureReport> {
  const done = await store.transaction(async (scope) => {
    const contact = await requireContact(scope, workspaceId, contactId);
    const digits = contact.phone?.replace(/\D/g, '') ?? null;
    const traces = await forgetTraces(scope, workspaceId, contactId, [
      contact.email, contact.phone, digits, ...contact.identities.map((identity) => identity.handle),
    ]);
    await scope.contacts.delete(workspaceId, contactId);
    let handlesBlocked = 0;
    if (options.block) {
      const now = nowIso();
      for (const identity of contact.identities) {
        await scope.privacy.block(workspaceId, handleDigest(workspaceId, identity.channel, identity.handle), now);
        handlesBlocked += 1;
      }
    }
    scope.events.append(workspaceId, {
      type: 'contact.deleted',
      conversationId: null,
      contactId,
      visibility: 'agents',
      data: { contactId, conversationIds: traces.conversationIds },
    });
    const report = {
      contactId,
      conversations: traces.conversationIds.length,
      messages: traces.messageIds.length,
      eventsRedacted: traces.eventsRedacted,
      auditEntriesRedacted: traces.auditEntriesRedacted,
      jobsRemoved: traces.jobsRemoved,
      handlesBlocked,
    };
    await scope.audit.record({
      workspaceId, actorKind: actor.kind, actorId: actor.id, action: 'contact.erase', targetKind: 'contact', targetId: contactId,
      data: { ...report, reason: options.reason },
    });
    return { report, leftovers: traces.leftovers };
  });
  const mediaFiles = await removeFiles(store, files, workspaceId, done.leftovers);
  return { ...done.report, mediaFiles };
}

/**
 * Keeps a contact for the metrics without who they are: personal fields, identities, notes and
 * AI-filled fields removed, their conversations' text and attachments blanked, the change log
 * and audit data about them redacted. Audited as `contact.anonymize`.
 */
export async function anonymizeContact(store: Store, files: PrivacyFiles, actor: PrivacyActor, workspaceId: string, contactId: string): Promise<void> {
  const leftovers = await store.transaction(async (scope) => {
    const contact = await requireContact(scope, workspaceId, contactId);
    const digits = contact.phone?.replace(/\D/g, '') ?? null;
    const traces = await forgetTraces(scope, workspaceId, contactId, [
      contact.email, contact.phone, digits, ...contact.identities.map((identity) => identity.handle),
    ]);
    await scope.privacy.anonymizeContact(workspaceId, contactId, nowIso());
    for (const conversationId of traces.conversationIds) await scope.privacy.blankConversation(workspaceId, conversationId);
    const anonymous = await requireContact(scope, workspaceId, contactId);
    scope.events.append(workspaceId, { type: 'contact.upserted', conversationId: null, contactId, visibility: 'agents', data: { contact: anonymous } });
    await scope.audit.record({
      workspaceId, actorKind: actor.kind, actorId: actor.id, action: 'contact.anonymize', targetKind: 'contact', targetId: contactId,
      data: { conversations: traces.conversationIds.length, messages: traces.messageIds.length, reason: 'retention' },
    });
    return traces.leftovers;
  });
  await removeFiles(store, files, workspaceId, leftovers);
}

/**
 * A quiet conversation of a contact who is still around loses what was said (text, attachments,
 * AI analysis, its change-log entries); the row stays for the metrics. Audited as `conversation.blank`.
 */
export async function blankConversation(store: Store, files: PrivacyFiles, actor: PrivacyActor, workspaceId: string, conversationId: string): Promise<void> {
  const media = await store.transaction(async (scope) => {
    const messageIds = await scope.privacy.messageIdsOfConversation(workspaceId, conversationId);
    await scope.privacy.deleteJobsMentioning(workspaceId, [conversationId, ...messageIds]);
    await scope.privacy.redactEvents(workspaceId, null, [conversationId]);
    await scope.privacy.redactAudit(workspaceId, [conversationId]);
    await scope.privacy.blankConversation(workspaceId, conversationId);
    const conversation = await scope.conversations.get(workspaceId, conversationId);
    const contact = conversation && (await scope.contacts.get(workspaceId, conversation.contactId));
    if (conversation && contact) {
      scope.events.append(workspaceId, {
        type: 'conversation.upserted', conversationId, contactId: contact.id, visibility: 'agents', data: { conversation, contact },
      });
    }
    await scope.audit.record({
      workspaceId, actorKind: actor.kind, actorId: actor.id, action: 'conversation.blank', targetKind: 'conversation', targetId: conversationId,
      data: { messages: messageIds.length, reason: 'retention' },
    });
    return messageIds;
  });
  await removeFiles(store, files, workspaceId, { media, exports: [] });
}
