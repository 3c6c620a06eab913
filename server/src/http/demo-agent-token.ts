import type { Express } from 'express';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newSigningSecret } from '../services/platform.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';

/** How long a demo agent token lives: long enough to use, short enough that refreshing shows. */
export const DEMO_AGENT_TOKEN_SECONDS = 60 * 60;

const agentTokenQuery = z.object({ agentId: z.string().min(1).max(100) });

/**
 * Demo mode only: `GET /demo/agent-token?agentId=…` answers `{token, expiresAt}`, an agent token
 * signed with the demo workspace's signing secret — what a host's backend does for its signed-in
 * user (it never calls Charla for it). The demo's `tokenProvider` calls it. Loopback only, like
 * every /demo route.
 */
export function registerDemoAgentToken(app: Express, store: Store, widgetKey: string): void {
  app.get('/demo/agent-token', async (req, res) => {
    const { agentId } = parseInput(agentTokenQuery, { agentId: req.query.agentId });
    const workspace = await store.workspaces.byWidgetKey(widgetKey);
    const agent = await store.platform.agentById(agentId);
    if (!workspace || !agent || agent.workspaceId !== workspace.id) {
      throw new CharlaFailure('not_found', 'The demo workspace has no agent with this id');
    }
    if (agent.deactivatedAt) throw new CharlaFailure('forbidden', 'This agent was deactivated');
    let [secret] = await store.platform.signingSecrets(workspace.id);
    if (!secret) {
      // A demo database from before signing secrets: give the workspace its first one.
      secret = newSigningSecret();
      await store.platform.setSigningSecrets(workspace.id, secret, null);
    }
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + DEMO_AGENT_TOKEN_SECONDS;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(agent.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(new TextEncoder().encode(secret));
    res.set('cache-control', 'no-store').json({ token, expiresAt: new Date(expiresAt * 1000).toISOString() });
  });
}
