import { routingSettingsPatchSchema, type Agent } from '@charla/protocol';
import type { Response, Router } from 'express';
import { getRouting, updateRouting } from '../routing/routing.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

const agentOf = (res: Response) => res.locals.agent as Agent;

/** `GET|PATCH /workspace/routing` (admins): mode, capacity, sticky agent, auto-resolve hours. */
export function registerRoutingRoutes(router: Router, store: Store): void {
  router.get('/workspace/routing', async (_req, res) => {
    res.json(await getRouting(store, agentOf(res)));
  });
  router.patch('/workspace/routing', async (req, res) => {
    res.json(await updateRouting(store, agentOf(res), parseInput(routingSettingsPatchSchema, req.body)));
  });
}
