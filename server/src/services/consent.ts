/**
 * Marketing consent: a contact opts out when an agent says so or when they write STOP, BAJA,
 * PARAR (or another keyword below) on a channel, and every bulk send (broadcasts, campaigns)
 * takes its audience through `marketingAudience`, which leaves them out.
 */
import type { Channel, Contact, MarketingOptOut } from '@charla/protocol';
import { nowIso } from '../ids.js';
import type { StoreScope } from '../store/index.js';
import { contactChanged } from './changes.js';

/** Whole-message keywords (any case, accents and closing punctuation ignored) that opt a customer out. */
export const OPT_OUT_KEYWORDS = ['stop', 'baja', 'parar', 'cancelar suscripcion', 'darme de baja', 'sair', 'descadastrar', 'unsubscribe'] as const;

/** The opt-out keyword `text` is, when the whole message is one (`BAJA`, `Stop.`, `parar!`); null otherwise. */
export function optOutKeyword(text: string | null | undefined): string | null {
  if (!text) return null;
  const plain = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+$/u, '')
    .replace(/^[\s\p{P}\p{S}]+/u, '')
    .replace(/\s+/g, ' ');
  return (OPT_OUT_KEYWORDS as readonly string[]).includes(plain) ? plain.toUpperCase() : null;
}

/** The record of an agent's opt-out. */
export function optOutByAgent(agent: { id: string; name: string }): MarketingOptOut {
  return { at: nowIso(), source: 'agent', byId: agent.id, byName: agent.name, keyword: null, channel: null };
}

/**
 * The customer wrote an opt-out keyword: recorded on their contact (once: an earlier opt-out
 * keeps its date and source), audited, and told to every agent view. Returns the contact as it is now.
 */
export async function optOutByKeyword(scope: StoreScope, contact: Contact, keyword: string, channel: Channel): Promise<Contact> {
  if (contact.marketingOptOut) return contact;
  const optOut: MarketingOptOut = { at: nowIso(), source: 'keyword', byId: null, byName: null, keyword, channel };
  await scope.contacts.update(contact.workspaceId, contact.id, { marketingOptOut: optOut }, optOut.at);
  await scope.audit.record({
    workspaceId: contact.workspaceId, actorKind: 'visitor', actorId: contact.id, action: 'contact.marketing_opt_out',
    targetKind: 'contact', targetId: contact.id, data: { keyword, channel },
  });
  const updated: Contact = { ...contact, marketingOptOut: optOut, updatedAt: optOut.at };
  contactChanged(scope, updated);
  return updated;
}

/**
 * Who of `contactIds` a bulk send may reach: the workspace's contacts that did not opt out, in
 * the order given; the ones it must skip because they opted out; ids that are no contact of the
 * workspace.
 */
export async function marketingAudience(
  scope: StoreScope,
  workspaceId: string,
  contactIds: readonly string[],
): Promise<{ recipients: string[]; optedOut: string[]; unknown: string[] }> {
  const consent = await scope.contacts.marketingConsent(workspaceId, contactIds);
  const ids = [...new Set(contactIds)];
  return {
    recipients: ids.filter((id) => consent.get(id) === false),
    optedOut: ids.filter((id) => consent.get(id) === true),
    unknown: ids.filter((id) => !consent.has(id)),
  };
}
