import { teamCreateSchema, type Agent } from '@charla/protocol';
import type { Response, Router } from 'express';
import { createTeam, listTeams } from '../services/teams.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

const agentOf = (res: Response) => res.locals.agent as Agent;

/** `GET /teams`, `POST /teams` `{name, agentIds}` (admins). */
export function registerTeamRoutes(router: Router, store: Store): void {
  router.get('/teams', async (_req, res) => {
    res.json(await listTeams(store, agentOf(res)));
  });
  router.post('/teams', async (req, res) => {
    res.status(201).json(await createTeam(store, agentOf(res), parseInput(teamCreateSchema, req.body)));
  });
}
