/**
 * Pipelines and deals: creating, moving and closing deals, with each stay in a stage recorded
 * (deal velocity, lead-to-close) and every change logged for live views and the timeline.
 */
import type {
  Agent, Deal, DealDetail, DealPage, Pipeline, Stage,
  dealCreateRequestSchema, dealListRequestSchema, dealUpdateRequestSchema, pipelineCreateRequestSchema,
  pipelineUpdateRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure, notFound } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import { applyExternalIds, holderOf } from './external-ids.js';
import type { Store, StoreScope } from '../store/index.js';

type PipelineCreateRequest = z.output<typeof pipelineCreateRequestSchema>;
type PipelineUpdateRequest = z.output<typeof pipelineUpdateRequestSchema>;
type DealCreateRequest = z.output<typeof dealCreateRequestSchema>;
type DealUpdateRequest = z.output<typeof dealUpdateRequestSchema>;
type DealListRequest = z.output<typeof dealListRequestSchema>;

/** Who made a change: an agent, or an automation rule acting for the workspace. */
export interface Actor {
  workspaceId: string;
  /** The agent, or null when a rule acted. */
  agentId: string | null;
  /** The automation rule, when one acted. */
  rule: string | null;
}

export const agentActor = (agent: Agent): Actor => ({ workspaceId: agent.workspaceId, agentId: agent.id, rule: null });

function invalid(field: string, message: string): CharlaFailure {
  return new CharlaFailure('invalid_payload', `${field}: ${message}`);
}

// ---------------------------------------------------------------- pipelines

export function listPipelines(store: Store, agent: Agent): Promise<Pipeline[]> {
  return store.deals.pipelines(agent.workspaceId);
}

/** A pipeline with its open stages in order, then the terminal "Won" and "Lost". */
export async function createPipeline(store: Store, agent: Agent, request: PipelineCreateRequest): Promise<Pipeline> {
  return store.transaction((scope) => insertPipeline(scope, agent.workspaceId, request));
}

export async function insertPipeline(scope: StoreScope, workspaceId: string, request: PipelineCreateRequest, createdAt = nowIso()): Promise<Pipeline> {
  const id = newId('pl');
  const open = request.stages;
  const stages: Stage[] = open.map((stage, index) => ({
    id: newId('st'),
    pipelineId: id,
    name: stage.name,
    position: index,
    kind: 'open',
    // Without a given probability, stages climb evenly towards the close.
    probability: stage.probability ?? Math.round(((index + 1) / (open.length + 1)) * 100),
    stalledAfterDays: stage.stalledAfterDays ?? null,
  }));
  stages.push(
    { id: newId('st'), pipelineId: id, name: request.wonStageName ?? 'Won', position: open.length, kind: 'won', probability: 100, stalledAfterDays: null },
    { id: newId('st'), pipelineId: id, name: request.lostStageName ?? 'Lost', position: open.length + 1, kind: 'lost', probability: 0, stalledAfterDays: null },
  );
  const pipeline: Pipeline = {
    id,
    workspaceId,
    name: request.name,
    position: await scope.deals.nextPipelinePosition(workspaceId),
    stages,
    createdAt,
  };
  await scope.deals.insertPipeline(pipeline);
  scope.events.append(workspaceId, {
    type: 'pipeline.upserted',
    conversationId: null,
    contactId: null,
    visibility: 'agents',
    data: { pipeline },
  });
  return pipeline;
}

