import { knowledgeCreateSchema, knowledgeSearchSchema, type Agent } from '@charla/protocol';
import type { Response, Router } from 'express';
import { createKnowledge, deleteKnowledge, listKnowledge, searchKnowledge } from '../ai/knowledge.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

const agentOf = (res: Response) => res.locals.agent as Agent;

/**
 * `GET|POST /knowledge`, `GET /knowledge/search?query=&limit=`, `DELETE /knowledge/:id`: the
 * knowledge base reply suggestions draw on (changes: admins).
 */
export function registerKnowledgeRoutes(router: Router, store: Store): void {
  router.get('/knowledge', async (_req, res) => {
    res.json(await listKnowledge(store, agentOf(res)));
  });
  router.get('/knowledge/search', async (req, res) => {
    const { query, limit } = parseInput(knowledgeSearchSchema, req.query);
    res.json(await searchKnowledge(store, agentOf(res).workspaceId, query, limit));
  });
  router.post('/knowledge', async (req, res) => {
    res.status(201).json(await createKnowledge(store, agentOf(res), parseInput(knowledgeCreateSchema, req.body)));
  });
  router.delete('/knowledge/:id', async (req, res) => {
    await deleteKnowledge(store, agentOf(res), req.params.id);
    res.status(204).end();
  });
}
