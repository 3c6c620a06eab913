/**
 * Retention: a workspace may keep what goes quiet for a number of months. The periodic sweep then
 * erases (`delete`) or anonymizes (`anonymize`) contacts with no activity since, and blanks the
 * quiet conversations of contacts still around; each sweep that did something is audited
 * (`retention.sweep`, with counts) besides the entry of each contact or conversation.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import { anonymizeContact, blankConversation, eraseContact, type PrivacyActor, type PrivacyFiles } from './erase.js';
import type { Leadership } from '../jobs/periodic.js';

const SYSTEM: PrivacyActor = { kind: 'system', id: null };
/** Records handled per workspace and kind in one sweep (the next sweep continues). */
const BATCH = 200;
const SWEEP_EVERY_MS = 60 * 60_000;

export interface RetentionResult {
  contactsErased: number;
  contactsAnonymized: number;
  conversationsBlanked: number;
}

/** `months` calendar months before `now`, as an ISO timestamp. */
export function monthsBefore(now: number, months: number): string {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString();
}

/** One pass over every workspace with a retention policy. `now` is for tests. */
export async function sweepRetention(store: Store, files: PrivacyFiles, now = Date.now()): Promise<RetentionResult> {
  const total: RetentionResult = { contactsErased: 0, contactsAnonymized: 0, conversationsBlanked: 0 };
  for (const { workspaceId, months, action } of await store.privacy.retainingWorkspaces()) {
    const cutoff = monthsBefore(now, months);
    const done: RetentionResult = { contactsErased: 0, contactsAnonymized: 0, conversationsBlanked: 0 };
    for (const contactId of await store.privacy.quietContacts(workspaceId, cutoff, BATCH)) {
      if (action === 'delete') {
        await eraseContact(store, files, SYSTEM, workspaceId, contactId, { block: false, reason: 'retention' });
        done.contactsErased += 1;
      } else {
        await anonymizeContact(store, files, SYSTEM, workspaceId, contactId);
        done.contactsAnonymized += 1;
      }
    }
    for (const { id } of await store.privacy.quietConversations(workspaceId, cutoff, true, BATCH)) {
      await blankConversation(store, files, SYSTEM, workspaceId, id);
      done.conversationsBlanked += 1;
    }
    if (done.contactsErased + done.contactsAnonymized + done.conversationsBlanked > 0) {
      await store.audit.record({
        workspaceId, actorKind: 'system', actorId: null, action: 'retention.sweep', targetKind: 'workspace', targetId: workspaceId,
        data: { ...done, months, action, cutoff },
      });
    }
    total.contactsErased += done.contactsErased;
    total.contactsAnonymized += done.contactsAnonymized;
    total.conversationsBlanked += done.conversationsBlanked;
  }
  return total;
}

/** How long a finished data export waits to be downloaded. */
export const EXPORT_KEEP_MS = 24 * 60 * 60_000;

/** Removes data export files finished before `before` (ms); their jobs then say to export again. */
export async function pruneExports(files: PrivacyFiles, before: number): Promise<number> {
  let removed = 0;
  const entries = await readdir(files.exportsDir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < before) {
      await rm(path, { force: true });
      removed += 1;
    }
  }
  return removed;
}

/** How long a file an agent uploaded for a reply waits to be sent with one. */
export const UPLOAD_KEEP_MS = 24 * 60 * 60_000;

/**
 * Removes the uploads (`upl_…` and its `.json`, under each workspace's media folder) written
 * before `before` (ms) and never sent: a sent reply's files live on as its own. Returns how many
 * uploads went.
 */
export async function pruneUploads(mediaDir: string, before: number): Promise<number> {
  let removed = 0;
  const entries = await readdir(mediaDir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !/^upl_[0-9a-f]{24}$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < before) {
      await Promise.all([rm(path, { force: true }), rm(`${path}.json`, { force: true })]);
      removed += 1;
    }
  }
  return removed;
}

/** Runs the sweep now and every hour; returns the function that stops it (after the pass in progress). */
export function startRetention(store: Store, files: PrivacyFiles, logger: Logger, leadership: Leadership): () => Promise<void> {
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = () => {
    chain = chain.then(async () => {
      if (stopped) return;
      // The database's retention once per cluster; this process's export files and unsent uploads here.
      if (await leadership.leads()) await sweepRetention(store, files);
      await pruneExports(files, Date.now() - EXPORT_KEEP_MS);
      await pruneUploads(files.mediaDir, Date.now() - UPLOAD_KEEP_MS);
    }).catch((error: unknown) => logger.error('The retention sweep failed', error));
  };
  run();
  const timer = setInterval(run, SWEEP_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    stopped = true;
    await chain;
  };
}
