import type { Router } from 'express';
import { apiKeyCreateSchema, createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import { signedIn } from './api.js';

/** `GET|POST /api-keys`, `DELETE /api-keys/:id` (admins): the workspace's server-to-server keys. */
export function registerApiKeyRoutes(router: Router, store: Store): void {
  router.get('/api-keys', async (_req, res) => {
    res.json(await listApiKeys(store, signedIn(res, 'admin')));
  });
  router.post('/api-keys', async (req, res) => {
    const admin = signedIn(res, 'admin');
    res.status(201).set('cache-control', 'no-store').json(await createApiKey(store, admin, parseInput(apiKeyCreateSchema, req.body)));
  });
  router.delete('/api-keys/:id', async (req, res) => {
    await revokeApiKey(store, signedIn(res, 'admin'), req.params.id);
    res.status(204).end();
  });
}
