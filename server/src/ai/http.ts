import { aiSettingsUpdateRequestSchema, followUpApproveRequestSchema, quoteSendRequestSchema } from '@charla/protocol';
import express, { Router } from 'express';
import { z } from 'zod';
import { authenticate, signedIn } from '../http/api.js';
import type { Store } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import type { AiService } from './service.js';

const suggestionBodySchema = z.object({ count: z.number().int().min(1).max(3).default(3) }).strict();

/**
 * AI over REST (the same service as /agent): `GET /conversations/:id/insight`,
 * `GET /contacts/:id/insights`, `POST /conversations/:id/suggestions` `{count?}` (1–3; nothing is
 * sent), `GET|PATCH /ai/settings` (changes by admins; GET also names the provider);
 * `POST /conversations/:id/quote-draft` (the drafted quote), `POST /conversations/:id/quote`
 * (sends it, updates the deal); `GET /conversations/:id/follow-ups` (drafts waiting),
 * `POST /follow-ups/:id/approve` `{clientId, body?}` and `POST /follow-ups/:id/dismiss`.
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
  router.post('/conversations/:id/quote-draft', auth, async (req, res) => {
    res.json(await ai.draftQuote(signedIn(res, 'agent'), String(req.params.id)));
  });
  router.post('/conversations/:id/quote', auth, json, async (req, res) => {
    const input = parseInput(quoteSendRequestSchema, { ...requireObject(req.body), conversationId: String(req.params.id) });
    res.status(201).json(await ai.sendQuote(signedIn(res, 'agent'), input));
  });
  router.get('/conversations/:id/follow-ups', auth, async (req, res) => {
    res.json(await ai.followUps(signedIn(res), String(req.params.id)));
  });
  router.post('/follow-ups/:id/approve', auth, json, async (req, res) => {
    const input = parseInput(followUpApproveRequestSchema, { ...requireObject(req.body), id: String(req.params.id) });
    res.json(await ai.approveFollowUp(signedIn(res, 'agent'), input));
  });
  router.post('/follow-ups/:id/dismiss', auth, async (req, res) => {
    res.json(await ai.dismissFollowUp(signedIn(res, 'agent'), String(req.params.id)));
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
