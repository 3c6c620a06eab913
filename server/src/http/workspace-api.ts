import { workspaceSettingsPatchSchema } from '@charla/protocol';
import type { Router } from 'express';
import { getWorkspaceSettings, updateWorkspaceSettings } from '../services/workspaces.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import { signedIn } from './api.js';

/** `GET|PATCH /workspace` (admins): name, default country, time zone, currency. */
export function registerWorkspaceRoutes(router: Router, store: Store): void {
  router.get('/workspace', async (_req, res) => {
    res.json(await getWorkspaceSettings(store, signedIn(res, 'admin')));
  });
  router.patch('/workspace', async (req, res) => {
    const admin = signedIn(res, 'admin');
    res.json(await updateWorkspaceSettings(store, admin, parseInput(workspaceSettingsPatchSchema, req.body)));
  });
}
