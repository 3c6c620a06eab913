import {
  contactPatchSchema, externalIdQuerySchema, conversationListRequestSchema, conversationUpdateRequestSchema, LIMITS,
  messageListRequestSchema, messageSendRequestSchema, syncRequestSchema,
  type Agent, type AgentRole,
} from '@charla/protocol';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import type { Logger } from '../logger.js';
import { assertRole } from '../services/actors.js';
import { getContact, listContacts, updateContact } from '../services/contacts.js';
import { getConversation, listConversations, updateConversation } from '../services/conversations.js';
import { listMessages, sendAgentMessage } from '../services/messages.js';
import { agentSync, authenticateAgent } from '../services/sessions.js';
import { agentOfApiKey, isApiKey } from '../services/api-keys.js';
import { registerApiKeyRoutes } from './api-keys-api.js';
import type { Store } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import { registerDealRoutes } from './deals-api.js';
import { apiErrorHandler, apiNotFound } from './errors.js';
import { registerWidgetRoutes } from './widget-api.js';
import { registerWorkspaceRoutes } from './workspace-api.js';
import { registerCannedRoutes } from './canned-api.js';
import { registerKnowledgeRoutes } from './knowledge-api.js';
import { registerTeamRoutes } from './teams-api.js';
import { registerRoutingRoutes } from './routing-api.js';

const contactListRequestSchema = z
  .object({
    query: z.string().trim().max(LIMITS.query).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(LIMITS.pageSize).default(50),
    /** The contact holding this id in another system: `hubspot:123`. */
    externalId: externalIdQuerySchema.optional(),
  })
  .strict();

/** Query-string parameters that are numbers in the schemas. */
const NUMERIC_PARAMS = new Set(['limit', 'since', 'tzOffset', 'offset']);

/** The query string with numeric parameters turned into numbers (the schemas then validate them). */
export function queryOf(req: Request): Record<string, unknown> {
  const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  for (const [key, value] of Object.entries(query)) {
    if (NUMERIC_PARAMS.has(key) && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) query[key] = Number(value);
  }
  return query;
}

function agentOf(res: Response): Agent {
  return res.locals.agent as Agent;
}

/** The agent behind `Authorization: Bearer <token>`, with at least `role`. */
export function signedIn(res: Response, role: AgentRole = 'viewer'): Agent {
  const agent = agentOf(res);
  assertRole(agent, role);
  return agent;
}

export function authenticate(store: Store): RequestHandler {
  return async (req, res, next) => {
    const [scheme, token] = (req.get('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new CharlaFailure('unauthorized', 'Send the agent token or an API key as "Authorization: Bearer <token>"');
    }
    // API keys (server-to-server) open REST only; agents' tokens open REST and sockets.
    res.locals.agent = isApiKey(token) ? await agentOfApiKey(store, token) : await authenticateAgent(store, { token });
    next();
  };
}

/** Requests that carry a body must carry JSON. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (['POST', 'PATCH', 'PUT'].includes(req.method) && !req.is('application/json')) {
    throw new CharlaFailure('invalid_payload', 'Send a JSON body with "Content-Type: application/json"');
  }
  next();
};

/** REST API v1: the same domain functions the agent socket uses, behind a bearer token. */
export function createApiRouter(store: Store, logger: Logger): Router {
  const router = Router();
  router.use(authenticate(store), requireJson, express.json({ limit: '1mb' }));

  router.get('/contacts', async (req, res) => {
    res.json(await listContacts(store, signedIn(res), parseInput(contactListRequestSchema, queryOf(req))));
  });
  router.get('/contacts/:id', async (req, res) => {
    res.json(await getContact(store, signedIn(res), req.params.id));
  });
  router.patch('/contacts/:id', async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await updateContact(store, agent, req.params.id, parseInput(contactPatchSchema, req.body)));
  });

  router.get('/conversations', async (req, res) => {
    res.json(await listConversations(store, signedIn(res), parseInput(conversationListRequestSchema, queryOf(req))));
  });
  router.get('/conversations/:id', async (req, res) => {
    res.json(await getConversation(store, signedIn(res), req.params.id));
  });
  router.patch('/conversations/:id', async (req, res) => {
    const agent = signedIn(res, 'agent');
    const input = parseInput(conversationUpdateRequestSchema, { ...requireObject(req.body), conversationId: req.params.id });
    res.json(await updateConversation(store, agent, input));
  });
  router.get('/conversations/:id/messages', async (req, res) => {
    const input = parseInput(messageListRequestSchema, { ...queryOf(req), conversationId: req.params.id });
    res.json(await listMessages(store, signedIn(res), input));
  });
  router.post('/conversations/:id/messages', async (req, res) => {
    const agent = signedIn(res, 'agent');
    const input = parseInput(messageSendRequestSchema, { ...requireObject(req.body), conversationId: req.params.id });
    const { message, created } = await sendAgentMessage(store, agent, input);
    res.status(created ? 201 : 200).json(message);
  });

  router.get('/events', async (req, res) => {
    const { since } = parseInput(syncRequestSchema, queryOf(req));
    res.json(await agentSync(store, signedIn(res), since));
  });

  registerDealRoutes(router, store);

  registerWorkspaceRoutes(router, store);
  registerApiKeyRoutes(router, store);
  registerWidgetRoutes(router, store);
  registerCannedRoutes(router, store);
  registerKnowledgeRoutes(router, store);
  registerTeamRoutes(router, store);
  registerRoutingRoutes(router, store);

  router.use(apiNotFound);
  router.use(apiErrorHandler(logger));
  return router;
}
