/**
 * `/platform/v1`: the host's backend provisions workspaces and agents (Bearer `CHARLA_PLATFORM_KEY`,
 * never from a browser). Off — every path answers 404 saying so — until the key is set.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { workspaceSettingsPatchSchema } from '@charla/protocol';
import express, { Router, type RequestHandler } from 'express';
import { CharlaFailure } from '../failure.js';
import {
  createPlatformWorkspace, deletePlatformWorkspace, dropPreviousSigningSecret, getPlatformWorkspace, listPlatformWorkspaces,
  listProvisionedAgents, platformAgentPatchSchema, platformAgentSchema, platformWorkspaceSchema, provisionAgent,
  rotateSigningSecret, updatePlatformWorkspace, updateProvisionedAgent, type PlatformHooks,
} from '../services/platform.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The platform key, compared in constant time. */
function platformKeyCheck(key: string | undefined): RequestHandler {
  const expected = key ? digest(key) : null;
  return (req, _res, next) => {
    if (!expected) throw new CharlaFailure('not_found', 'The platform API is off: set CHARLA_PLATFORM_KEY to use it');
    const [scheme, given] = (req.get('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !given || !timingSafeEqual(digest(given), expected)) {
      throw new CharlaFailure('unauthorized', 'Send the platform key as "Authorization: Bearer <CHARLA_PLATFORM_KEY>"');
    }
    next();
  };
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (['POST', 'PATCH', 'PUT'].includes(req.method) && req.headers['content-length'] !== '0' && !req.is('application/json')) {
    throw new CharlaFailure('invalid_payload', 'Send a JSON body with "Content-Type: application/json"');
  }
  next();
};

export function createPlatformRouter(store: Store, platformKey: string | undefined, hooks: PlatformHooks): Router {
  const router = Router();
  router.use(platformKeyCheck(platformKey), requireJson, express.json({ limit: '64kb' }));

  router.post('/workspaces', async (req, res) => {
    res.status(201).json(await createPlatformWorkspace(store, parseInput(platformWorkspaceSchema, req.body)));
  });
  router.get('/workspaces', async (_req, res) => {
    res.json(await listPlatformWorkspaces(store));
  });
  router.get('/workspaces/:workspaceId', async (req, res) => {
    res.json(await getPlatformWorkspace(store, req.params.workspaceId));
  });
  router.patch('/workspaces/:workspaceId', async (req, res) => {
    res.json(await updatePlatformWorkspace(store, req.params.workspaceId, parseInput(workspaceSettingsPatchSchema, req.body)));
  });
  router.delete('/workspaces/:workspaceId', async (req, res) => {
    await deletePlatformWorkspace(store, req.params.workspaceId);
    res.status(204).end();
  });
  router.post('/workspaces/:workspaceId/signing-secret', async (req, res) => {
    res.json(await rotateSigningSecret(store, req.params.workspaceId));
  });
  router.delete('/workspaces/:workspaceId/signing-secret/previous', async (req, res) => {
    await dropPreviousSigningSecret(store, req.params.workspaceId);
    res.status(204).end();
  });
  router.post('/workspaces/:workspaceId/agents', async (req, res) => {
    const { agent, created } = await provisionAgent(store, req.params.workspaceId, parseInput(platformAgentSchema, req.body));
    res.status(created ? 201 : 200).json({ agent });
  });
  router.get('/workspaces/:workspaceId/agents', async (req, res) => {
    res.json(await listProvisionedAgents(store, req.params.workspaceId));
  });
  router.patch('/workspaces/:workspaceId/agents/:agentId', async (req, res) => {
    res.json(await updateProvisionedAgent(store, req.params.workspaceId, req.params.agentId, parseInput(platformAgentPatchSchema, req.body), hooks));
  });
  return router;
}
