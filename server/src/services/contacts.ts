import type {
  Agent, Contact, ContactProfile, Note,
  contactPatchSchema, noteCreateRequestSchema, visitorProfileSchema,
} from '@charla/protocol';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import type { ContactFields, Store } from '../store/index.js';
import type { Visitor } from './actors.js';
import { contactChanged, requireContact } from './changes.js';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';

type ContactPatch = z.output<typeof contactPatchSchema>;
type NoteRequest = z.output<typeof noteCreateRequestSchema>;
type VisitorProfile = z.output<typeof visitorProfileSchema>;

export interface ContactListRequest {
  query?: string | undefined;
  cursor?: string | undefined;
  limit: number;
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
  const afterId = request.cursor ? decodeCursor(request.cursor, 1)[0] : undefined;
  const rows = await store.contacts.list(agent.workspaceId, {
    ...(request.query ? { query: request.query } : {}),
    ...(afterId ? { afterId } : {}),
    limit: request.limit + 1,
  });
  const { items, hasMore } = pageOf(rows, request.limit);
  const last = items.at(-1);
  return { contacts: items, nextCursor: hasMore && last ? encodeCursor([last.id]) : null };
}

async function changeContact(
  store: Store,
  workspaceId: string,
  contactId: string,
  fields: ContactFields,
  actor: { kind: 'agent' | 'visitor'; id: string },
): Promise<Contact> {
  return store.transaction(async (scope) => {
    await requireContact(scope, workspaceId, contactId);
    await scope.contacts.update(workspaceId, contactId, fields, nowIso());
    const contact = await requireContact(scope, workspaceId, contactId);
    contactChanged(scope, contact);
    await scope.audit.record({
      workspaceId,
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'contact.update',
      targetKind: 'contact',
      targetId: contactId,
      data: { fields: Object.keys(fields) },
    });
    return contact;
  });
}

/**
 * An agent edits a contact. A phone must be a valid international number (`+52 55 1234 5678`);
 * it is stored in E.164 so it matches the same person's WhatsApp id.
 */
export function updateContact(store: Store, agent: Agent, contactId: string, patch: ContactPatch): Promise<Contact> {
  const fields = { ...patch };
  if (fields.phone) {
    const parsed = parsePhoneNumberFromString(fields.phone);
    if (!parsed?.isValid()) {
      throw new CharlaFailure('invalid_payload', 'phone: Not a valid phone number; include the country code, e.g. +52 55 1234 5678');
    }
    fields.phone = parsed.number;
  }
  return changeContact(store, agent.workspaceId, contactId, fields, { kind: 'agent', id: agent.id });
}

/** The visitor tells us who they are (the widget's "leave your name and email"). */
export async function updateVisitorProfile(store: Store, visitor: Visitor, profile: VisitorProfile): Promise<{ ok: true }> {
  if (profile.name !== undefined || profile.email !== undefined) {
    await changeContact(store, visitor.workspaceId, visitor.contactId, profile, { kind: 'visitor', id: visitor.id });
  }
  return { ok: true };
}

/**
 * Deletes the contact with everything that is theirs: identities, visitor sessions,
 * conversations, messages, notes, and their entries in the change log. What remains is one
 * `contact.deleted` entry so that every view drops them too.
 */
export async function deleteContact(store: Store, agent: Agent, contactId: string): Promise<void> {
  await store.transaction(async (scope) => {
    await requireContact(scope, agent.workspaceId, contactId);
    const conversationIds = await scope.conversations.idsOfContact(agent.workspaceId, contactId);
    await scope.events.deleteOfContact(agent.workspaceId, contactId);
    await scope.contacts.delete(agent.workspaceId, contactId);
    scope.events.append(agent.workspaceId, {
      type: 'contact.deleted',
      conversationId: null,
      contactId,
      visibility: 'agents',
      data: { contactId, conversationIds },
    });
    await scope.audit.record({
      workspaceId: agent.workspaceId,
      actorKind: 'agent',
      actorId: agent.id,
      action: 'contact.delete',
      targetKind: 'contact',
      targetId: contactId,
      data: { conversationIds },
    });
  });
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
