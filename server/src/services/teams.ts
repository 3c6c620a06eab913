import type { Agent, Team, teamCreateSchema, teamUpdateSchema } from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import { routingSettingsOf } from '../routing/routing.js';
import type { Store, StoreScope } from '../store/index.js';
import { assertRole } from './actors.js';

type TeamCreate = z.output<typeof teamCreateSchema>;

export function listTeams(store: Store, agent: Agent): Promise<Team[]> {
  return store.teams.list(agent.workspaceId);
}

/** Admins create teams from agents of their workspace. */
export function createTeam(store: Store, agent: Agent, input: TeamCreate): Promise<Team> {
  assertRole(agent, 'admin');
  return store.transaction(async (scope) => {
    if (await scope.teams.byName(agent.workspaceId, input.name)) throw new CharlaFailure('conflict', `name: There is already a team "${input.name}"`);
    const members = await membersOf(scope, agent.workspaceId, input.agentIds);
    const team: Team = { id: newId('tm'), workspaceId: agent.workspaceId, name: input.name, agentIds: members };
    await scope.teams.insert(team, nowIso());
    return team;
  });
}

/** The distinct ids, each an agent of the workspace. */
async function membersOf(scope: StoreScope, workspaceId: string, agentIds: string[]): Promise<string[]> {
  const members = [...new Set(agentIds)];
  for (const id of members) {
    if (!(await scope.workspaces.agent(workspaceId, id))) throw new CharlaFailure('invalid_payload', 'agentIds: No agent of this workspace has this id');
  }
  return members;
}

async function requireTeam(scope: StoreScope, workspaceId: string, id: string): Promise<Team> {
  const team = await scope.teams.get(workspaceId, id);
  if (!team) throw new CharlaFailure('not_found', 'Team not found');
  return team;
}

/** Admins rename a team and/or set its members. */
export function updateTeam(store: Store, agent: Agent, id: string, patch: z.output<typeof teamUpdateSchema>): Promise<Team> {
  assertRole(agent, 'admin');
  return store.transaction(async (scope) => {
    const team = await requireTeam(scope, agent.workspaceId, id);
    if (patch.name !== undefined && patch.name !== team.name) {
      if (await scope.teams.byName(agent.workspaceId, patch.name)) throw new CharlaFailure('conflict', `name: There is already a team "${patch.name}"`);
      await scope.teams.rename(agent.workspaceId, id, patch.name);
    }
    const agentIds = patch.agentIds !== undefined ? await membersOf(scope, agent.workspaceId, patch.agentIds) : team.agentIds;
    if (patch.agentIds !== undefined) await scope.teams.setMembers(id, agentIds);
    return { ...team, name: patch.name ?? team.name, agentIds };
  });
}

/** Admins delete a team that no routing rule sends conversations to; its conversations stay, without a team. */
export async function deleteTeam(store: Store, agent: Agent, id: string): Promise<void> {
  assertRole(agent, 'admin');
  await store.transaction(async (scope) => {
    const team = await requireTeam(scope, agent.workspaceId, id);
    const routing = await routingSettingsOf(scope, agent.workspaceId);
    if (routing.rules.some((rule) => rule.teamId === id) || routing.vip?.teamId === id) {
      throw new CharlaFailure('conflict', `Routing sends conversations to ${team.name}; change those rules first`);
    }
    await scope.teams.delete(agent.workspaceId, id);
  });
}
