/**
 * Pipeline automation: the conversation is the event, the CRM records it. Rules run after the
 * change that triggers them is committed (so they see it, and never hold up the sender), one
 * batch at a time, each in its own transaction; every action carries the rule's name (stage
 * history, tasks, the timeline) and an agent can undo a rule's move.
 */
import type {
  Agent, AutomationSettings, ChangeEvent, Deal, Message, Task, automationSettingsSchema, automationUpdateRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import type { Logger } from '../logger.js';
import { nowIso } from '../ids.js';
import type { Store, StoreScope } from '../store/index.js';
import { agentActor, insertDeal, moveDealIn, requireDeal, type Actor } from './deals.js';
import { insertTask } from './tasks.js';
import type { Leadership } from '../jobs/periodic.js';

type AutomationUpdate = z.output<typeof automationUpdateRequestSchema>;
type Settings = z.output<typeof automationSettingsSchema>;

/**
 * The rules' names, as stored on the timeline and in stage history. The elements say them in the
 * agent's language by matching these exact texts (packages/elements/src/timeline/timeline.strings.ts
 * rule.*): a renamed rule needs its strings there too.
 */
export const RULES = {
  qualify: 'Qualified conversation → new deal',
  quote: 'Quote sent → proposal',
  reply: 'Customer replied after a proposal → negotiation',
  followUp: 'Follow up after a proposal',
  reactivate: 'Reactivate a silent conversation',
} as const;

/** A message marked as a quote carries this tag, whatever the configured triggers. */
export const QUOTE_TAG = '#quote';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SWEEP_EVERY = 10 * 60_000;

const ruleActor = (workspaceId: string, rule: string): Actor => ({ workspaceId, agentId: null, rule });

/** The titles of the tasks rules create, in the workspace's language. */
const TASK_TITLES = {
  en: { followUp: 'Follow up in {hours} h', reactivate: 'Reactivate conversation' },
  es: { followUp: 'Dar seguimiento en {hours} h', reactivate: 'Reactivar la conversación' },
  pt: { followUp: 'Fazer o acompanhamento em {hours} h', reactivate: 'Reativar a conversa' },
} as const;

/** Countries whose teams work in Spanish or Portuguese; everyone else gets English. */
const SPANISH = new Set('AR BO CL CO CR CU DO EC ES GQ GT HN MX NI PA PE PR PY SV UY VE'.split(' '));
const PORTUGUESE = new Set('AO BR CV GW MZ PT ST TL'.split(' '));

/** A rule task's title in the language of the workspace's country. */
async function ruleTaskTitle(scope: StoreScope, workspaceId: string, task: 'followUp' | 'reactivate', hours = 0): Promise<string> {
  const country = (await scope.workspaces.byId(workspaceId))?.defaultCountry ?? 'US';
  const lang = SPANISH.has(country) ? 'es' : PORTUGUESE.has(country) ? 'pt' : 'en';
  return TASK_TITLES[lang][task].replace('{hours}', String(hours));
}

/** Who a rule's task is for: the deal's owner, else whoever has its conversation, so it lands on an agenda. */
async function ruleTaskOwner(scope: StoreScope, deal: Deal): Promise<string | null> {
  if (deal.ownerId) return deal.ownerId;
  if (!deal.conversationId) return null;
  return (await scope.conversations.get(deal.workspaceId, deal.conversationId))?.assigneeId ?? null;
}

export function getAutomation(store: Store, agent: Agent, pipelineId: string): Promise<AutomationSettings> {
  return settingsOf(store, agent.workspaceId, pipelineId);
}

async function settingsOf(scope: StoreScope, workspaceId: string, pipelineId: string): Promise<AutomationSettings> {
  if (!(await scope.deals.pipeline(workspaceId, pipelineId))) throw new CharlaFailure('not_found', 'Pipeline not found');
  const found = (await scope.deals.automations(workspaceId)).find((entry) => entry.pipelineId === pipelineId);
  return found?.settings ?? {
    qualifyLabel: null, quoteTriggers: [], proposalStageId: null, negotiationStageId: null, followUpHours: null, reactivateAfterDays: null,
    currency: 'USD',
  };
}

/** Sets a pipeline's rules (admins); the stages named must be the pipeline's own open stages. */
export async function updateAutomation(store: Store, agent: Agent, request: AutomationUpdate): Promise<AutomationSettings> {
  return store.transaction(async (scope) => {
    const { pipelineId, ...settings } = request;
    await saveAutomationIn(scope, agent.workspaceId, pipelineId, settings);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'pipeline.automation', targetKind: 'pipeline', targetId: pipelineId,
      data: settings,
    });
    return settings;
  });
}

