import { csatSettingsPatchSchema } from '@charla/protocol';
import express, { Router } from 'express';
import { conversationSurveys, csatSettings, questionsOf, updateCsatSettings } from '../services/csat.js';
import { requireVisibleConversation } from '../services/visibility.js';
import type { Store } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import { authenticate, requireJson, signedIn } from './api.js';

/**
 * Satisfaction surveys over REST:
 * - `GET /csat/settings` (agents and up) → the settings and the question as asked in each language;
 * - `PUT|PATCH /csat/settings` (admins) `{enabled?, questions?: {en?, es?, pt?}, channelLanguage?, expiresHours?}`;
 * - `GET /conversations/:id/csat` (anyone who sees the conversation) → its surveys, oldest first.
 */
export function createCsatRouter(store: Store): Router {
  const router = Router();
  const auth = authenticate(store);
  const json = [requireJson, express.json({ limit: '16kb' })];
  router.get('/csat/settings', auth, async (_req, res) => {
    const settings = await csatSettings(store, signedIn(res, 'agent'));
    res.json({ ...settings, asked: questionsOf(settings) });
  });
  const update: express.RequestHandler = async (req, res) => {
    const admin = signedIn(res, 'admin');
    const settings = await updateCsatSettings(store, admin, parseInput(csatSettingsPatchSchema, requireObject(req.body)));
    res.json({ ...settings, asked: questionsOf(settings) });
  };
  router.put('/csat/settings', auth, ...json, update);
  router.patch('/csat/settings', auth, ...json, update);
  router.get('/conversations/:id/csat', auth, async (req, res) => {
    const agent = signedIn(res);
    await requireVisibleConversation(store, agent, String(req.params.id));
    res.json({ surveys: await conversationSurveys(store, agent, String(req.params.id)) });
  });
  return router;
}