/** Renames a pipeline and/or replaces its open stages (see `pipelineUpdateRequestSchema`). */
export async function updatePipeline(store: Store, agent: Agent, request: PipelineUpdateRequest): Promise<Pipeline> {
  return store.transaction(async (scope) => {
    const workspaceId = agent.workspaceId;
    const current = await scope.deals.pipeline(workspaceId, request.pipelineId);
    if (!current) throw notFound('Pipeline');
    if (request.name !== undefined) await scope.deals.renamePipeline(workspaceId, current.id, request.name);
    if (request.stages !== undefined) {
      const open = current.stages.filter((stage) => stage.kind === 'open');
      const kept = new Set<string>();
      const next: Stage[] = request.stages.map((input, index) => {
        const existing = input.id === undefined ? undefined : open.find((stage) => stage.id === input.id);
        if (input.id !== undefined && !existing) throw invalid(`stages.${index}.id`, `The pipeline "${current.name}" has no open stage with this id`);
        if (existing) {
          if (kept.has(existing.id)) throw invalid(`stages.${index}.id`, 'A stage can appear only once');
          kept.add(existing.id);
        }
        return {
          id: existing?.id ?? newId('st'),
          pipelineId: current.id,
          name: input.name,
          position: index,
          kind: 'open',
          probability: input.probability ?? existing?.probability ?? Math.round(((index + 1) / (request.stages!.length + 1)) * 100),
          stalledAfterDays: input.stalledAfterDays === undefined ? (existing?.stalledAfterDays ?? null) : input.stalledAfterDays,
        };
      });
      for (const removed of open.filter((stage) => !kept.has(stage.id))) {
        const count = await scope.deals.dealsInStage(workspaceId, removed.id);
        if (count > 0) throw new CharlaFailure('conflict', `The stage "${removed.name}" still holds ${count} deals: move them first`);
        await scope.deals.deleteStage(workspaceId, removed.id);
      }
      const terminal = current.stages.filter((stage) => stage.kind !== 'open').map((stage, index) => ({ ...stage, position: next.length + index }));
      for (const stage of [...next, ...terminal]) await scope.deals.saveStage(workspaceId, stage);
    }
    const pipeline = (await scope.deals.pipeline(workspaceId, current.id))!;
    scope.events.append(workspaceId, { type: 'pipeline.upserted', conversationId: null, contactId: null, visibility: 'agents', data: { pipeline } });
    await scope.audit.record({
      workspaceId, actorKind: 'agent', actorId: agent.id, action: 'pipeline.update', targetKind: 'pipeline', targetId: pipeline.id,
    });
    return pipeline;
  });
}

// ---------------------------------------------------------------- deals

/** The deal with these ids in other systems (none: without the field). */
function withExternalIds(deal: Deal, externalIds: Record<string, string>): Deal {
  const { externalIds: _previous, ...rest } = deal;
  return Object.keys(externalIds).length > 0 ? { ...rest, externalIds } : rest;
}

export async function listDeals(store: Store, agent: Agent, request: DealListRequest): Promise<DealPage> {
  if (request.externalId) {
    const holder = await holderOf(store, agent.workspaceId, 'deal', request.externalId);
    const deal = holder ? await store.deals.deal(agent.workspaceId, holder) : undefined;
    const contacts = deal?.contactId ? await store.contacts.many(agent.workspaceId, [deal.contactId]) : [];
    return { deals: deal ? [deal] : [], openTasks: Object.fromEntries(await store.deals.openTaskCounts(agent.workspaceId, deal ? [deal.id] : [])), contacts };
  }
  const deals = await store.deals.deals(
    agent.workspaceId,
    {
      ...(request.pipelineId ? { pipelineId: request.pipelineId } : {}),
      ...(request.status !== 'all' ? { status: request.status } : {}),
      ...(request.contactId ? { contactId: request.contactId } : {}),
      ...(request.ownerId ? { ownerId: request.ownerId === 'me' ? agent.id : request.ownerId } : {}),
    },
    request.limit,
  );
  const [counts, contacts] = await Promise.all([
    store.deals.openTaskCounts(agent.workspaceId, deals.map((deal) => deal.id)),
    store.contacts.many(agent.workspaceId, deals.flatMap((deal) => (deal.contactId ? [deal.contactId] : []))),
  ]);
  return { deals, openTasks: Object.fromEntries(counts), contacts };
}

export async function requireDeal(scope: StoreScope, workspaceId: string, id: string): Promise<Deal> {
  const deal = await scope.deals.deal(workspaceId, id);
  if (!deal) throw notFound('Deal');
  return deal;
}

export async function getDeal(store: Store, agent: Agent, dealId: string): Promise<DealDetail> {
  const deal = await requireDeal(store, agent.workspaceId, dealId);
  return { deal, history: await store.deals.stageHistory(agent.workspaceId, dealId) };
}

/** The ids a deal or task links to, each checked to be the workspace's own. */
export interface Links {
  ownerId?: string | null | undefined;
  contactId?: string | null | undefined;
  companyId?: string | null | undefined;
  conversationId?: string | null | undefined;
  dealId?: string | null | undefined;
}

/**
 * Checks that every linked id names something of this workspace (an id of another workspace is
 * as unknown as a made-up one), and fills the contact from the conversation or deal, and the
 * company from the contact, when they are not given.
 */
