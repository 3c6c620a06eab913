/**
 * Quotes from the thread: the agent's edited quote goes out as a message (its lines kept as
 * structured content, marked as a quote for the pipeline's rules) and its total becomes the
 * amount of the conversation's open deal, or of a new deal when there is none, in one transaction.
 */
import { DEAL_LIMITS, LIMITS, type Agent, type Deal, type QuoteLanguage, type QuoteSent, type quoteSendRequestSchema } from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { agentActor, insertDeal, setDealAmountIn } from '../services/deals.js';
import { sendAgentMessageIn } from '../services/messages.js';
import type { Store, StoreScope } from '../store/index.js';

type QuoteRequest = z.output<typeof quoteSendRequestSchema>;

const WORDS: Record<QuoteLanguage, { title: string; each: string; total: string; locale: string }> = {
  es: { title: 'Cotización', each: 'c/u', total: 'Total', locale: 'es-MX' },
  pt: { title: 'Orçamento', each: 'cada', total: 'Total', locale: 'pt-BR' },
  en: { title: 'Quote', each: 'each', total: 'Total', locale: 'en-US' },
};

const cents = (value: number) => Math.round(value * 100) / 100;

/** The sum of the lines (quantity × unit price), to the cent. */
export const quoteTotal = (items: QuoteRequest['items']) => cents(items.reduce((sum, item) => sum + cents(item.quantity * item.unitPrice), 0));

/** The quote as the customer reads it, in `language`: one line per item, the total with its currency, the agent's note. */
export function quoteText(request: Pick<QuoteRequest, 'items' | 'currency' | 'language' | 'note'>): string {
  const words = WORDS[request.language];
  const money = new Intl.NumberFormat(words.locale, { style: 'currency', currency: request.currency, currencyDisplay: 'narrowSymbol' });
  const count = new Intl.NumberFormat(words.locale, { maximumFractionDigits: 3 });
  const lines = request.items.map((item) =>
    `• ${count.format(item.quantity)} × ${item.description.trim()} — ${money.format(item.unitPrice)} ${words.each} = ${money.format(cents(item.quantity * item.unitPrice))}`);
  const note = request.note?.trim();
  return [`${words.title}:`, ...lines, `${words.total}: ${money.format(quoteTotal(request.items))} ${request.currency}`, ...(note ? ['', note] : [])].join('\n');
}

/** Sends the quote and attaches it to the conversation's deal (its amount becomes the total). A resend with the same client id changes nothing. */
export function sendQuote(store: Store, agent: Agent, request: QuoteRequest): Promise<QuoteSent> {
  const body = quoteText(request);
  if (body.length > LIMITS.messageBody) throw new CharlaFailure('invalid_payload', `items: The quote is longer than a message (${LIMITS.messageBody} characters); split it`);
  const total = quoteTotal(request.items);
  if (total > DEAL_LIMITS.amount) throw new CharlaFailure('invalid_payload', `items: The total can be at most ${DEAL_LIMITS.amount}`);
  return store.transaction(async (scope) => {
    const { message, created } = await sendAgentMessageIn(
      scope, agent, { conversationId: request.conversationId, clientId: request.clientId, body, private: false },
      { quote: true, quoteLines: { currency: request.currency, items: request.items, total } },
    );
    const open = await openDealOf(scope, agent.workspaceId, request.conversationId);
    if (!created) return { message, deal: open, total };
    const deal = open ? await setDealAmountIn(scope, open, total, request.currency) : await newDeal(scope, agent, request, total);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'quote.send', targetKind: 'conversation', targetId: request.conversationId,
      data: { messageId: message.id, dealId: deal?.id ?? null, total, currency: request.currency, lines: request.items.length },
    });
    return { message, deal, total };
  });
}

export async function openDealOf(scope: StoreScope, workspaceId: string, conversationId: string): Promise<Deal | null> {
  return (await scope.deals.deals(workspaceId, { conversationId, status: 'open' }, 1))[0] ?? null;
}

/** A deal for a quote sent where none was open: the workspace's first pipeline, named after the contact (none without a pipeline). */
async function newDeal(scope: StoreScope, agent: Agent, request: QuoteRequest, total: number): Promise<Deal | null> {
  const [pipeline] = await scope.deals.pipelines(agent.workspaceId);
  if (!pipeline) return null;
  const conversation = await scope.conversations.get(agent.workspaceId, request.conversationId);
  const contact = conversation ? await scope.contacts.get(agent.workspaceId, conversation.contactId) : undefined;
  const title = [contact?.name, request.items[0]?.description].filter(Boolean).join(' — ').slice(0, 200) || pipeline.name;
  return insertDeal(scope, agentActor(agent), {
    pipelineId: pipeline.id, title, amount: total, currency: request.currency, conversationId: request.conversationId, ownerId: agent.id,
  });
}
