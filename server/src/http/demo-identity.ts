import type { Express } from 'express';
import { CharlaFailure } from '../failure.js';
import { identityHash, widgetSettingsOf } from '../services/widget.js';
import type { Store } from '../store/index.js';

/**
 * Demo mode only: `GET /demo/identity?id=USER_ID` answers `{id, hash}` with the demo workspace's
 * secret, standing in for the sample shop's own backend (a real site computes
 * HMAC-SHA256(secret, id) on its server and never publishes the secret).
 */
export function registerDemoIdentity(app: Express, store: Store, widgetKey: string): void {
  app.get('/demo/identity', async (req, res) => {
    const id = typeof req.query.id === 'string' ? req.query.id.trim() : '';
    const workspace = await store.workspaces.byWidgetKey(widgetKey);
    if (!id || id.length > 200 || !workspace) {
      const failure = new CharlaFailure('invalid_payload', 'Pass the user id as ?id=');
      res.status(400).json({ error: { code: failure.code, message: failure.message } });
      return;
    }
    const { secret } = await widgetSettingsOf(store, workspace.id);
    res.json({ id, hash: identityHash(secret, id) });
  });
}
