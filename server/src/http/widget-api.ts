import { widgetSettingsPatchSchema, type Agent } from '@charla/protocol';
import type { Express, Response, Router } from 'express';
import type { Server } from 'socket.io';
import { CharlaFailure } from '../failure.js';
import { agentsOnline } from '../socket/live.js';
import { assertRole } from '../services/actors.js';
import { announceServiceLevels } from '../services/service-levels.js';
import { availabilityOf, getWidgetConfig, rotateWidgetSecret, updateWidgetSettings, widgetSettingsOf } from '../services/widget.js';
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
    const patch = parseInput(widgetSettingsPatchSchema, req.body);
    const config = await updateWidgetSettings(store, agent, patch);
    // The weekly hours are also what business-hours SLA clocks count in.
    if (patch.timezone !== undefined || patch.businessHours !== undefined) await announceServiceLevels(store, agent.workspaceId);
    res.json(config);
  });
  router.post('/workspace/widget/secret', async (_req, res) => {
    res.json(await rotateWidgetSecret(store, admin(res)));
  });
}

/**
 * `GET /widget/availability/:widgetKey`, public: whether someone can answer now. The loader asks
 * it only for sites that hide the launcher while no one can (`data-hide-when-offline`).
 */
export function registerWidgetAvailability(app: Express, store: Store, io: Server): void {
  app.get('/widget/availability/:widgetKey', async (req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    const workspace = await store.workspaces.byWidgetKey(req.params.widgetKey);
    if (!workspace) {
      const failure = new CharlaFailure('not_found', 'No workspace has this widget key');
      res.status(404).json({ error: { code: failure.code, message: failure.message } });
      return;
    }
    const [online, { settings }] = await Promise.all([agentsOnline(io, store, workspace.id), widgetSettingsOf(store, workspace.id)]);
    const { agentsOnline: someone, withinHours } = availabilityOf(settings, online);
    res.set('Cache-Control', 'no-store').json({ agentsOnline: someone, withinHours });
  });
}
