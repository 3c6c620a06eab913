import { teamCreateSchema, teamUpdateSchema, type Agent } from '@charla/protocol';
import type { Response, Router } from 'express';
import { createTeam, deleteTeam, listTeams, updateTeam } from '../services/teams.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

const agentOf = (res: Response) => res.locals.agent as Agent;

/** `GET /teams`; admins: `POST /teams` `{name, agentIds}`, `PATCH /teams/:id` `{name?, agentIds?}`, `DELETE /teams/:id`. */
export function registerTeamRoutes(router: Router, store: Store): void {
  router.get('/teams', async (_req, res) => {
    res.json(await listTeams(store, agentOf(res)));
  });
  router.post('/teams', async (req, res) => {
    res.status(201).json(await createTeam(store, agentOf(res), parseInput(teamCreateSchema, req.body)));
  });
  router.patch('/teams/:id', async (req, res) => {
    res.json(await updateTeam(store, agentOf(res), req.params.id, parseInput(teamUpdateSchema, req.body)));
  });
  router.delete('/teams/:id', async (req, res) => {
    await deleteTeam(store, agentOf(res), req.params.id);
    res.status(204).end();
  });
}
