import type {
  AcquisitionChannel, AcquisitionRow, Agent, HygieneRow, LtvByCurrency, LtvGroup, MetricContact, Money, PresenceMap,
  SalesMetric, SalesMetricResult, StaleDeal, WorkloadRow, salesMetricRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { visibleConversationIds } from '../services/visibility.js';
import type { StoreScope } from '../store/index.js';
import type { CohortRow } from '../store/pipeline-metrics.js';
import { partition, ratio } from './pipeline.js';
import { spendEntryOf } from './spend.js';

type SalesMetricRequest = z.output<typeof salesMetricRequestSchema>;

/** Who is connected and who set themselves away, per agent of a workspace (live, never stored). */
export type PresenceLookup = (workspaceId: string) => Promise<PresenceMap>;

const DAY_MS = 86_400_000;
/** The follow-up limit of a stage that sets no `stalledAfterDays`. */
export const DEFAULT_STALLED_AFTER_DAYS = 7;

/** Cents per currency in currency units, currencies in order. */
function units(cents: ReadonlyMap<string, number>): Money {
  return Object.fromEntries([...cents.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => [currency, total / 100]));
}

/** The middle value (the mean of the two middle ones for an even count), rounded to the cent. */
function medianCents(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** A contact of a cohort with every currency they bought in. */
interface CohortContact {
  id: string;
  name: string | null;
  conversationId: string;
  channel: string;
  month: string;
  createdAt: string;
  adId: string | null;
  adHeadline: string | null;
  hasDeal: boolean;
  hasWon: boolean;
  /** Cents bought, per currency. */
  bought: Map<string, number>;
}

/** The store's cohort rows (one per contact and currency) as one record per contact, in the rows' order. */
function cohortContacts(rows: readonly CohortRow[]): CohortContact[] {
  const contacts = new Map<string, CohortContact>();
  for (const row of rows) {
    let contact = contacts.get(row.contact_id);
    if (!contact) {
      contact = {
        id: row.contact_id, name: row.contact_name, conversationId: row.conversation_id, channel: row.channel, month: row.created_at.slice(0, 7),
        createdAt: row.created_at, adId: row.ad_id, adHeadline: row.ad_headline, hasDeal: Number(row.has_deal) === 1, hasWon: Number(row.has_won) === 1,
        bought: new Map(),
      };
      contacts.set(row.contact_id, contact);
    }
    if (row.currency !== null && Number(row.cents) > 0) contact.bought.set(row.currency, Number(row.cents));
  }
  return [...contacts.values()];
}

/** LTV per currency of these contacts: customers, total, median and mean (currencies never added together). */
function ltvOf(contacts: readonly CohortContact[]): LtvByCurrency {
  const perCurrency = new Map<string, number[]>();
  for (const contact of contacts) {
    for (const [currency, cents] of contact.bought) {
      const values = perCurrency.get(currency);
      if (values) values.push(cents);
      else perCurrency.set(currency, [cents]);
    }
  }
  return Object.fromEntries([...perCurrency.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, values]) => {
    const sorted = values.sort((a, b) => a - b);
    const total = sorted.reduce((sum, value) => sum + value, 0);
    return [currency, { customers: sorted.length, total: total / 100, median: medianCents(sorted) / 100, mean: Math.round(total / sorted.length) / 100 }];
  }));
}

/** Customers first: the most bought in any one currency, then by id. */
const byValue = (a: CohortContact, b: CohortContact) =>
  Math.max(0, ...b.bought.values()) - Math.max(0, ...a.bought.values()) || a.id.localeCompare(b.id);

function ltvGroup(key: string, label: string | null, contacts: readonly CohortContact[], limit: number, listed: Set<CohortContact>): LtvGroup {
  const customers = contacts.filter((contact) => contact.bought.size > 0).sort(byValue);
  const shown = customers.slice(0, limit);
  for (const contact of shown) listed.add(contact);
  return { key, label, contacts: contacts.length, customers: customers.length, ltv: ltvOf(contacts), contactIds: shown.map((contact) => contact.id) };
}

/** Groups of contacts by key, in key order. */
function groupsBy(contacts: readonly CohortContact[], keyOf: (contact: CohortContact) => string | null): Array<[string, CohortContact[]]> {
  const keyed = contacts.filter((contact) => keyOf(contact) !== null);
  return [...partition(keyed, (contact) => keyOf(contact)!).entries()].sort(([a], [b]) => a.localeCompare(b));
}

const contactRecord = (contact: CohortContact): MetricContact => ({
  id: contact.id, name: contact.name, channel: contact.channel, firstConversationId: contact.conversationId, firstContactAt: contact.createdAt,
  ltv: units(contact.bought),
});

/** Each spend currency's amount divided among `count`, to the cent (none when there is nobody). */
function costPer(spend: ReadonlyMap<string, number>, count: number): Money {
  return count === 0 ? {} : units(new Map([...spend.entries()].map(([currency, cents]) => [currency, Math.round(cents / count)])));
}

