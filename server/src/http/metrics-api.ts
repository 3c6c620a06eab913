import { CONVERSATION_METRICS, metricRequestSchema, type Agent, type ConversationMetric } from '@charla/protocol';
import type { Response, Router } from 'express';
import { CharlaFailure } from '../failure.js';
import { conversationMetric } from '../metrics/conversations.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

const agentOf = (res: Response) => res.locals.agent as Agent;

/** `GET /metrics/:name?from=&to=&groupBy=none|channel|agent|day`. */
export function registerMetricRoutes(router: Router, store: Store): void {
  router.get('/metrics/:name', async (req, res) => {
    const name = String(req.params.name);
    if (!(CONVERSATION_METRICS as readonly string[]).includes(name)) {
      throw new CharlaFailure('not_found', `Unknown metric "${name}"; available: ${CONVERSATION_METRICS.join(', ')}`);
    }
    const query = Object.fromEntries(Object.entries(req.query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
    res.json(await conversationMetric(store, agentOf(res), name as ConversationMetric, parseInput(metricRequestSchema, query)));
  });
}
