/** REST for broadcasts (admins only): preview, create (now or scheduled), list, one with its recipients, cancel, settings. */
import {
  broadcastCreateSchema, broadcastPreviewSchema, broadcastRecipientsRequestSchema, broadcastSettingsSchema, type Agent,
} from '@charla/protocol';
import express, { Router, type Response } from 'express';
import { auditedRole } from '../privacy/api.js';
import {
  broadcastRecipients, broadcastSettings, cancelBroadcast, createBroadcast, listBroadcasts, previewBroadcast, requireBroadcast, updateBroadcastSettings,
} from '../services/broadcasts.js';
import type { Clock } from '../services/directory.js';
import type { Store } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import { authenticate, queryOf, signedIn } from './api.js';

/** An audience of 20,000 selected ids is about 600 KB of JSON. */
const json = express.json({ limit: '2mb' });

export function createBroadcastRouter(store: Store, clock: Clock): Router {
  const router = Router();
  const auth = authenticate(store);
  const admin = (res: Response) => signedIn(res, 'admin');
  /** Changes are audited, refusals too. */
  const auditedAdmin = (res: Response, action: string, id?: string) =>
    auditedRole(store, res, 'admin', action, id ? { kind: 'broadcast', id } : { kind: 'workspace', id: (res.locals.agent as Agent).workspaceId });

  router.get('/broadcasts', auth, async (_req, res) => {
    res.json(await listBroadcasts(store, admin(res)));
  });
  router.post('/broadcasts', auth, json, async (req, res) => {
    const agent = await auditedAdmin(res, 'broadcast.create');
    res.status(201).json(await createBroadcast(store, agent, parseInput(broadcastCreateSchema, requireObject(req.body)), clock));
  });
  router.post('/broadcasts/preview', auth, json, async (req, res) => {
    res.json(await previewBroadcast(store, admin(res), parseInput(broadcastPreviewSchema, requireObject(req.body)), clock));
  });
  router.get('/broadcasts/settings', auth, async (_req, res) => {
    res.json(await broadcastSettings(store, admin(res)));
  });
  router.put('/broadcasts/settings', auth, json, async (req, res) => {
    const agent = await auditedAdmin(res, 'broadcast.settings');
    res.json(await updateBroadcastSettings(store, agent, parseInput(broadcastSettingsSchema, requireObject(req.body))));
  });
  router.get('/broadcasts/:id', auth, async (req, res) => {
    res.json(await requireBroadcast(store, admin(res), String(req.params.id)));
  });
  router.get('/broadcasts/:id/recipients', auth, async (req, res) => {
    const input = parseInput(broadcastRecipientsRequestSchema, queryOf(req));
    res.json(await broadcastRecipients(store, admin(res), String(req.params.id), input));
  });
  router.post('/broadcasts/:id/cancel', auth, async (req, res) => {
    const id = String(req.params.id);
    const agent = await auditedAdmin(res, 'broadcast.cancel', id);
    res.json(await cancelBroadcast(store, agent, id));
  });
  return router;
}
