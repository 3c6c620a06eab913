import { applyExternalIds, holderOf, type ExternalIdsPatch } from './external-ids.js';
import type {
  Agent, Contact, ContactProfile, Note,
  contactPatchSchema, noteCreateRequestSchema, visitorProfileSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { CHARLA, readingCountry, settleKeys } from '../identity/claim.js';
import { readPhone } from '../identity/keys.js';
import { newId, nowIso } from '../ids.js';
import type { ContactFields, Store } from '../store/index.js';
import type { Visitor } from './actors.js';
import { contactChanged, requireContact } from './changes.js';
import { optOutByAgent } from './consent.js';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';

type ContactPatch = z.output<typeof contactPatchSchema>;
type NoteRequest = z.output<typeof noteCreateRequestSchema>;
type VisitorProfile = z.output<typeof visitorProfileSchema>;

export interface ContactListRequest {
  query?: string | undefined;
  cursor?: string | undefined;
  limit: number;
  /** The contact holding this id in another system (the rest is then ignored). */
  externalId?: { system: string; id: string } | undefined;
}

export function getContact(store: Store, agent: Agent, contactId: string): Promise<Contact> {
  return requireContact(store, agent.workspaceId, contactId);
}

/** Newest contacts first; `query` matches name, email, phone or any channel handle. */
export async function listContacts(
  store: Store,
  agent: Agent,
  request: ContactListRequest,
): Promise<{ contacts: Contact[]; nextCursor: string | null }> {
  if (request.externalId) {
    const holder = await holderOf(store, agent.workspaceId, 'contact', request.externalId);
    const contact = holder ? await store.contacts.get(agent.workspaceId, holder) : undefined;
    return { contacts: contact ? [contact] : [], nextCursor: null };
  }
  const afterId = request.cursor ? decodeCursor(request.cursor, 1)[0] : undefined;
  const rows = await store.contacts.list(agent.workspaceId, {
    ...(request.query ? { query: request.query } : {}),
    ...(afterId ? { afterId } : {}),
    limit: request.limit + 1,
  });
  const { items, hasMore } = pageOf(rows, request.limit);
  // A search across contacts reads personal data in bulk: recorded (how much it found, not what was asked).
  if (request.query) {
    await store.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contacts.search', targetKind: 'workspace', targetId: agent.workspaceId,
      data: { results: items.length },
    });
  }
  const last = items.at(-1);
  return { contacts: items, nextCursor: hasMore && last ? encodeCursor([last.id]) : null };
}

/**
 * Writes `fields` on the contact. An email or phone goes through the one path of keys: when
 * another contact holds it, the two become one (the older survives, and is what this returns).
 * A phone is read in the contact's country (their own number's, else the workspace's) and
 * stored in E.164; one that is no valid number is refused and nothing changes.
 */
async function changeContact(
  store: Store,
  workspaceId: string,
  contactId: string,
  fields: ContactFields,
  actor: { kind: 'agent' | 'visitor'; id: string; name: string },
  externalIds?: ExternalIdsPatch,
): Promise<Contact> {
  return store.transaction(async (scope) => {
    const before = await requireContact(scope, workspaceId, contactId);
    if (externalIds) await applyExternalIds(scope, workspaceId, 'contact', contactId, before.externalIds, externalIds);
    // A name a person typed outranks a channel's profile name when contacts merge.
    if (fields.name) fields = { ...fields, nameSource: actor.kind === 'agent' ? 'agent' : 'visitor' };
    if (fields.phone) {
      const country = await readingCountry(scope, before);
      const phone = readPhone(fields.phone, country);
      if (!phone) {
        throw new CharlaFailure('invalid_payload', `phone: Not a valid phone number of ${country}; write another country's with its code, e.g. +52 55 1234 5678`);
      }
      fields = { ...fields, phone };
    }
    await scope.contacts.update(workspaceId, contactId, fields, nowIso());
    const cause = actor.kind === 'agent'
      ? { actor: { kind: 'agent' as const, id: actor.id, name: actor.name }, how: `edited by ${actor.name}`, via: 'edit' as const }
      : { actor: CHARLA, how: 'given by the visitor in the webchat', via: 'visitor' as const };
    const { contact } = await settleKeys(scope, workspaceId, contactId, cause);
    await scope.audit.record({
      workspaceId,
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'contact.update',
      targetKind: 'contact',
      targetId: contactId,
      // Rectification on record: who changed what, from what to what (redacted if the person is erased).
      data: {
        fields: [...Object.keys(fields), ...(externalIds ? ['externalIds'] : [])],
        changes: changesOf(before, contact, [...Object.keys(fields), ...(externalIds ? ['externalIds'] : [])]),
      },
    });
    return contact;
  });
}

/** Each of `fields` that differs between `before` and `after`, with both values. */
function changesOf(before: Contact, after: Contact, fields: string[]): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of fields) {
    if (field === 'nameSource') continue;
    const from = (before as unknown as Record<string, unknown>)[field] ?? null;
    const to = (after as unknown as Record<string, unknown>)[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

/**
 * An agent edits a contact. A phone without its country code (`55 1234 5678`) is read in the
 * contact's country; it is stored in E.164 so it matches the same person's WhatsApp id.
 */
export async function updateContact(store: Store, agent: Agent, contactId: string, patch: ContactPatch): Promise<Contact> {
  const { marketingOptOut, externalIds, ...fields } = patch;
  const actor = { kind: 'agent' as const, id: agent.id, name: agent.name };
  if (marketingOptOut !== undefined) {
    const current = await requireContact(store, agent.workspaceId, contactId);
    // Opting out again keeps the first record (its date and source); opting in clears it.
    const record = marketingOptOut ? (current.marketingOptOut ?? optOutByAgent(agent)) : null;
    return changeContact(store, agent.workspaceId, contactId, { ...fields, marketingOptOut: record }, actor, externalIds);
  }
  return changeContact(store, agent.workspaceId, contactId, fields, actor, externalIds);
}

/** The visitor tells us who they are (the widget's "leave your name and email"). */
export async function updateVisitorProfile(store: Store, visitor: Visitor, profile: VisitorProfile): Promise<{ ok: true }> {
  if (profile.name !== undefined || profile.email !== undefined) {
    await changeContact(store, visitor.workspaceId, visitor.contactId, profile, { kind: 'visitor', id: visitor.id, name: visitor.id });
  }
  return { ok: true };
}

/** A contact with what the profile panel shows beside it: its company and the latest notes. */
export async function contactProfile(store: Store, agent: Agent, contactId: string): Promise<ContactProfile> {
  const contact = await getContact(store, agent, contactId);
  const [company, notes] = await Promise.all([
    contact.companyId ? store.contacts.company(agent.workspaceId, contact.companyId) : undefined,
    store.contacts.notes(agent.workspaceId, contactId, 100),
  ]);
  return { contact, company: company ?? null, notes };
}

export async function createNote(store: Store, agent: Agent, request: NoteRequest): Promise<Note> {
  return store.transaction(async (scope) => {
    await requireContact(scope, agent.workspaceId, request.contactId);
    const note: Note = {
      id: newId('nt'),
      workspaceId: agent.workspaceId,
      contactId: request.contactId,
      authorId: agent.id,
      body: request.body,
      createdAt: nowIso(),
    };
    await scope.contacts.insertNote(note);
    scope.events.append(agent.workspaceId, {
      type: 'note.created',
      conversationId: null,
      contactId: note.contactId,
      visibility: 'agents',
      data: { note },
    });
    return note;
  });
}
