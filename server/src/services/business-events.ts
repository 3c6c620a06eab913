/**
 * Business events posted by the host's systems (purchases, payments, invoices, claims), and what
 * they add up to for a contact: lifetime value and pending balance per currency.
 */
import type {
  Agent, BusinessEvent, ContactCommerce, MoneyByCurrency, businessEventCreateRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import { toCents } from '../store/deals.js';
import type { Store, StoreScope } from '../store/index.js';
import { requireContact } from './changes.js';

type BusinessEventCreateRequest = z.output<typeof businessEventCreateRequestSchema>;

/**
 * Records a business event of a contact. Posting the same kind and `reference` again returns
 * the stored event unchanged, so the host may retry. A payment with `invoiceReference` pays into
 * that invoice (same contact and currency); an invoice is paid once payments cover it.
 */
export async function createBusinessEvent(
  store: Store,
  agent: Agent,
  request: BusinessEventCreateRequest,
): Promise<{ event: BusinessEvent; created: boolean }> {
  return store.transaction(async (scope) => {
    const workspaceId = agent.workspaceId;
    if (request.reference !== undefined) {
      const existing = await scope.deals.businessEventByReference(workspaceId, request.kind, request.reference);
      if (existing) {
        if (existing.contactId !== request.contactId) {
          throw new CharlaFailure('conflict', `reference: This ${request.kind} reference is already used by another contact`);
        }
        return { event: existing, created: false };
      }
    }
    const contact = await requireContact(scope, workspaceId, request.contactId).catch(() => {
      throw new CharlaFailure('invalid_payload', 'contactId: No contact of this workspace has this id');
    });
    const createdAt = nowIso();
    const event: BusinessEvent = {
      id: newId('be'),
      workspaceId,
      kind: request.kind,
      contactId: contact.id,
      companyId: contact.companyId,
      amount: request.amount,
      currency: request.currency,
      reference: request.reference ?? null,
      description: request.description ?? null,
      dueDate: request.dueDate ?? null,
      amountPaid: request.kind === 'invoice' && request.paid ? request.amount : 0,
      paid: request.kind === 'invoice' && (request.paid ?? false),
      invoiceReference: request.invoiceReference ?? null,
      occurredAt: request.occurredAt ? new Date(request.occurredAt).toISOString() : createdAt,
      createdAt,
    };
    const invoice = request.invoiceReference === undefined ? null : await payInto(scope, event, request.invoiceReference);
    await scope.deals.insertBusinessEvent(event);
    scope.events.append(workspaceId, {
      type: 'business_event.created',
      conversationId: null,
      contactId: contact.id,
      visibility: 'agents',
      data: { event, invoice },
    });
    await scope.audit.record({
      workspaceId, actorKind: 'agent', actorId: agent.id, action: `business_event.${event.kind}`, targetKind: 'contact', targetId: contact.id,
      data: { id: event.id, amount: event.amount, currency: event.currency },
    });
    return { event, created: true };
  });
}

async function payInto(scope: StoreScope, payment: BusinessEvent, reference: string): Promise<BusinessEvent> {
  const invoice = await scope.deals.businessEventByReference(payment.workspaceId, 'invoice', reference);
  if (!invoice || invoice.contactId !== payment.contactId) {
    throw new CharlaFailure('invalid_payload', `invoiceReference: The contact has no invoice "${reference}"`);
  }
  if (invoice.currency !== payment.currency) {
    throw new CharlaFailure('invalid_payload', `currency: The invoice is in ${invoice.currency}, the payment in ${payment.currency}`);
  }
  const paidCents = toCents(invoice.amountPaid) + toCents(payment.amount);
  const paid: BusinessEvent = { ...invoice, amountPaid: paidCents / 100, paid: paidCents >= toCents(invoice.amount) };
  await scope.deals.saveInvoicePayment(paid);
  return paid;
}

/** What unpaid invoices still owe, per currency. */
function pendingOf(invoices: readonly BusinessEvent[]): MoneyByCurrency {
  const cents = new Map<string, number>();
  for (const invoice of invoices) {
    cents.set(invoice.currency, (cents.get(invoice.currency) ?? 0) + toCents(invoice.amount) - toCents(invoice.amountPaid));
  }
  return Object.fromEntries([...cents].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => [currency, total / 100]));
}

/** Lifetime value, pending balance, open invoices, open deals and open tasks of a contact. */
export async function contactCommerce(store: Store, agent: Agent, contactId: string): Promise<ContactCommerce> {
  const workspaceId = agent.workspaceId;
  await requireContact(store, workspaceId, contactId);
  const [ltv, openInvoices, openDeals, openTasks] = await Promise.all([
    store.deals.lifetimeValue(workspaceId, contactId),
    store.deals.openInvoices(workspaceId, contactId),
    store.deals.deals(workspaceId, { contactId, status: 'open' }, 200),
    store.deals.tasks(workspaceId, { contactId, done: false }, 200),
  ]);
  return { contactId, ltv, pendingBalance: pendingOf(openInvoices), openInvoices, openDeals, openTasks };
}
