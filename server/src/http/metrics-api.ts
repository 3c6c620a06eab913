import type { Agent } from '@charla/protocol';
import type { Response, Router } from 'express';
import { computeMetric } from '../metrics/index.js';
import type { Store } from '../store/index.js';

const agentOf = (res: Response) => res.locals.agent as Agent;

/** `GET /metrics/:name?from=&to=&groupBy=` (pipeline metrics also take `pipelineId` and, for the forecast, `target`). */
export function registerMetricRoutes(router: Router, store: Store): void {
  router.get('/metrics/:name', async (req, res) => {
    const query = Object.fromEntries(Object.entries(req.query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
    res.json(await computeMetric(store, agentOf(res), String(req.params.name), query));
  });
}
