/**
 * Closing the ad loop: when a Click-to-WhatsApp conversation gets its first deal (a qualified
 * lead, by a rule, the AI or an agent) a `LeadSubmitted` event goes to Meta's Conversions API, once
 * per conversation; when such a deal is won, a `Purchase` event, once per deal. Both go by a
 * durable job.
 *
 * It listens to committed `deal.upserted` changes, so the deals module needs no call into
 * channels; `queueDealConversion` can also be called directly inside a transaction.
 */
import type { ChangeEvent, Conversation } from '@charla/protocol';
import { enqueueJob, PermanentFailure, RetryLater, type JobQueue } from '../jobs/queue.js';
import { nowIso } from '../ids.js';
import type { Logger } from '../logger.js';
import type { Job, Store, StoreScope } from '../store/index.js';
import { GraphError, type GraphClient } from './graph.js';
import { whatsappSettings } from './settings.js';

export const CONVERSION_JOB = 'conversions.event';

/** What of a deal a conversion needs. */
export interface WonDeal {
  id: string;
  workspaceId: string;
  status: string;
  conversationId: string | null;
  amount: number;
  currency: string;
  closedAt: string | null;
}

interface ConversionPayload {
  workspaceId: string;
  eventId: string;
  eventName: 'Purchase' | 'LeadSubmitted';
  eventTime: number;
  ctwaClid: string;
  value: number;
  currency: string;
}

/**
 * Queues the conversions a deal whose conversation came from an ad (it carries a `ctwa_clid`)
 * has to report: `LeadSubmitted` for the conversation's first deal, `Purchase` once it is won.
 * Returns how many were queued (none when there is nothing new to report).
 */
export async function queueDealConversion(scope: StoreScope, deal: WonDeal): Promise<number> {
  const { conversation, ctwaClid } = await adOrigin(scope, deal);
  if (!conversation || !ctwaClid) return 0;
  const reports: Array<Pick<ConversionPayload, 'eventId' | 'eventName' | 'eventTime'>> = [
    { eventId: `lead-${conversation.id}`, eventName: 'LeadSubmitted', eventTime: Math.floor(Date.now() / 1000) },
  ];
  if (deal.status === 'won') {
    reports.push({ eventId: `deal-${deal.id}`, eventName: 'Purchase', eventTime: Math.floor(Date.parse(deal.closedAt ?? nowIso()) / 1000) });
  }
  let queued = 0;
  for (const report of reports) {
    // Recorded once: a later change of the deal reports nothing again.
    if (!(await scope.channels.recordConversion(deal.workspaceId, report.eventId, nowIso()))) continue;
    const payload: ConversionPayload = { workspaceId: deal.workspaceId, ...report, ctwaClid, value: deal.amount, currency: deal.currency };
    await enqueueJob(scope, { kind: CONVERSION_JOB, workspaceId: deal.workspaceId, payload });
    queued += 1;
  }
  return queued;
}

export function registerConversions(queue: JobQueue, store: Store, graph: GraphClient, logger: Logger): void {
  queue.register(CONVERSION_JOB, {
    maxAttempts: 10,
    async handle(job: Job) {
      const payload = job.payload as ConversionPayload;
      const settings = await whatsappSettings(store, payload.workspaceId);
      if (!settings?.datasetId || !settings.accessToken) {
        throw new PermanentFailure('No Conversions API dataset is configured (WhatsApp settings: datasetId)');
      }
      const body = {
        data: [{
          event_name: payload.eventName,
          event_time: payload.eventTime,
          event_id: payload.eventId,
          action_source: 'business_messaging',
          messaging_channel: 'whatsapp',
          user_data: { whatsapp_business_account_id: settings.wabaId ?? null, ctwa_clid: payload.ctwaClid },
          custom_data: { currency: payload.currency, value: payload.value },
        }],
      };
      try {
        await graph.post(`${settings.datasetId}/events`, settings.accessToken, body);
      } catch (error) {
        if (error instanceof GraphError) throw error.transient ? new RetryLater(error.describe()) : new PermanentFailure(error.describe());
        throw error;
      }
    },
  });

  store.onCommit((events) => {
    for (const { event } of events) {
      const deal = reportableDealOf(event);
      if (!deal) continue;
      // Most deals never came from an ad: a read tells, before any write transaction.
      adOrigin(store, deal)
        .then(({ ctwaClid }) => (ctwaClid ? store.transaction((scope) => queueDealConversion(scope, deal)) : 0))
        .catch((error: unknown) => logger.error(`Queueing the conversion of deal ${deal.id} failed`, error));
    }
  });
}

/** The deal's WhatsApp conversation and the ad click it started from, when it did. */
async function adOrigin(scope: Pick<StoreScope, 'conversations'>, deal: WonDeal): Promise<{ conversation: Conversation | null; ctwaClid: string | null }> {
  if (!deal.conversationId || deal.status === 'lost') return { conversation: null, ctwaClid: null };
  const conversation = (await scope.conversations.get(deal.workspaceId, deal.conversationId)) ?? null;
  const clid = conversation?.referral?.ctwa_clid;
  return { conversation, ctwaClid: conversation?.channel === 'whatsapp' && typeof clid === 'string' && clid ? clid : null };
}

/** A deal of a conversation that may have a conversion to report (open or won). */
function reportableDealOf(event: ChangeEvent): WonDeal | null {
  if (event.type !== 'deal.upserted') return null;
  const deal = (event.data as { deal?: WonDeal }).deal;
  return deal && deal.status !== 'lost' && deal.conversationId ? deal : null;
}
