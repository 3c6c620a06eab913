import { routingSettingsPatchSchema, type Agent } from '@charla/protocol';
import type { Response, Router } from 'express';
import { getRouting, updateRouting } from '../routing/routing.js';
import { announceServiceLevels } from '../services/service-levels.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

const agentOf = (res: Response) => res.locals.agent as Agent;

/** `GET|PATCH /workspace/routing` (admins): mode, capacity, sticky agent, auto-resolve hours. */
export function registerRoutingRoutes(router: Router, store: Store): void {
  router.get('/workspace/routing', async (_req, res) => {
    res.json(await getRouting(store, agentOf(res)));
  });
  router.patch('/workspace/routing', async (req, res) => {
    const agent = agentOf(res);
    const settings = await updateRouting(store, agent, parseInput(routingSettingsPatchSchema, req.body));
    await announceServiceLevels(store, agent.workspaceId);
    res.json(settings);
  });
}