export async function saveAutomationIn(scope: StoreScope, workspaceId: string, pipelineId: string, settings: Settings): Promise<void> {
  const pipeline = await scope.deals.pipeline(workspaceId, pipelineId);
  if (!pipeline) throw new CharlaFailure('not_found', 'Pipeline not found');
  for (const field of ['proposalStageId', 'negotiationStageId'] as const) {
    const stageId = settings[field];
    if (stageId && !pipeline.stages.some((stage) => stage.id === stageId && stage.kind === 'open')) {
      throw new CharlaFailure('invalid_payload', `${field}: The pipeline "${pipeline.name}" has no open stage with this id`);
    }
  }
  await scope.deals.saveAutomation(workspaceId, pipelineId, settings, nowIso());
}

/** Why a deal a rule created, then an agent undid, is closed. */
export const UNDONE_REASON = 'Created automatically; undone by an agent';

/**
 * Undoes the last automatic action on a deal, as the agent's own change: a rule's move goes back
 * to the stage before it; a deal a rule created (and nobody moved since) is closed as lost with
 * `UNDONE_REASON` (kept, so its history stays on the timeline). When the last change was an
 * agent's, the deal is returned as it is (undoing twice changes nothing).
 */
export async function undoAutomaticMove(store: Store, agent: Agent, dealId: string): Promise<Deal> {
  return store.transaction(async (scope) => {
    const deal = await requireDeal(scope, agent.workspaceId, dealId);
    const history = await scope.deals.stageHistory(agent.workspaceId, dealId);
    const last = history.at(-1);
    const before = history.at(-2);
    if (!last?.rule) return deal;
    if (before) return moveDealIn(scope, agentActor(agent), deal, before.stageId);
    const pipeline = await scope.deals.pipeline(agent.workspaceId, deal.pipelineId);
    const lost = pipeline?.stages.find((stage) => stage.kind === 'lost');
    return lost ? moveDealIn(scope, agentActor(agent), deal, lost.id, UNDONE_REASON) : deal;
  });
}

function isQuote(message: Message, settings: AutomationSettings): boolean {
  const body = message.body.toLowerCase();
  return message.content?.['quote'] === true || body.includes(QUOTE_TAG) || settings.quoteTriggers.some((trigger) => body.includes(trigger.toLowerCase()));
}

/**
 * Whether a rule could act on the event, judged without a write transaction (most events, such
 * as ordinary messages, need nothing, and must not queue behind the writes of live traffic).
 */
async function mayApply(store: Store, workspaceId: string, pipelineId: string, settings: AutomationSettings, event: ChangeEvent): Promise<boolean> {
  switch (event.type) {
    case 'conversation.upserted':
      return settings.qualifyLabel !== null && event.data.conversation.labels.includes(settings.qualifyLabel);
    case 'message.upserted': {
      const { message } = event.data;
      if (message.private || message.senderKind === 'system') return false;
      const quote = message.direction === 'out' && message.senderKind === 'agent' && settings.proposalStageId !== null && isQuote(message, settings);
      const reply = message.direction === 'in' && settings.negotiationStageId !== null && settings.proposalStageId !== null;
      if (!quote && !reply) return false;
      const deals = await store.deals.deals(workspaceId, { pipelineId, conversationId: message.conversationId, status: 'open' }, 20);
      return quote ? deals.length > 0 : deals.some((deal) => deal.stageId === settings.proposalStageId);
    }
    case 'deal.upserted':
      return event.data.deal.pipelineId === pipelineId && event.data.move?.to === settings.proposalStageId && settings.followUpHours !== null;
    default:
      return false;
  }
}

