import { webhookCreateSchema, webhookDeliveryListSchema, webhookUpdateSchema } from '@charla/protocol';
import express, { Router } from 'express';
import { authenticate, queryOf, requireJson, signedIn } from '../http/api.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import type { Webhooks } from './service.js';

/**
 * `GET|POST /webhooks`, `GET|PATCH|DELETE /webhooks/:id`, `GET /webhooks/:id/deliveries`,
 * `POST /webhooks/:id/deliveries/:deliveryId/redeliver` (admins).
 */
export function createWebhooksRouter(store: Store, webhooks: Webhooks): Router {
  const router = Router();
  const auth = authenticate(store);
  const json = [requireJson, express.json({ limit: '64kb' })];
  router.get('/webhooks', auth, async (_req, res) => {
    res.json(await webhooks.list(signedIn(res, 'admin')));
  });
  router.post('/webhooks', auth, ...json, async (req, res) => {
    const admin = signedIn(res, 'admin');
    res.status(201).set('cache-control', 'no-store').json(await webhooks.create(admin, parseInput(webhookCreateSchema, req.body)));
  });
  router.get('/webhooks/:id', auth, async (req, res) => {
    res.json({ webhook: await webhooks.get(signedIn(res, 'admin'), String(req.params.id)) });
  });
  router.patch('/webhooks/:id', auth, ...json, async (req, res) => {
    const admin = signedIn(res, 'admin');
    res.set('cache-control', 'no-store').json(await webhooks.update(admin, String(req.params.id), parseInput(webhookUpdateSchema, req.body)));
  });
  router.delete('/webhooks/:id', auth, async (req, res) => {
    await webhooks.remove(signedIn(res, 'admin'), String(req.params.id));
    res.status(204).end();
  });
  router.get('/webhooks/:id/deliveries', auth, async (req, res) => {
    const admin = signedIn(res, 'admin');
    res.json(await webhooks.deliveries(admin, String(req.params.id), parseInput(webhookDeliveryListSchema, queryOf(req))));
  });
  router.post('/webhooks/:id/deliveries/:deliveryId/redeliver', auth, async (req, res) => {
    const admin = signedIn(res, 'admin');
    res.status(202).json({ delivery: await webhooks.redeliver(admin, String(req.params.id), String(req.params.deliveryId)) });
  });
  return router;
}
