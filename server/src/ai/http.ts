import { aiSettingsUpdateRequestSchema } from '@charla/protocol';
import express, { Router } from 'express';
import { z } from 'zod';
import { authenticate, signedIn } from '../http/api.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import type { AiService } from './service.js';

const suggestionBodySchema = z.object({ count: z.number().int().min(1).max(3).default(3) }).strict();

/**
 * AI over REST (the same service as /agent): `GET /conversations/:id/insight`,
 * `GET /contacts/:id/insights`, `POST /conversations/:id/suggestions` `{count?}` (1–3; nothing is
 * sent), `GET|PATCH /ai/settings` (changes by admins; GET also names the provider).
 */
export function createAiRouter(store: Store, ai: AiService): Router {
  const router = Router();
  const auth = authenticate(store);
  const json = express.json({ limit: '64kb' });
  router.get('/conversations/:id/insight', auth, async (req, res) => {
    res.json(await ai.conversationInsight(signedIn(res), String(req.params.id)));
  });
  router.get('/contacts/:id/insights', auth, async (req, res) => {
    res.json(await ai.contactInsights(signedIn(res), String(req.params.id)));
  });
  router.post('/conversations/:id/suggestions', auth, json, async (req, res) => {
    const { count } = parseInput(suggestionBodySchema, req.body ?? {});
    res.json(await ai.suggestReplies(signedIn(res, 'agent'), String(req.params.id), count));
  });
  router.get('/ai/settings', auth, async (_req, res) => {
    // `provider`: which provider does the work (`openai`, or the offline `heuristic`), for the settings' status.
    res.json({ ...(await ai.settings(signedIn(res))), provider: ai.provider.name });
  });
  router.patch('/ai/settings', auth, json, async (req, res) => {
    const update = parseInput(aiSettingsUpdateRequestSchema, req.body);
    res.json(await ai.updateSettings(signedIn(res, 'admin'), update));
  });
  return router;
}
