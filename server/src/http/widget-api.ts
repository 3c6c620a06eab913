import { widgetSettingsPatchSchema, type Agent } from '@charla/protocol';
import type { Response, Router } from 'express';
import { assertRole } from '../services/actors.js';
import { getWidgetConfig, rotateWidgetSecret, updateWidgetSettings } from '../services/widget.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

/** The signed-in agent (set by the API's authentication), who must be an admin: the secret is theirs to keep. */
function admin(res: Response): Agent {
  const agent = res.locals.agent as Agent;
  assertRole(agent, 'admin');
  return agent;
}

/**
 * The webchat widget's settings of the caller's workspace:
 * `GET /workspace/widget` (settings and identity secret), `PATCH /workspace/widget` (some settings),
 * `POST /workspace/widget/secret` (a new secret).
 */
export function registerWidgetRoutes(router: Router, store: Store): void {
  router.get('/workspace/widget', async (_req, res) => {
    res.json(await getWidgetConfig(store, admin(res)));
  });
  router.patch('/workspace/widget', async (req, res) => {
    const agent = admin(res);
    res.json(await updateWidgetSettings(store, agent, parseInput(widgetSettingsPatchSchema, req.body)));
  });
  router.post('/workspace/widget/secret', async (_req, res) => {
    res.json(await rotateWidgetSecret(store, admin(res)));
  });
}