export async function resolveLinks(scope: StoreScope, workspaceId: string, links: Links): Promise<Required<{ [K in keyof Links]: string | null }>> {
  const resolved = {
    ownerId: links.ownerId ?? null,
    contactId: links.contactId ?? null,
    companyId: links.companyId ?? null,
    conversationId: links.conversationId ?? null,
    dealId: links.dealId ?? null,
  };
  if (resolved.ownerId && !(await scope.workspaces.agent(workspaceId, resolved.ownerId))) {
    throw invalid('ownerId', 'No agent of this workspace has this id');
  }
  if (resolved.dealId) {
    const deal = await scope.deals.deal(workspaceId, resolved.dealId);
    if (!deal) throw invalid('dealId', 'No deal of this workspace has this id');
    resolved.contactId ??= deal.contactId;
    resolved.companyId ??= deal.companyId;
    resolved.conversationId ??= deal.conversationId;
  }
  if (resolved.conversationId) {
    const conversation = await scope.conversations.get(workspaceId, resolved.conversationId);
    if (!conversation) throw invalid('conversationId', 'No conversation of this workspace has this id');
    if (resolved.contactId && resolved.contactId !== conversation.contactId) {
      throw invalid('contactId', 'The conversation belongs to another contact');
    }
    resolved.contactId = conversation.contactId;
  }
  if (resolved.contactId) {
    const contact = await scope.contacts.get(workspaceId, resolved.contactId);
    if (!contact) throw invalid('contactId', 'No contact of this workspace has this id');
    if (links.companyId === undefined) resolved.companyId ??= contact.companyId;
  }
  if (resolved.companyId && !(await scope.deals.companyExists(workspaceId, resolved.companyId))) {
    throw invalid('companyId', 'No company of this workspace has this id');
  }
  return resolved;
}

async function requirePipelineStage(scope: StoreScope, workspaceId: string, pipelineId: string, stageId: string | undefined): Promise<Stage> {
  const pipeline = await scope.deals.pipeline(workspaceId, pipelineId);
  if (!pipeline) throw invalid('pipelineId', 'No pipeline of this workspace has this id');
  if (stageId === undefined) return pipeline.stages[0]!;
  const stage = pipeline.stages.find((candidate) => candidate.id === stageId);
  if (!stage) throw invalid('stageId', `The pipeline "${pipeline.name}" has no stage with this id`);
  return stage;
}

/** The deal as it is in `stage`: won and lost close it, an open stage reopens it. */
function placeIn(deal: Deal, stage: Stage, at: string, lostReason: string | null | undefined): Deal {
  const next: Deal = { ...deal, stageId: stage.id, status: stage.kind, stageEnteredAt: at };
  if (stage.kind === 'open') {
    next.closedAt = null;
    next.lostReason = null;
  } else {
    next.closedAt = at;
    next.lostReason = stage.kind === 'lost' ? (lostReason ?? deal.lostReason ?? null) : null;
  }
  return next;
}

function logDeal(scope: StoreScope, deal: Deal, move: { from: string | null; to: string; actor: Actor } | null): void {
  scope.events.append(deal.workspaceId, {
    type: 'deal.upserted',
    conversationId: deal.conversationId,
    contactId: deal.contactId,
    visibility: 'agents',
    data: {
      deal,
      move: move && { from: move.from, to: move.to, rule: move.actor.rule, actorId: move.actor.agentId },
    },
  });
}

/** Creates a deal inside an open transaction (agents and automation rules alike). */
export async function insertDeal(scope: StoreScope, actor: Actor, request: DealCreateRequest, createdAt = nowIso()): Promise<Deal> {
  const workspaceId = actor.workspaceId;
  const stage = await requirePipelineStage(scope, workspaceId, request.pipelineId, request.stageId);
  const links = await resolveLinks(scope, workspaceId, request);
  const draft: Deal = {
    id: newId('dl'),
    workspaceId,
    pipelineId: request.pipelineId,
    stageId: stage.id,
    status: 'open',
    title: request.title,
    amount: request.amount,
    currency: request.currency,
    probability: request.probability ?? stage.probability,
    expectedCloseDate: request.expectedCloseDate ?? null,
    ownerId: links.ownerId ?? actor.agentId,
    contactId: links.contactId,
    companyId: links.companyId,
    conversationId: links.conversationId,
    lostReason: null,
    stageEnteredAt: createdAt,
    closedAt: null,
    createdAt,
    updatedAt: createdAt,
  };
  const placed = placeIn(draft, stage, createdAt, null);
  await scope.deals.insertDeal(placed);
  const deal = request.externalIds ? withExternalIds(placed, await applyExternalIds(scope, workspaceId, 'deal', placed.id, undefined, request.externalIds)) : placed;
  await scope.deals.recordStageVisit(deal, newId('sv'), { stageId: stage.id, enteredAt: createdAt, actorId: actor.agentId, rule: actor.rule });
  logDeal(scope, deal, { from: null, to: stage.id, actor });
  return deal;
}