/** What the rules do about committed events of one workspace. */
async function react(store: Store, workspaceId: string, events: ChangeEvent[]): Promise<void> {
  const automations = await store.deals.automations(workspaceId);
  if (automations.length === 0) return;
  for (const event of events) {
    for (const { pipelineId, settings } of automations) {
      if (!(await mayApply(store, workspaceId, pipelineId, settings, event))) continue;
      await store.transaction(async (scope) => {
        switch (event.type) {
          case 'conversation.upserted': {
            const { conversation } = event.data;
            if (!settings.qualifyLabel || !conversation.labels.includes(settings.qualifyLabel)) return;
            const existing = await scope.deals.deals(workspaceId, { pipelineId, conversationId: conversation.id }, 1);
            if (existing.length > 0) return;
            const pipeline = await scope.deals.pipeline(workspaceId, pipelineId);
            const contact = await scope.contacts.get(workspaceId, conversation.contactId);
            await insertDeal(scope, ruleActor(workspaceId, RULES.qualify), {
              pipelineId, title: contact?.name ?? pipeline?.name ?? 'Deal', amount: 0, currency: settings.currency,
              conversationId: conversation.id, ownerId: conversation.assigneeId,
            });
            return;
          }
          case 'message.upserted': {
            const { message } = event.data;
            if (message.private || message.senderKind === 'system') return;
            const deals = await scope.deals.deals(workspaceId, { pipelineId, conversationId: message.conversationId, status: 'open' }, 20);
            const pipeline = deals.length > 0 ? await scope.deals.pipeline(workspaceId, pipelineId) : undefined;
            const position = (stageId: string | null) => pipeline?.stages.find((stage) => stage.id === stageId)?.position ?? -1;
            for (const deal of deals) {
              if (message.direction === 'out' && message.senderKind === 'agent' && settings.proposalStageId && isQuote(message, settings)
                && position(deal.stageId) < position(settings.proposalStageId)) {
                await moveDealIn(scope, ruleActor(workspaceId, RULES.quote), deal, settings.proposalStageId);
              } else if (message.direction === 'in' && settings.negotiationStageId && deal.stageId === settings.proposalStageId
                && message.createdAt > deal.stageEnteredAt) {
                await moveDealIn(scope, ruleActor(workspaceId, RULES.reply), deal, settings.negotiationStageId);
              }
            }
            return;
          }
          case 'deal.upserted': {
            const { deal, move } = event.data;
            if (deal.pipelineId !== pipelineId || !move || move.to !== settings.proposalStageId || settings.followUpHours === null) return;
            if (await scope.deals.hasOpenRuleTask(workspaceId, deal.id, RULES.followUp)) return;
            await insertTask(scope, ruleActor(workspaceId, RULES.followUp), {
              title: await ruleTaskTitle(scope, workspaceId, 'followUp', settings.followUpHours),
              dueAt: new Date(Date.now() + settings.followUpHours * HOUR).toISOString(),
              dealId: deal.id, ownerId: await ruleTaskOwner(scope, deal),
            });
            return;
          }
          default:
            return;
        }
      });
    }
  }
}

/** Called after the sweep creates a "Reactivate" task (the AI drafts the message it carries). */
export type ReactivateHook = (task: Task, deal: Deal, now: number) => Promise<unknown>;

/**
 * Creates a "Reactivate conversation" task for every open deal whose conversation has been
 * silent longer than its pipeline allows (once per deal while the task is open), then hands
 * each new task to `onReactivate`. `now` is for tests.
 */
export async function sweepSilentDeals(store: Store, now = Date.now(), onReactivate?: ReactivateHook): Promise<number> {
  let created = 0;
  for (const workspaceId of await store.deals.workspacesWithAutomation()) {
    for (const { pipelineId, settings } of await store.deals.automations(workspaceId)) {
      if (settings.reactivateAfterDays === null) continue;
      const cutoff = new Date(now - settings.reactivateAfterDays * DAY).toISOString();
      for (const deal of await store.deals.silentDeals(workspaceId, pipelineId, cutoff)) {
        const task = await store.transaction(async (scope) => {
          if (await scope.deals.hasOpenRuleTask(workspaceId, deal.id, RULES.reactivate)) return null;
          return insertTask(scope, ruleActor(workspaceId, RULES.reactivate), {
            title: await ruleTaskTitle(scope, workspaceId, 'reactivate'),
            dueAt: new Date(now).toISOString(), dealId: deal.id, ownerId: await ruleTaskOwner(scope, deal),
          });
        });
        if (!task) continue;
        created += 1;
        await onReactivate?.(task, deal, now);
      }
    }
  }
  return created;
}

export interface Automation {
  /** Resolves when the rules have handled everything committed so far. */
  idle(): Promise<void>;
  /** Stops listening and sweeping, after the work in progress. */
  stop(): Promise<void>;
}

/** Runs the rules on every committed change, and the silence sweep every few minutes. */
export function startAutomation(store: Store, logger: Logger, leadership: Leadership, onReactivate?: ReactivateHook): Automation {
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = (work: () => Promise<unknown>) => {
    chain = chain.then(async () => {
      if (stopped) return;
      try {
        await work();
      } catch (error) {
        if (error instanceof CharlaFailure && error.code === 'offline') return;
        logger.error('An automation rule failed', error);
      }
    });
  };
  const unlisten = store.onCommit((entries) => {
    const byWorkspace = new Map<string, ChangeEvent[]>();
    for (const { workspaceId, event } of entries) {
      if (event.type !== 'conversation.upserted' && event.type !== 'message.upserted' && event.type !== 'deal.upserted') continue;
      byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), event]);
    }
    for (const [workspaceId, events] of byWorkspace) run(() => react(store, workspaceId, events));
  });
  const timer = setInterval(() => run(async () => (await leadership.leads()) && (await sweepSilentDeals(store, Date.now(), onReactivate))), SWEEP_EVERY);
  timer.unref();
  return {
    idle: () => chain,
    async stop() {
      unlisten();
      clearInterval(timer);
      await chain;
      stopped = true;
    },
  };
}
