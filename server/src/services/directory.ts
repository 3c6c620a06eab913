/**
 * The contacts directory: search and filters, built-in and saved segments, bulk tags and owner,
 * and the export of a selection. Segments are read at the clock given (`now`), so a contact
 * enters or leaves one as time passes or as a purchase or a message arrives.
 */
import {
  BUILT_IN_SEGMENTS,
  type Agent, type BuiltInSegment, type CompanyPage, type CompanySummary, type Deal, type companySearchSchema, type ContactBulkRequest, type ContactBulkResult, type ContactSelection, type DirectoryContact,
  type DirectoryFilter, type DirectoryPage, type Segment, type directoryRequestSchema, type segmentContactsRequestSchema,
  type segmentCreateSchema, type segmentPatchSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure, notFound } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import type { DirectoryContext, ResolvedFilter, Store, StoredSegment } from '../store/index.js';
import { contactChanged } from './changes.js';

/** The most contacts one bulk action or export of "all matching" reaches. */
export const SELECTION_LIMIT = 100_000;

export type Clock = () => Date;

const SEGMENT_NAMES: Record<BuiltInSegment, string> = {
  new: 'New',
  active: 'Active',
  at_risk: 'At risk',
  high_value: 'High value',
  frequent_buyers: 'Frequent buyers',
  need_follow_up: 'Need follow-up',
};

const isBuiltIn = (segment: string): segment is BuiltInSegment => (BUILT_IN_SEGMENTS as readonly string[]).includes(segment);

async function contextOf(store: Store, agent: Pick<Agent, 'workspaceId'>, clock: Clock): Promise<DirectoryContext> {
  const workspace = await store.workspaces.byId(agent.workspaceId);
  if (!workspace) throw notFound('Workspace');
  return { workspaceId: agent.workspaceId, currency: workspace.currency, now: clock() };
}

/** The filter as the store reads it: a saved segment named in it becomes its own filter too. */
async function resolve(store: Store, workspaceId: string, filter: DirectoryFilter): Promise<ResolvedFilter[]> {
  const { segment, ...rest } = filter;
  if (segment === undefined) return [rest];
  if (isBuiltIn(segment)) return [{ ...rest, segment }];
  const saved = await store.directory.segment(workspaceId, segment);
  if (!saved) throw new CharlaFailure('invalid_payload', `segment: No built-in or saved segment "${segment}"`);
  return [rest, ...(await resolve(store, workspaceId, saved.filter))];
}

async function pageOf(
  store: Store,
  context: DirectoryContext,
  filters: ResolvedFilter[],
  request: { sort: z.output<typeof directoryRequestSchema>['sort']; direction: 'asc' | 'desc'; offset: number; limit: number },
): Promise<DirectoryPage> {
  const [total, ids] = await Promise.all([
    store.directory.count(filters, context),
    store.directory.pageIds(filters, context, request, request),
  ]);
  const [contacts, facts] = await Promise.all([store.contacts.many(context.workspaceId, ids), store.directory.facts(context, ids)]);
  const byId = new Map(contacts.map((contact) => [contact.id, contact]));
  const rows: DirectoryContact[] = [];
  for (const id of ids) {
    const contact = byId.get(id);
    const fact = facts.get(id);
    if (!contact || !fact) continue;
    rows.push({
      ...contact,
      ownerId: fact.ownerId,
      companyName: fact.companyName,
      ltv: fact.ltvCents / 100,
      lastInteractionAt: fact.lastInteractionAt,
      openDeals: fact.openDeals,
    });
  }
  return { contacts: rows, total, offset: request.offset, currency: context.currency };
}

/** One page of the directory: the contacts matching `filter`, sorted, with the total. */
export async function searchDirectory(
  store: Store,
  agent: Agent,
  request: z.output<typeof directoryRequestSchema>,
  clock: Clock,
): Promise<DirectoryPage> {
  const context = await contextOf(store, agent, clock);
  const filters = await resolve(store, agent.workspaceId, request.filter);
  const page = await pageOf(store, context, filters, request);
  if (request.filter.query) {
    // A search across contacts reads personal data in bulk: recorded (how much it found, not what was asked).
    await store.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contacts.search', targetKind: 'workspace', targetId: agent.workspaceId,
      data: { results: page.total },
    });
  }
  return page;
}

