/**
 * The workspace's agents as its admins manage them in the settings: add someone (the host's
 * backend then signs their tokens), change a role, deactivate or bring back. The same rules as
 * the platform API's, acting as the signed-in admin.
 */
import type { Agent, AgentCreate, AgentUpdate, WorkspaceAgent, agentCreateSchema, agentUpdateSchema } from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import type { Store } from '../store/index.js';
import { assertRole } from './actors.js';
import { insertNewAgent, publicAgent, updateProvisionedAgent, type PlatformHooks } from './platform.js';

export type { AgentCreate, AgentUpdate };

export async function listWorkspaceAgents(store: Store, admin: Agent): Promise<WorkspaceAgent[]> {
  assertRole(admin, 'admin');
  return (await store.platform.agents(admin.workspaceId)).map(publicAgent);
}

export async function addWorkspaceAgent(store: Store, admin: Agent, input: z.output<typeof agentCreateSchema>): Promise<WorkspaceAgent> {
  assertRole(admin, 'admin');
  const agent = await store.transaction((scope) => insertNewAgent(scope, admin.workspaceId, input, null, admin.id));
  return publicAgent(agent);
}

/**
 * Changes another agent. An admin cannot demote or deactivate themselves, so a workspace always
 * keeps the admin who is changing it.
 */
export async function updateWorkspaceAgent(
  store: Store,
  admin: Agent,
  agentId: string,
  patch: z.output<typeof agentUpdateSchema>,
  hooks: PlatformHooks,
): Promise<WorkspaceAgent> {
  assertRole(admin, 'admin');
  if (agentId === admin.id && ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false)) {
    throw new CharlaFailure('conflict', 'You cannot demote or deactivate yourself; ask another admin');
  }
  const { agent } = await updateProvisionedAgent(store, admin.workspaceId, agentId, patch, hooks);
  return agent;
}
