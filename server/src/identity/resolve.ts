/**
 * One contact per person: which contact a channel handle belongs to, the keys that tie handles
 * together, merges that lose nothing, and companies from business email domains. Everything
 * here runs inside the caller's store transaction.
 */
import type { Channel, Contact, Conversation, Identity } from '@charla/protocol';
import { newId, nowIso } from '../ids.js';
import type { ContactFields, StoreScope } from '../store/index.js';
import { contactChanged, conversationChanged, recordSystemLine, requireContact } from '../services/changes.js';
import { newContact } from '../services/entities.js';
import {
  businessDomain, canonicalPhone, companyNameOf, emailKey, fieldValuesOf, normalizeEmail, phoneKey, type MatchKey,
} from './keys.js';

/**
 * Contacts holding any of `keys`, oldest first: by the key index, and by their own email and
 * phone fields (set elsewhere without keys).
 */
export async function contactsMatching(scope: StoreScope, workspaceId: string, keys: readonly MatchKey[], exceptId?: string): Promise<string[]> {
  if (keys.length === 0) return [];
  const values = keys.map(fieldValuesOf);
  const [indexed, byFields] = [
    await scope.identity.contactsWithKeys(workspaceId, keys),
    await scope.identity.contactsWithFields(workspaceId, values.flatMap((v) => v.emails), values.flatMap((v) => v.phones)),
  ];
  return [...new Set([...indexed.map((m) => m.contactId), ...byFields])].filter((id) => id !== exceptId).sort();
}

/** Who asked for a merge (an agent, or Charla itself on a strong key). */
export interface MergeActor {
  kind: 'agent' | 'system';
  id: string | null;
  name: string;
}

/** The strong keys of a contact: its email and phone, and those of its identities. */
export function keysOf(contact: Pick<Contact, 'email' | 'phone' | 'identities'>): MatchKey[] {
  const keys = new Set<MatchKey>();
  const add = (key: MatchKey | null) => key && keys.add(key);
  if (contact.email) add(emailKey(contact.email));
  if (contact.phone) add(phoneKey(contact.phone));
  for (const identity of contact.identities) {
    if (identity.channel === 'whatsapp' || identity.channel === 'phone') add(phoneKey(identity.handle));
    if (identity.channel === 'email') add(emailKey(identity.handle));
  }
  return [...keys];
}

export async function refreshKeys(scope: StoreScope, workspaceId: string, contactId: string): Promise<Contact> {
  const contact = await requireContact(scope, workspaceId, contactId);
  await scope.identity.setKeys(workspaceId, contactId, keysOf(contact));
  return contact;
}

/** Files the contact under the company of its business email domain (created when new). */
export async function assignCompany(scope: StoreScope, contact: Contact): Promise<Contact> {
  if (contact.companyId || !contact.email) return contact;
  const domain = businessDomain(contact.email);
  if (!domain) return contact;
  let company = await scope.companies.byDomain(contact.workspaceId, domain);
  if (!company) {
    company = { id: newId('co'), workspaceId: contact.workspaceId, name: companyNameOf(domain), domain };
    await scope.contacts.insertCompany(company, nowIso());
  }
  await scope.contacts.update(contact.workspaceId, contact.id, { companyId: company.id }, nowIso());
  return { ...contact, companyId: company.id };
}

export async function addIdentity(scope: StoreScope, contact: Contact, channel: Channel, handle: string, verified: boolean): Promise<void> {
  if (contact.identities.some((identity) => identity.channel === channel && identity.handle === handle)) return;
  if (await scope.identity.contactOfHandle(contact.workspaceId, channel, handle)) return;
  const identity: Identity = { id: newId('idn'), contactId: contact.id, channel, handle, verified };
  await scope.contacts.insertIdentity(contact.workspaceId, identity);
}

export interface InboundIdentity {
  workspaceId: string;
  channel: Channel;
  /** The handle exactly as the channel gives it (wa_id, IGSID…). */
  handle: string;
  /** Profile name the channel shows. */
  name: string | null;
  /** The phone the handle stands for (WhatsApp: the wa_id), when there is one. */
  phone?: string | null;
}

export interface ResolvedContact {
  contact: Contact;
  created: boolean;
  /** Other contacts with the same name only: a weak signal, shown to agents, never merged on. */
  sameNameAs: Contact[];
}

/**
 * The contact a handle belongs to: the one that already has it; else the one holding one of its
 * strong keys (the handle joins it); else a new contact with the handle, its profile name and
 * phone.
 */
export async function resolveContact(scope: StoreScope, input: InboundIdentity): Promise<ResolvedContact> {
  const { workspaceId } = input;
  const known = await scope.contacts.byHandle(workspaceId, input.channel, input.handle);
  if (known) return { contact: known, created: false, sameNameAs: [] };
  const phone = input.phone ? canonicalPhone(input.phone) : null;

  const keys = keysOf({ email: null, phone, identities: [{ id: '', contactId: '', channel: input.channel, handle: input.handle, verified: true }] });
  const [matchId] = await contactsMatching(scope, workspaceId, keys);
  if (matchId) {
    const existing = await requireContact(scope, workspaceId, matchId);
    await addIdentity(scope, existing, input.channel, input.handle, true);
    const fill: ContactFields = {};
    if (!existing.name && input.name) Object.assign(fill, { name: input.name, nameSource: 'profile' });
    if (!existing.phone && phone) fill.phone = phone;
    if (Object.keys(fill).length > 0) await scope.contacts.update(workspaceId, existing.id, fill, nowIso());
    const contact = await refreshKeys(scope, workspaceId, existing.id);
    contactChanged(scope, contact);
    return { contact, created: false, sameNameAs: [] };
  }

  const contact = newContact({
    workspaceId,
    name: input.name,
    nameSource: input.name ? 'profile' : null,
    phone,
    identities: [{ channel: input.channel, handle: input.handle, verified: true }],
  });
  await scope.contacts.insert(contact);
  await scope.identity.setKeys(workspaceId, contact.id, keysOf(contact));
  const sameNameIds = input.name ? await scope.identity.contactsNamed(workspaceId, input.name, contact.id) : [];
  const sameNameAs = await scope.contacts.many(workspaceId, sameNameIds);
  return { contact, created: true, sameNameAs };
}

/** Tells agents in the thread that a new contact has the same name as others (to merge by hand). */
export async function flagSameName(scope: StoreScope, conversation: Conversation, contact: Contact, others: Contact[]): Promise<void> {
  for (const other of others) {
    await recordSystemLine(
      scope,
      conversation,
      { key: 'possible_duplicate', values: { contact: contact.name ?? 'This contact', other: other.name ?? other.id } },
      { id: null, name: 'Charla' },
      { kind: 'possible_duplicate', contactId: contact.id, otherContactId: other.id, signal: 'name' },
    );
  }
}

// Merging (and undoing it) lives in merge.ts; every caller keeps importing it from here.
export { mergeContacts } from './merge.js';

/** Of two contacts, the one that survives a merge: the older one. */
export function olderOf(a: string, b: string): [survivor: string, merged: string] {
  return a < b ? [a, b] : [b, a];
}
