import type { Agent, Team, teamCreateSchema } from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import type { Store } from '../store/index.js';
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
    const members = [...new Set(input.agentIds)];
    for (const id of members) {
      if (!(await scope.workspaces.agent(agent.workspaceId, id))) throw new CharlaFailure('invalid_payload', 'agentIds: No agent of this workspace has this id');
    }
    const team: Team = { id: newId('tm'), workspaceId: agent.workspaceId, name: input.name, agentIds: members };
    await scope.teams.insert(team, nowIso());
    return team;
  });
}
