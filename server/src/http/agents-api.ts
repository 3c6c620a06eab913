import { agentCreateSchema, agentUpdateSchema } from '@charla/protocol';
import express, { Router } from 'express';
import { addWorkspaceAgent, listWorkspaceAgents, updateWorkspaceAgent } from '../services/agents.js';
import type { PlatformHooks } from '../services/platform.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import { authenticate, signedIn } from './api.js';

/**
 * The workspace's agents (admins): `GET /agents` (deactivated ones included), `POST /agents`
 * `{name, email, role}`, `PATCH /agents/:id` `{name?, email?, role?, active?}`. Deactivating
 * someone closes their connections and sends their conversations back to routing (`hooks`).
 */
export function createAgentsRouter(store: Store, hooks: PlatformHooks): Router {
  const router = Router();
  const auth = authenticate(store);
  const json = express.json({ limit: '64kb' });
  router.get('/agents', auth, async (_req, res) => {
    res.json(await listWorkspaceAgents(store, signedIn(res, 'admin')));
  });
  router.post('/agents', auth, json, async (req, res) => {
    const admin = signedIn(res, 'admin');
    res.status(201).json(await addWorkspaceAgent(store, admin, parseInput(agentCreateSchema, req.body)));
  });
  router.patch('/agents/:id', auth, json, async (req, res) => {
    const admin = signedIn(res, 'admin');
    res.json(await updateWorkspaceAgent(store, admin, String(req.params.id), parseInput(agentUpdateSchema, req.body), hooks));
  });
  return router;
}