/** The ids a selection stands for, each a contact of the workspace. */
export async function selectedIds(store: Store, agent: Agent, selection: ContactSelection, clock: Clock): Promise<string[]> {
  if ('ids' in selection) return store.directory.existingIds(agent.workspaceId, selection.ids);
  const context = await contextOf(store, agent, clock);
  const ids = await store.directory.allIds(await resolve(store, agent.workspaceId, selection.filter), context, SELECTION_LIMIT + 1);
  if (ids.length > SELECTION_LIMIT) {
    throw new CharlaFailure('invalid_payload', `selection: More than ${SELECTION_LIMIT} contacts match; narrow the filter`);
  }
  const except = new Set(selection.except ?? []);
  return except.size > 0 ? ids.filter((id) => !except.has(id)) : ids;
}

/**
 * Adds and removes tags and sets the owner of every selected contact, in one transaction. Each
 * contact that changes is logged (`contact.upserted`), so every agent's view follows.
 */
export async function bulkUpdateContacts(store: Store, agent: Agent, request: ContactBulkRequest, clock: Clock): Promise<ContactBulkResult> {
  if (request.ownerId) {
    const owner = await store.workspaces.agent(agent.workspaceId, request.ownerId);
    if (!owner) throw new CharlaFailure('invalid_payload', 'ownerId: No agent of this workspace has this id');
  }
  const ids = await selectedIds(store, agent, request.selection, clock);
  if (ids.length === 0) throw new CharlaFailure('invalid_payload', 'selection: No contact of this workspace is selected');
  const add = request.addTags ?? [];
  const remove = new Set(request.removeTags ?? []);
  return store.transaction(async (scope) => {
    const now = nowIso();
    const changed = new Set<string>();
    // Contacts that end with the same tags are written by one statement.
    const byTags = new Map<string, string[]>();
    for (const { id, tags, ownerId } of await scope.directory.tagsAndOwners(agent.workspaceId, ids)) {
      const next = [...new Set([...tags.filter((tag) => !remove.has(tag)), ...add])];
      if (JSON.stringify(next) !== JSON.stringify(tags)) {
        const key = JSON.stringify(next);
        byTags.set(key, [...(byTags.get(key) ?? []), id]);
        changed.add(id);
      }
      if (request.ownerId !== undefined && ownerId !== request.ownerId) changed.add(id);
    }
    for (const [tags, group] of byTags) await scope.directory.setTags(agent.workspaceId, group, JSON.parse(tags) as string[], now);
    if (request.ownerId !== undefined) {
      const toOwn = ids.filter((id) => changed.has(id));
      if (toOwn.length > 0) await scope.directory.setOwner(agent.workspaceId, toOwn, request.ownerId, now);
    }
    for (const contact of await scope.contacts.many(agent.workspaceId, [...changed])) contactChanged(scope, contact);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contacts.bulk_update', targetKind: 'workspace', targetId: agent.workspaceId,
      data: {
        matched: ids.length, updated: changed.size,
        ...(add.length > 0 ? { addTags: add } : {}), ...(remove.size > 0 ? { removeTags: [...remove] } : {}),
        ...(request.ownerId !== undefined ? { ownerId: request.ownerId } : {}),
      },
    });
    return { matched: ids.length, updated: changed.size };
  });
}

// ---------------------------------------------------------------- segments

async function withCount(store: Store, context: DirectoryContext, segment: Omit<Segment, 'count'>): Promise<Segment> {
  const filters = await resolve(store, context.workspaceId, segment.builtIn ? { segment: segment.id } : segment.filter);
  return { ...segment, count: await store.directory.count(filters, context) };
}

const builtInSegment = (key: BuiltInSegment): Omit<Segment, 'count'> => ({
  id: key, name: SEGMENT_NAMES[key], builtIn: true, filter: { segment: key }, createdBy: null, createdAt: null, updatedAt: null,
});