export async function createDeal(store: Store, agent: Agent, request: DealCreateRequest): Promise<Deal> {
  return store.transaction(async (scope) => {
    const deal = await insertDeal(scope, agentActor(agent), request);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'deal.create', targetKind: 'deal', targetId: deal.id,
    });
    return deal;
  });
}

/** Moves a deal to another stage of its pipeline inside an open transaction; a no-op when it is there. */
export async function moveDealIn(scope: StoreScope, actor: Actor, deal: Deal, stageId: string, lostReason?: string | null): Promise<Deal> {
  if (deal.stageId === stageId) return deal;
  const stage = await requirePipelineStage(scope, actor.workspaceId, deal.pipelineId, stageId);
  const at = nowIso();
  const next = { ...placeIn(deal, stage, at, lostReason), probability: stage.probability, updatedAt: at };
  await scope.deals.saveDeal(next);
  await scope.deals.recordStageVisit(next, newId('sv'), { stageId, enteredAt: at, actorId: actor.agentId, rule: actor.rule });
  logDeal(scope, next, { from: deal.stageId, to: stageId, actor });
  return next;
}

/** Sets a deal's amount (and currency) inside an open transaction; a no-op when it has them. */
export async function setDealAmountIn(scope: StoreScope, deal: Deal, amount: number, currency: string): Promise<Deal> {
  if (deal.amount === amount && deal.currency === currency) return deal;
  const next: Deal = { ...deal, amount, currency, updatedAt: nowIso() };
  await scope.deals.saveDeal(next);
  logDeal(scope, next, null);
  return next;
}

/** Edits a deal's fields and, with `stageId`, moves it (won and lost close it). */
export async function updateDeal(store: Store, agent: Agent, request: DealUpdateRequest): Promise<Deal> {
  return store.transaction(async (scope) => {
    const actor = agentActor(agent);
    const current = await requireDeal(scope, agent.workspaceId, request.dealId);
    let deal = current;
    if (request.stageId !== undefined) deal = await moveDealIn(scope, actor, deal, request.stageId, request.lostReason);

    const links = await resolveLinks(scope, agent.workspaceId, {
      ownerId: request.ownerId === undefined ? deal.ownerId : request.ownerId,
      contactId: request.contactId === undefined ? deal.contactId : request.contactId,
      companyId: request.companyId === undefined ? deal.companyId : request.companyId,
    });
    const edited: Deal = {
      ...deal,
      title: request.title ?? deal.title,
      amount: request.amount ?? deal.amount,
      currency: request.currency ?? deal.currency,
      probability: request.probability ?? deal.probability,
      expectedCloseDate: request.expectedCloseDate === undefined ? deal.expectedCloseDate : request.expectedCloseDate,
      ownerId: links.ownerId,
      contactId: links.contactId,
      companyId: links.companyId,
      lostReason: request.lostReason !== undefined && deal.status === 'lost' ? request.lostReason : deal.lostReason,
    };
    const fieldsChanged = (Object.keys(edited) as Array<keyof Deal>).some((key) => edited[key] !== deal[key]);
    if (fieldsChanged) {
      edited.updatedAt = nowIso();
      await scope.deals.saveDeal(edited);
      logDeal(scope, edited, null);
      deal = edited;
    }
    if (request.externalIds) {
      const externalIds = await applyExternalIds(scope, agent.workspaceId, 'deal', deal.id, deal.externalIds, request.externalIds);
      if (JSON.stringify(externalIds) !== JSON.stringify(deal.externalIds ?? {})) {
        deal = withExternalIds(deal, externalIds);
        logDeal(scope, deal, null);
      }
    }
    if (deal !== current) {
      await scope.audit.record({
        workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'deal.update', targetKind: 'deal', targetId: deal.id,
        data: { fields: Object.keys(request).filter((key) => key !== 'dealId') },
      });
    }
    return deal;
  });
}
