import type { Agent, CannedResponse, cannedResponseCreateSchema, cannedResponseUpdateSchema } from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import type { Store, StoreScope } from '../store/index.js';
import { assertRole } from './actors.js';

type Create = z.output<typeof cannedResponseCreateSchema>;
type Update = z.output<typeof cannedResponseUpdateSchema>;

export function listCanned(store: Store, agent: Agent): Promise<CannedResponse[]> {
  return store.canned.list(agent.workspaceId);
}

async function assertShortcutFree(scope: StoreScope, workspaceId: string, shortcut: string, exceptId?: string) {
  const taken = await scope.canned.byShortcut(workspaceId, shortcut);
  if (taken && taken.id !== exceptId) throw new CharlaFailure('conflict', `shortcut: /${shortcut} is already used by "${taken.title}"`);
}

function changed(scope: StoreScope, workspaceId: string, response: CannedResponse | null, deletedId: string | null): void {
  scope.events.append(workspaceId, {
    type: 'canned.changed',
    conversationId: null,
    contactId: null,
    visibility: 'agents',
    data: { response, deletedId },
  });
}

/** Canned responses are the workspace's voice: admins manage them, everyone uses them. */
export function createCanned(store: Store, agent: Agent, input: Create): Promise<CannedResponse> {
  assertRole(agent, 'admin');
  return store.transaction(async (scope) => {
    await assertShortcutFree(scope, agent.workspaceId, input.shortcut);
    const now = nowIso();
    const response: CannedResponse = { id: newId('cr'), workspaceId: agent.workspaceId, ...input, createdAt: now, updatedAt: now };
    await scope.canned.insert(response);
    changed(scope, agent.workspaceId, response, null);
    return response;
  });
}

export function updateCanned(store: Store, agent: Agent, id: string, patch: Update): Promise<CannedResponse> {
  assertRole(agent, 'admin');
  return store.transaction(async (scope) => {
    const existing = await scope.canned.get(agent.workspaceId, id);
    if (!existing) throw new CharlaFailure('not_found', 'No such canned response');
    if (patch.shortcut) await assertShortcutFree(scope, agent.workspaceId, patch.shortcut, id);
    const response: CannedResponse = { ...existing, ...patch, updatedAt: nowIso() };
    await scope.canned.save(response);
    changed(scope, agent.workspaceId, response, null);
    return response;
  });
}

export function deleteCanned(store: Store, agent: Agent, id: string): Promise<void> {
  assertRole(agent, 'admin');
  return store.transaction(async (scope) => {
    if (!(await scope.canned.get(agent.workspaceId, id))) throw new CharlaFailure('not_found', 'No such canned response');
    await scope.canned.delete(agent.workspaceId, id);
    changed(scope, agent.workspaceId, null, id);
  });
}
