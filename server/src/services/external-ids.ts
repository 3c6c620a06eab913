/**
 * External references: each contact, company and deal may carry its ids in the host's other
 * systems (`{"hubspot": "123"}`). An id belongs to one record of a kind in a workspace; giving it
 * to another is refused (409) and changes nothing. Records are found by one
 * (`GET /api/v1/contacts?externalId=hubspot:123`).
 */
import { EXTERNAL_ID_SYSTEMS_MAX, type Agent, type Company, type ExternalIds } from '@charla/protocol';
import { CharlaFailure, notFound } from '../failure.js';
import type { ExternalKind, Store, StoreScope } from '../store/index.js';

/** Per system: the id to set, or null to remove it. */
export type ExternalIdsPatch = Record<string, string | null>;

/** The record of `kind` holding `system:id`, or undefined (an id whose record is gone holds nothing). */
export async function holderOf(scope: StoreScope, workspaceId: string, kind: ExternalKind, ref: { system: string; id: string }): Promise<string | undefined> {
  const holder = await scope.externalRefs.holder(workspaceId, kind, ref.system, ref.id);
  return holder && (await scope.externalRefs.exists(workspaceId, kind, holder)) ? holder : undefined;
}

/** Applies `patch` to the record's ids; refuses (409) an id another record of the kind holds. */
export async function applyExternalIds(
  scope: StoreScope,
  workspaceId: string,
  kind: ExternalKind,
  entityId: string,
  current: ExternalIds | undefined,
  patch: ExternalIdsPatch,
): Promise<ExternalIds> {
  const next: ExternalIds = { ...current };
  for (const [system, id] of Object.entries(patch)) {
    if (id === null) delete next[system];
    else next[system] = id;
  }
  if (Object.keys(next).length > EXTERNAL_ID_SYSTEMS_MAX) {
    throw new CharlaFailure('invalid_payload', `externalIds: a ${kind} has ids in at most ${EXTERNAL_ID_SYSTEMS_MAX} systems`);
  }
  for (const [system, id] of Object.entries(next)) {
    const holder = await scope.externalRefs.holder(workspaceId, kind, system, id);
    if (holder === undefined || holder === entityId) continue;
    if (await scope.externalRefs.exists(workspaceId, kind, holder)) {
      throw new CharlaFailure('conflict', `externalIds.${system}: "${id}" already belongs to another ${kind} (${holder})`);
    }
    await scope.externalRefs.forget(workspaceId, kind, system, id);
  }
  await scope.externalRefs.set(workspaceId, kind, entityId, next);
  return next;
}

/** An agent sets a company's ids in other systems (`PATCH /api/v1/companies/:id`). */
export function updateCompanyExternalIds(store: Store, agent: Agent, companyId: string, patch: ExternalIdsPatch): Promise<Company> {
  return store.transaction(async (scope) => {
    const company = await scope.contacts.company(agent.workspaceId, companyId);
    if (!company) throw notFound('Company');
    const externalIds = await applyExternalIds(scope, agent.workspaceId, 'company', companyId, company.externalIds, patch);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'company.update', targetKind: 'company', targetId: companyId,
      data: { fields: ['externalIds'] },
    });
    const { externalIds: _previous, ...rest } = company;
    return Object.keys(externalIds).length > 0 ? { ...rest, externalIds } : rest;
  });
}
