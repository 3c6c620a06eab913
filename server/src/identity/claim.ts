/**
 * The one way a contact gains a strong key. Whatever gives a contact a phone or an email — a
 * channel handle, a detail written in a message, the AI's reading, an import row, an agent's
 * edit, the webchat's forms — ends in `settleKeys`, which merges the contact with any other
 * holding one of its keys (the older survives) in the caller's transaction: no two contacts of a
 * workspace ever share a key.
 */
import { DEFAULT_WORKSPACE_SETTINGS, type Contact } from '@charla/protocol';
import type { CountryCode } from 'libphonenumber-js';
import { nowIso } from '../ids.js';
import { contactChanged, requireContact } from '../services/changes.js';
import type { ContactFields, Store, StoreScope } from '../store/index.js';
import { capturedContactDetails, emailKey, mayHoldContactDetails, normalizeEmail, phoneCountry, phoneKey, readingCountryOf, type MatchKey } from './keys.js';
import { addIdentity, assignCompany, contactsMatching, keysOf, mergeContacts, olderOf, refreshKeys, type MergeActor } from './resolve.js';

/** Charla itself, merging on a strong key. */
export const CHARLA: MergeActor = { kind: 'system', id: null, name: 'Charla' };

/** Who wrote the key and how it came, for the reason a merge records ("written in a message"). */
export interface KeyCause {
  actor: MergeActor;
  /** In English, for the merge's recorded reason. */
  how: string;
  /** The same, as a code (and the import row) that views say in the agent's language. */
  via: 'message' | 'ai' | 'webchat' | 'visitor' | 'startup' | 'import' | 'edit';
  row?: number;
}

export interface SettledContact {
  contact: Contact;
  /** Contacts that turned out to be the same person, merged on the way. */
  mergedIds: string[];
}

/** The country the contact's national numbers are read in: their own number's, else the workspace's. */
export async function readingCountry(scope: StoreScope, contact: Pick<Contact, 'workspaceId' | 'phone' | 'identities'>): Promise<CountryCode> {
  const workspace = await scope.workspaces.byId(contact.workspaceId);
  const fallback = phoneCountry(workspace?.defaultCountry) ?? (DEFAULT_WORKSPACE_SETTINGS.defaultCountry as CountryCode);
  return readingCountryOf(contact, fallback);
}

function reasonOf(shared: readonly MatchKey[], how: string): string {
  const keys = shared.map((key) => key.replace(':', ' ')).join(' and ');
  return `same ${keys || 'key'}, ${how}`;
}

/** The reason's parts for a system line views translate: the shared keys (`|`-separated) and how. */
function reasonValues(shared: readonly MatchKey[], cause: KeyCause): Record<string, string | number> {
  return {
    sharedKeys: shared.join('|'),
    via: cause.via,
    ...(cause.row !== undefined ? { row: cause.row } : {}),
    ...(cause.via === 'edit' && cause.actor.name ? { editor: cause.actor.name } : {}),
  };
}

/**
 * After anything wrote a key on the contact: merges it with every other contact holding one of
 * its keys (or of `written`, keys it was given that may live on as another contact's identity),
 * the older surviving each time, then refreshes the key index and logs the contact as it ends.
 */
export async function settleKeys(
  scope: StoreScope,
  workspaceId: string,
  contactId: string,
  cause: KeyCause,
  written: readonly MatchKey[] = [],
): Promise<SettledContact> {
  const mergedIds: string[] = [];
  let currentId = contactId;
  // Each merge removes a contact, so this ends; it goes round again because the merged contact's
  // keys may be held by yet another contact (when duplicates predate this rule).
  for (;;) {
    const current = await refreshKeys(scope, workspaceId, currentId);
    const keys = [...new Set([...keysOf(current), ...written])];
    const [holderId] = await contactsMatching(scope, workspaceId, keys, currentId);
    if (!holderId) break;
    const holder = await requireContact(scope, workspaceId, holderId);
    const shared = keysOf(holder).filter((key) => keys.includes(key));
    const [survivorId, mergedId] = olderOf(holderId, currentId);
    await mergeContacts(scope, workspaceId, survivorId, mergedId, cause.actor, reasonOf(shared, cause.how), reasonValues(shared, cause));
    mergedIds.push(mergedId);
    currentId = survivorId;
  }
  const contact = await assignCompany(scope, await refreshKeys(scope, workspaceId, currentId));
  contactChanged(scope, contact);
  return { contact, mergedIds };
}

export interface KeyWrite {
  email?: string | null | undefined;
  /** In E.164 (see `readPhone`). */
  phone?: string | null | undefined;
}

/**
 * Gives the contact an email and/or phone they did not have (a detail in a message, an import
 * row): it fills the field when empty, else stays beside it as an identity; then its keys settle.
 * Null when the contact already held them all: nothing changed, nothing is logged.
 */
export async function writeContactKeys(scope: StoreScope, contact: Contact, write: KeyWrite, cause: KeyCause): Promise<SettledContact | null> {
  const held = new Set(keysOf(contact));
  const fields: ContactFields = {};
  const extraIdentities: Array<{ channel: 'email' | 'phone'; handle: string }> = [];
  const written: MatchKey[] = [];
  const email = write.email ? normalizeEmail(write.email) : null;
  for (const [field, value, key] of [
    ['email', email, email && emailKey(email)],
    ['phone', write.phone ?? null, write.phone && phoneKey(write.phone)],
  ] as const) {
    if (!value || !key || held.has(key)) continue;
    written.push(key);
    if (!contact[field]) fields[field] = value;
    else extraIdentities.push({ channel: field, handle: value });
  }
  if (written.length === 0) return null;
  if (Object.keys(fields).length > 0) await scope.contacts.update(contact.workspaceId, contact.id, fields, nowIso());
  for (const identity of extraIdentities) {
    await addIdentity(scope, await requireContact(scope, contact.workspaceId, contact.id), identity.channel, identity.handle, false);
  }
  return settleKeys(scope, contact.workspaceId, contact.id, cause, written);
}

/**
 * A customer wrote their email or phone in a message (a national number is read in their
 * country): the detail joins their contact, and when another contact already holds it, the two
 * become one.
 */
export async function captureContactDetails(scope: StoreScope, contact: Contact, text: string): Promise<Contact> {
  if (!mayHoldContactDetails(text)) return contact;
  const { emails, phones } = capturedContactDetails(text, await readingCountry(scope, contact));
  const cause: KeyCause = { actor: CHARLA, how: 'written in a message', via: 'message' };
  let current = contact;
  for (const write of [...emails.map((email) => ({ email })), ...phones.map((phone) => ({ phone }))]) {
    current = (await writeContactKeys(scope, current, write, cause))?.contact ?? current;
  }
  return current;
}

/**
 * Contacts that came to share a key before every write went through `settleKeys` (the data of an
 * older Charla) become one, the older surviving: run when Charla starts, so the rule holds for
 * what was there too. Returns how many contacts were merged away.
 */
export async function mergeContactsSharingKeys(store: Store): Promise<number> {
  let merged = 0;
  for (const { workspaceId, contactId } of await store.identity.contactsSharingKeys()) {
    merged += await store.transaction(async (scope) => {
      // An earlier group's merge may have taken this contact already.
      if (!(await scope.contacts.get(workspaceId, contactId))) return 0;
      const { mergedIds } = await settleKeys(scope, workspaceId, contactId, { actor: CHARLA, how: 'found sharing it when Charla started', via: 'startup' });
      return mergedIds.length;
    });
  }
  return merged;
}