const savedSegment = (segment: StoredSegment): Omit<Segment, 'count'> => ({ ...segment, builtIn: false });

/** The built-in segments, then the workspace's saved ones, each with how many contacts are in it now. */
export async function listSegments(store: Store, agent: Pick<Agent, 'workspaceId'>, clock: Clock): Promise<{ segments: Segment[] }> {
  const context = await contextOf(store, agent, clock);
  const saved = await store.directory.segments(agent.workspaceId);
  const all = [...BUILT_IN_SEGMENTS.map(builtInSegment), ...saved.map(savedSegment)];
  return { segments: await Promise.all(all.map((segment) => withCount(store, context, segment))) };
}

async function requireSavedSegment(store: Store, workspaceId: string, id: string): Promise<StoredSegment> {
  const segment = await store.directory.segment(workspaceId, id);
  if (!segment) throw notFound('Segment');
  return segment;
}

export async function createSegment(store: Store, agent: Agent, request: z.output<typeof segmentCreateSchema>, clock: Clock): Promise<Segment> {
  const now = nowIso();
  const segment: StoredSegment = { id: newId('sg'), name: request.name, filter: request.filter, createdBy: agent.id, createdAt: now, updatedAt: now };
  await store.transaction(async (scope) => {
    await scope.directory.insertSegment(agent.workspaceId, segment);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'segment.create', targetKind: 'segment', targetId: segment.id,
      data: { name: segment.name },
    });
  });
  return withCount(store, await contextOf(store, agent, clock), savedSegment(segment));
}

export async function updateSegment(
  store: Store, agent: Agent, id: string, patch: z.output<typeof segmentPatchSchema>, clock: Clock,
): Promise<Segment> {
  const before = await requireSavedSegment(store, agent.workspaceId, id);
  const segment: StoredSegment = { ...before, ...patch, updatedAt: nowIso() };
  await store.directory.updateSegment(agent.workspaceId, segment);
  return withCount(store, await contextOf(store, agent, clock), savedSegment(segment));
}

export async function deleteSegment(store: Store, agent: Agent, id: string): Promise<{ ok: true }> {
  if (!(await store.directory.deleteSegment(agent.workspaceId, id))) throw notFound('Segment');
  return { ok: true };
}

/** A page of the contacts in a segment (built-in key or saved id). */
export async function segmentContacts(
  store: Store, agent: Agent, id: string, request: z.output<typeof segmentContactsRequestSchema>, clock: Clock,
): Promise<DirectoryPage> {
  if (!isBuiltIn(id)) await requireSavedSegment(store, agent.workspaceId, id);
  const context = await contextOf(store, agent, clock);
  return pageOf(store, context, await resolve(store, agent.workspaceId, { segment: id }), request);
}

// ---------------------------------------------------------------- companies

/** A page of the workspace's companies with their people, open deals, lifetime value and last interaction. */
export async function searchCompanies(
  store: Store, agent: Agent, request: z.output<typeof companySearchSchema>, clock: Clock,
): Promise<CompanyPage> {
  const context = await contextOf(store, agent, clock);
  const { companies, total } = await store.directory.companies(context, request);
  return { companies, total, offset: request.offset, currency: context.currency };
}

/** One company: its figures, its people (most valuable first) and its deals. */
export async function companyOverview(
  store: Store, agent: Agent, companyId: string, clock: Clock,
): Promise<{ company: CompanySummary; people: DirectoryPage; deals: Deal[] }> {
  const context = await contextOf(store, agent, clock);
  const company = await store.contacts.company(agent.workspaceId, companyId);
  if (!company) throw notFound('Company');
  const [summary, people, deals] = await Promise.all([
    store.directory.companies(context, { query: undefined, sort: 'name', direction: 'asc', offset: 0, limit: 1, only: companyId }),
    pageOf(store, context, [{ companyId }], { sort: 'ltv', direction: 'desc', offset: 0, limit: 200 }),
    store.deals.deals(agent.workspaceId, { companyId }, 200),
  ]);
  return { company: summary.companies[0]!, people, deals };
}