function acquisitionRow(channel: string, month: string | null, spend: ReadonlyMap<string, number>, leads: readonly CohortContact[]): AcquisitionRow {
  const qualified = leads.filter((lead) => lead.hasDeal).length;
  const won = leads.filter((lead) => lead.hasWon).length;
  return {
    channel, month, spend: units(spend), leads: leads.length, qualified, won,
    costPerLead: costPer(spend, leads.length), costPerQualified: costPer(spend, qualified), costPerWon: costPer(spend, won),
  };
}

/** The months `[from, to)` touches, `YYYY-MM`. */
function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  const last = new Date(Date.parse(to) - 1).toISOString().slice(0, 7);
  for (let cursor = from.slice(0, 7); cursor <= last; ) {
    months.push(cursor);
    const [year, month] = cursor.split('-').map(Number) as [number, number];
    cursor = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  }
  return months;
}

/**
 * The sales metrics (definitions in the README): lifetime value per channel of first contact,
 * pipeline hygiene, acquisition cost and workload. Every query is bound to the agent's workspace.
 */
export async function salesMetric(store: StoreScope, agent: Agent, name: SalesMetric, request: SalesMetricRequest, presence: PresenceLookup): Promise<SalesMetricResult> {
  const to = request.to ? new Date(request.to).toISOString() : new Date().toISOString();
  const from = request.from ? new Date(request.from).toISOString() : new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
  const workspaceId = agent.workspaceId;
  const q = store.deals.salesMetrics;
  const limit = request.idLimit;

  switch (name) {
    case 'ltv-by-channel': {
      const contacts = cohortContacts(await q.cohort(workspaceId, from, to));
      const listed = new Set<CohortContact>();
      const overall = ltvGroup('all', null, contacts, limit, listed);
      const channels = groupsBy(contacts, (contact) => contact.channel).map(([key, members]) => ltvGroup(key, null, members, limit, listed));
      const ads = groupsBy(contacts, (contact) => contact.adId).map(([key, members]) => ltvGroup(key, members[0]!.adHeadline, members, limit, listed));
      return { name, from, to, idLimit: limit, overall, channels, ads, contacts: [...listed].sort(byValue).map(contactRecord) };
    }

    case 'acquisition-cost': {
      const months = monthsOf(from, to);
      const [contacts, spendRows] = await Promise.all([
        q.cohort(workspaceId, from, to).then(cohortContacts),
        store.deals.spend.list(workspaceId, months[0]!, months.at(-1)!),
      ]);
      const spendOf = (channel: string, month: string | null) => {
        const cents = new Map<string, number>();
        for (const row of spendRows) {
          if (row.channel !== channel || (month !== null && row.month !== month)) continue;
          cents.set(row.currency, (cents.get(row.currency) ?? 0) + Number(row.amount_cents));
        }
        return cents;
      };
      const byChannel = partition(contacts, (contact) => contact.channel);
      const channelNames = [...new Set([...byChannel.keys(), ...spendRows.map((row) => row.channel)])].sort();
      const channels: AcquisitionChannel[] = channelNames.map((channel) => {
        const leads = byChannel.get(channel) ?? [];
        const row = acquisitionRow(channel, null, spendOf(channel, null), leads);
        const ltv = ltvOf(leads);
        const ltvToCac = Object.fromEntries(Object.entries(row.costPerWon)
          .filter(([currency, cost]) => ltv[currency] !== undefined && cost > 0)
          .map(([currency, cost]) => [currency, Math.round((ltv[currency]!.mean / cost) * 100) / 100]));
        return { ...row, ltv, ltvToCac };
      });
      const rows = channelNames.flatMap((channel) => {
        const leadsByMonth = partition(byChannel.get(channel) ?? [], (contact) => contact.month);
        return months.map((month) => acquisitionRow(channel, month, spendOf(channel, month), leadsByMonth.get(month) ?? []));
      });
      return { name, from, to, months, channels, rows, spend: spendRows.map(spendEntryOf) };
    }

    case 'pipeline-hygiene': {
      const pipelines = await store.deals.pipelines(workspaceId);
      const pipeline = request.pipelineId === undefined ? pipelines[0] : pipelines.find((candidate) => candidate.id === request.pipelineId);
      if (request.pipelineId !== undefined && !pipeline) throw new CharlaFailure('not_found', 'Pipeline not found');
      const stages = pipeline?.stages ?? [];
      // A message counts from its stage's limit before `to`.
      const since = (days: number) => new Date(Date.parse(to) - days * DAY_MS).toISOString();
      const limits = new Map(stages.filter((stage) => stage.stalledAfterDays !== null).map((stage) => [stage.id, since(stage.stalledAfterDays!)]));
      const [rows, agents] = await Promise.all([
        pipeline ? q.hygiene(workspaceId, pipeline.id, to, limits, since(DEFAULT_STALLED_AFTER_DAYS), limit) : Promise.resolve([]),
        store.workspaces.agents(workspaceId),
      ]);
      const names = new Map(agents.map((member) => [member.id, member.name]));
      const listed = rows.filter((row) => row.id !== null);
      const staleOf = partition(listed, (row) => row.owner_id ?? 'unassigned');
      const row = (key: string, name: string | null, open: number, upToDate: number, stale: typeof listed): HygieneRow => ({
        key, name, open, upToDate, stale: open - upToDate, share: ratio(upToDate, open), staleIds: stale.map((deal) => deal.id!),
      });
      const owners = rows.filter((sum) => sum.id === null).map((sum) => {
        const key = sum.owner_id ?? 'unassigned';
        return row(key, names.get(key) ?? null, Number(sum.open), Number(sum.up_to_date), staleOf.get(key) ?? []);
      }).sort((a, b) => (a.share ?? 1) - (b.share ?? 1) || b.stale - a.stale || a.key.localeCompare(b.key));
      // Each owner's longest silences hold the workspace's longest ones.
      const bySilence = (a: (typeof listed)[number], b: (typeof listed)[number]) => (a.last_follow_up ?? '').localeCompare(b.last_follow_up ?? '') || a.id!.localeCompare(b.id!);
      const overall = row('all', null, owners.reduce((sum, owner) => sum + owner.open, 0), owners.reduce((sum, owner) => sum + owner.upToDate, 0),
        [...listed].sort(bySilence).slice(0, limit));
      const briefs = new Map((await store.deals.metrics.briefs(workspaceId, listed.map((deal) => deal.id!))).map((deal) => [deal.id, deal]));
      const linked = [...briefs.values()].map((deal) => deal.conversation_id).filter((id): id is string => id !== null);
      const visible = await visibleConversationIds(store, agent, linked);
      const stageOf = new Map(stages.map((stage) => [stage.id, stage]));
      const staleDeals: StaleDeal[] = listed.sort(bySilence).flatMap((stale) => {
        const deal = briefs.get(stale.id!);
        if (!deal) return [];
        const stage = stageOf.get(deal.stage_id);
        return [{
          id: deal.id, title: deal.title, amount: Number(deal.amount_cents) / 100, currency: deal.currency, status: deal.status, stageId: deal.stage_id,
          ownerId: deal.owner_id, contactId: deal.contact_id,
          conversationId: deal.conversation_id !== null && visible.has(deal.conversation_id) ? deal.conversation_id : null,
          lastFollowUpAt: stale.last_follow_up, stageName: stage?.name ?? '', stalledAfterDays: stage?.stalledAfterDays ?? DEFAULT_STALLED_AFTER_DAYS,
        }];
      });
      return {
        name, to, pipelineId: pipeline?.id ?? null, pipelineName: pipeline?.name ?? null, idLimit: limit,
        defaultStalledAfterDays: DEFAULT_STALLED_AFTER_DAYS, overall, owners, deals: staleDeals,
      };
    }

    case 'workload': {
      const at = new Date().toISOString();
      const [sums, waiting, agents, present] = await Promise.all([
        q.workloadSums(workspaceId), q.workloadWaiting(workspaceId, limit), store.workspaces.agents(workspaceId), presence(workspaceId),
      ]);
      const visible = await visibleConversationIds(store, agent, waiting.map((row) => row.id));
      const shown = waiting.filter((row) => visible.has(row.id));
      const sumOf = new Map(sums.map((sum) => [sum.assignee_id ?? 'unassigned', sum]));
      const waitingOf = partition(shown, (row) => row.assignee_id ?? 'unassigned');
      const row = (agentId: string, name: string | null, status: WorkloadRow['presence']): WorkloadRow => {
        const sum = sumOf.get(agentId);
        const since = sum?.oldest_waiting_since ?? null;
        return {
          agentId, name, presence: status, open: Number(sum?.open ?? 0), waiting: Number(sum?.waiting ?? 0), longestWaitSince: since,
          longestWaitSeconds: since === null ? null : Math.max(0, Math.round((Date.parse(at) - Date.parse(since)) / 1000)),
          waitingIds: (waitingOf.get(agentId) ?? []).map((conversation) => conversation.id),
        };
      };
      const rows = agents.map((member) => row(member.id, member.name, present[member.id] ?? 'offline'));
      if (sumOf.has('unassigned')) rows.push(row('unassigned', null, null));
      rows.sort((a, b) => b.waiting - a.waiting || (a.longestWaitSince ?? '~').localeCompare(b.longestWaitSince ?? '~') || b.open - a.open
        || (a.name ?? '').localeCompare(b.name ?? ''));
      const conversations = shown.map((conversation) => ({
        id: conversation.id, contactId: conversation.contact_id, contactName: conversation.contact_name, channel: conversation.channel,
        assigneeId: conversation.assignee_id, waitingSince: conversation.waiting_since,
      }));
      return { name, at, idLimit: limit, agents: rows, conversations };
    }
  }
}
