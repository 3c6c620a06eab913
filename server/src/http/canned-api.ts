import { cannedResponseCreateSchema, cannedResponseUpdateSchema, type Agent } from '@charla/protocol';
import type { Response, Router } from 'express';
import { createCanned, deleteCanned, listCanned, updateCanned } from '../services/canned.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

const agentOf = (res: Response) => res.locals.agent as Agent;

/** `GET|POST /canned-responses`, `PATCH|DELETE /canned-responses/:id` (changes: admins). */
export function registerCannedRoutes(router: Router, store: Store): void {
  router.get('/canned-responses', async (_req, res) => {
    res.json(await listCanned(store, agentOf(res)));
  });
  router.post('/canned-responses', async (req, res) => {
    res.status(201).json(await createCanned(store, agentOf(res), parseInput(cannedResponseCreateSchema, req.body)));
  });
  router.patch('/canned-responses/:id', async (req, res) => {
    res.json(await updateCanned(store, agentOf(res), req.params.id, parseInput(cannedResponseUpdateSchema, req.body)));
  });
  router.delete('/canned-responses/:id', async (req, res) => {
    await deleteCanned(store, agentOf(res), req.params.id);
    res.status(204).end();
  });
}
